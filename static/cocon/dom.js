// Small DOM helpers for the facilitator's pages and the phone. User text only ever goes
// through textContent (never innerHTML).

/** A new element: el("p", { className: "x", text: "…", attrs: { id: "y" } }). */
export function el(tag, { className = "", text = null, attrs = {} } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element with its attributes and optional text (text never parsed as markup). */
export function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

/** Set text only when it changed (no needless DOM writes, no screen reader chatter). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * Make `parent`'s children exactly `nodes`, in order, moving only what must move: a node
 * that stays in place keeps focus, an open form keeps what was typed.
 */
export function reconcile(parent, nodes) {
  // Nodes that go are taken out first: a node after them then stays where it is instead
  // of being moved in front of them (a moved node loses focus). Same children either way.
  const wanted = new Set(nodes);
  for (const child of Array.from(parent.childNodes)) if (!wanted.has(child)) child.remove();
  let cursor = parent.firstChild;
  for (const node of nodes) {
    if (node === cursor) {
      cursor = cursor.nextSibling;
      continue;
    }
    parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

/** Show or hide a node (touching `hidden` only when it changes). */
export function show(node, visible) {
  if (node.hidden === visible) node.hidden = !visible;
}

/** Run `render`; if focus fell to the page because the render moved its element, put it back. */
export function keepingFocus(render) {
  const focused = document.activeElement;
  render();
  const lost = !document.activeElement || document.activeElement === document.body;
  if (lost && focused && focused !== document.body && focused.isConnected) {
    focused.focus({ preventScroll: true });
  }
}

/** Open a <dialog> as modal, remembering what had focus to give it back on close. */
export function openDialog(dialog, focusTarget = null) {
  if (dialog.open) return;
  const opener = document.activeElement;
  dialog.addEventListener(
    "close",
    () => {
      if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus({ preventScroll: true });
    },
    { once: true },
  );
  dialog.showModal();
  if (focusTarget) focusTarget.focus();
}

/** Escape inside `node` (an inline form) runs `close` instead of anything else. */
export function closeOnEscape(node, close) {
  node.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
}
