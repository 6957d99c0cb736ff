// The phone: follow the workshop's current activity, write notes, manage one's own
// notes and see the board with +1 reactions.
//
// Nothing typed is ever lost: unsent notes live in the outbox (localStorage, see
// live.js), the text being typed is a draft kept per activity (drafts.js) that survives
// a change of activity or a reload, and notes the server refused stay visible.
// User text only ever goes through textContent.

import { LiveClient, socketUrl } from "./live.js";
import { WorkshopState, bind, describeState, timerText } from "./board.js";
import {
  acceptsContributions,
  adoptUnbound,
  bodyError,
  columnError,
  contributionCounts,
  discardDraft,
  draftActions,
  draftNotice,
  draftStorageKey,
  draftTitle,
  getDraft,
  identityNotice,
  isBlank,
  isBoard,
  joinBodies,
  loadDrafts,
  parkedDrafts,
  privacyNotice,
  rebindDraft,
  saveDrafts,
  sendBlockedReason,
  slotOf,
  updateDraft,
} from "./drafts.js";

const root = document.getElementById("live");
const state = new WorkshopState();
const ui = Object.fromEntries(
  [
    "status", "announce", "title", "prompt", "state", "timer", "drafts", "compose", "identity-box", "identity",
    "privacy", "columns", "limit", "compose-hint", "compose-error", "send", "mine", "mine-empty", "count",
    "board-note", "board", "elsewhere", "wall",
  ].map((name) => [name, bind(root, name)]),
);
const textarea = ui.compose.querySelector("textarea");
const STATUS = {
  connecting: "Connexion…",
  online: "",
  offline: "Hors connexion : vos contributions seront envoyées au retour du réseau.",
};
const DRAFT_KEY = draftStorageKey(root.dataset.workshopId);

let me = null; // snapshot.me: this participant's name and pseudonym
let store = loadDrafts(localStorage, DRAFT_KEY); // drafts per activity; `current`: the compose form's
let savedStore = store;
const failed = []; // notes the server refused, kept visibly so nothing typed is lost
let failedCount = 0;
const editing = new Map(); // own note id -> {body, column} being edited
const noteErrors = new Map(); // own note id -> refusal of an edit or a withdrawal
const reactionErrors = new Map(); // note id -> refusal of a +1
const draftErrors = new Map(); // draft slot -> message

// Small DOM helpers -----------------------------------------------------------------------

function h(tag, className = "", text = "") {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text) element.textContent = text;
  return element;
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function show(element, visible) {
  if (element.hidden === visible) element.hidden = !visible;
}

/** Put `nodes` in `parent` in this order, moving as few as possible (a moved node loses focus). */
function placeChildren(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of Array.from(parent.children)) if (!wanted.has(child)) child.remove();
  let cursor = parent.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else parent.insertBefore(node, cursor);
  }
}

function button(label, className, onClick) {
  const element = h("button", `fr-btn ${className}`, label);
  element.type = "button";
  element.addEventListener("click", onClick);
  return element;
}

let announceTimer = null;
function announce(message) {
  ui.announce.textContent = "";
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => (ui.announce.textContent = message), 100);
}

/** A DSFR radio group "Catégorie" for an activity's columns. */
function columnFieldset(prefix, columns, onChange) {
  const fieldset = h("fieldset", "fr-fieldset cocon-columns");
  const legend = h("legend", "fr-fieldset__legend fr-fieldset__legend--regular", "Catégorie");
  legend.append(h("span", "fr-hint-text", "Choisissez-en une avant d'envoyer."));
  fieldset.append(legend);
  columns.forEach((column, index) => {
    const element = h("div", "fr-fieldset__element");
    const group = h("div", "fr-radio-group");
    const input = h("input");
    input.type = "radio";
    input.id = `${prefix}-${index}`;
    input.name = prefix;
    input.value = column.key;
    input.addEventListener("change", () => input.checked && onChange(column.key));
    const label = h("label", "fr-label", column.label);
    label.htmlFor = input.id;
    group.append(input, label);
    element.append(group);
    fieldset.append(element);
  });
  return fieldset;
}

function checkColumn(fieldset, key) {
  for (const input of fieldset.querySelectorAll("input[type=radio]")) input.checked = input.value === key;
}

// Drafts ----------------------------------------------------------------------------------

function persistDrafts() {
  if (store === savedStore) return;
  saveDrafts(localStorage, DRAFT_KEY, store);
  savedStore = store;
}

/** The activity a draft slot is for (from the last snapshot, else from the draft itself). */
function activityRef(activityId) {
  if (activityId === null || activityId === undefined) return null;
  return state.activities.get(activityId) || { id: activityId, title: getDraft(store, activityId).activityTitle };
}

/** Follow the current activity: the compose form now writes the draft of that activity;
 * the draft left behind stays, shown in its own panel. */
function followActivity(activity) {
  if (!state.workshop) return; // not synced yet: keep writing where we were
  store = adoptUnbound(store, activity, state.workshop);
  const id = activity ? activity.id : null;
  if (id !== store.current) {
    const left = getDraft(store, store.current);
    if (!isBlank(left)) {
      const where = left.activityTitle ? ` pour « ${left.activityTitle} »` : "";
      announce(`L'activité a changé : votre brouillon${where} est conservé.`);
    }
    store = { ...store, current: id };
    composeError("");
  }
  persistDrafts();
}

function currentCounts() {
  return contributionCounts(state.own.values(), client.pending());
}

function renderDrafts(activity, counts) {
  if (!state.workshop) return;
  // Without a compose form (a vote), even the current activity's draft is shown apart.
  const parked = parkedDrafts(store, activity ? activity.id : null, { includeCurrent: !isBoard(activity) && !!activity });
  const sections = parked.map((draft) => draftPanel(draft, activity, counts));
  placeChildren(ui.drafts, sections);
  const keep = new Set(parked.map((draft) => slotOf(draft.activityId)));
  for (const slot of panels.keys()) if (!keep.has(slot)) panels.delete(slot);
}

const panels = new Map(); // slot -> {section, sig, fieldset}
function draftPanel(draft, activity, counts) {
  const slot = slotOf(draft.activityId);
  const decision = draftActions(draft, state.activities, activity ? activity.id : null, {
    workshop: state.workshop,
    counts,
  });
  const columns = decision.actions.includes("send") ? decision.target.columns || [] : [];
  const sig = JSON.stringify([draft.body, draft.activityTitle, decision.status, decision.actions, columns, activity && activity.title]);
  let panel = panels.get(slot);
  if (!panel || panel.sig !== sig) {
    const section = panel ? panel.section : h("section", "cocon-draft fr-p-2w fr-mb-3w");
    const titleId = `draft-${slot}-title`;
    section.setAttribute("aria-labelledby", titleId);
    const title = h("h2", "fr-h6 fr-mb-1w", draftTitle(draft));
    title.id = titleId;
    title.tabIndex = -1;
    const body = h("p", "cocon-draft__body", draft.body);
    const notice = h("p", "fr-text--sm cocon-draft__notice", draftNotice(draft, decision.status));
    const parts = [title, body, notice];
    let fieldset = null;
    if (columns.length) {
      fieldset = columnFieldset(`draft-${slot}-column`, columns, (key) => {
        store = updateDraft(store, activityRef(draft.activityId), { column: key });
        persistDrafts();
      });
      parts.push(fieldset);
    }
    const buttons = h("div", "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm cocon-draft__actions");
    const target = decision.target;
    for (const action of decision.actions) {
      if (action === "send") {
        buttons.append(button(`Envoyer dans « ${target.title} »`, "", () => sendDraft(draft.activityId)));
      } else if (action === "rebind") {
        buttons.append(
          button(`Utiliser pour « ${activity.title} »`, "fr-btn--secondary", () => useDraftHere(draft.activityId)),
        );
      } else {
        buttons.append(button("Effacer le brouillon", "fr-btn--tertiary", () => eraseDraft(draft.activityId)));
      }
    }
    const error = h("p", "fr-error-text");
    error.hidden = true;
    parts.push(buttons, error);
    section.replaceChildren(...parts);
    panel = { section, sig, fieldset, error };
    panels.set(slot, panel);
  }
  if (panel.fieldset) checkColumn(panel.fieldset, getDraft(store, draft.activityId).column);
  const message = draftErrors.get(slot) || "";
  setText(panel.error, message);
  show(panel.error, Boolean(message));
  return panel.section;
}

function sendDraft(activityId) {
  const activity = state.activities.get(activityId);
  const draft = getDraft(store, activityId);
  const error = bodyError(draft.body) || columnError(activity, draft.column);
  if (error) {
    draftErrors.set(slotOf(activityId), error);
    render();
    const panel = panels.get(slotOf(activityId));
    const radio = panel && panel.fieldset && panel.fieldset.querySelector("input");
    if (radio && !bodyError(draft.body)) radio.focus();
    return;
  }
  draftErrors.delete(slotOf(activityId));
  queueCreate(activity, draft.body, draft.column);
  store = discardDraft(store, activityId);
  persistDrafts();
  announce(`Votre brouillon part dans « ${activity.title} ».`);
  render();
  focusCompose();
}

function useDraftHere(activityId) {
  const activity = state.currentActivity();
  if (!activity) return;
  store = rebindDraft(store, activityId, activity);
  draftErrors.delete(slotOf(activityId));
  persistDrafts();
  render();
  textarea.focus();
  announce(`Le brouillon est maintenant dans le champ « Votre idée », pour « ${activity.title} ».`);
}

function eraseDraft(activityId) {
  if (!window.confirm("Effacer ce brouillon ? Son texte sera perdu.")) return;
  store = discardDraft(store, activityId);
  draftErrors.delete(slotOf(activityId));
  persistDrafts();
  render();
  focusCompose();
  announce("Brouillon effacé.");
}

/** After a draft panel goes away: back to writing, or to one's notes if there is no form. */
function focusCompose() {
  if (ui.compose.hidden) document.getElementById("mine-title").focus();
  else textarea.focus();
}

/** Queue a new note in the outbox (saved at once: it survives offline and reloads). */
function queueCreate(activity, body, column) {
  const hasColumns = (activity.columns || []).length > 0;
  client.send({ type: "contribution.create", activity_id: activity.id, body: body.trim(), column: hasColumns ? column : "" });
}

// Header, identity, compose form ------------------------------------------------------

function renderHeader(activity) {
  if (!state.workshop) return;
  setText(ui.title, activity ? activity.title : state.workshop.title);
  setText(ui.prompt, (activity && activity.prompt) || "");
  show(ui.prompt, Boolean(activity && activity.prompt));
  const live = state.workshop.state === "live";
  let text = describeState(state);
  if (live && activity && !isBoard(activity)) text = activity.state === "open" ? "Activité en cours" : "Activité fermée";
  setText(ui.state, text);
  const open = live && Boolean(activity) && activity.state === "open";
  ui.state.classList.toggle("fr-badge--success", open);
  ui.state.classList.toggle("fr-badge--warning", !open && live);
}

function renderIdentity(activity) {
  // Before the start, say how the first activity signs notes: a draft typed now goes there.
  const upcoming = activity || (state.workshop && state.workshop.state === "draft" ? state.agenda()[0] : null);
  const text = upcoming ? identityNotice(upcoming.identity, me) : "";
  setText(ui.identity, text);
  const privacy = privacyNotice(activity);
  setText(ui.privacy, privacy);
  show(ui.privacy, Boolean(privacy));
  show(ui["identity-box"], Boolean(text || privacy));
}

let composeColumnsSig = "";
let composeFieldset = null;
function renderCompose(activity, counts) {
  const draft = getDraft(store, store.current);
  if (textarea.value !== draft.body) textarea.value = draft.body;
  const columns = (activity && activity.columns) || [];
  const sig = JSON.stringify([activity && activity.id, columns]);
  if (sig !== composeColumnsSig) {
    composeColumnsSig = sig;
    composeFieldset = columns.length
      ? columnFieldset("compose-column", columns, (key) => {
          store = updateDraft(store, activityRef(store.current), { column: key });
          persistDrafts();
          if (ui["compose-error"].dataset.kind === "column") composeError("");
        })
      : null;
    ui.columns.replaceChildren(...(composeFieldset ? [composeFieldset] : []));
  }
  if (composeFieldset) checkColumn(composeFieldset, draft.column);

  const sent = activity ? counts.get(activity.id) || 0 : 0;
  setText(ui.limit, activity ? `${sent} / ${activity.max_notes} contributions envoyées` : "");
  show(ui.limit, Boolean(activity));
  const reason = sendBlockedReason(state.workshop, activity, sent);
  setText(ui["compose-hint"], reason);
  show(ui["compose-hint"], Boolean(reason));
  ui.send.disabled = Boolean(reason);
}

function composeError(message, kind = "") {
  const line = ui["compose-error"];
  setText(line, message);
  line.dataset.kind = kind;
  show(line, Boolean(message));
  if (message) textarea.setAttribute("aria-invalid", "true");
  else textarea.removeAttribute("aria-invalid");
}

textarea.addEventListener("input", () => {
  store = updateDraft(store, activityRef(store.current), { body: textarea.value });
  persistDrafts();
});

ui.compose.addEventListener("submit", (event) => {
  event.preventDefault();
  const activity = state.currentActivity();
  const counts = currentCounts();
  const reason = sendBlockedReason(state.workshop, activity, activity ? counts.get(activity.id) || 0 : 0);
  if (reason) {
    composeError(reason);
    return;
  }
  const draft = getDraft(store, activity.id);
  const bodyProblem = bodyError(textarea.value);
  const columnProblem = columnError(activity, draft.column);
  if (bodyProblem || columnProblem) {
    composeError(bodyProblem || columnProblem, bodyProblem ? "body" : "column");
    const first = composeFieldset && composeFieldset.querySelector("input");
    (bodyProblem || !first ? textarea : first).focus();
    return;
  }
  composeError("");
  queueCreate(activity, textarea.value, draft.column);
  // Queued and saved in the outbox: only now may the draft go (its column choice stays).
  store = updateDraft(store, activity, { body: "" });
  persistDrafts();
  render();
});

// My notes ----------------------------------------------------------------------------------

const mineItems = new Map(); // key -> {item, parts…}

function pendingFor(pending, type, id) {
  let found = null;
  for (const command of pending) if (command.type === type && command.contribution_id === id) found = command;
  return found;
}

function renderMine(activity) {
  // Buttons that stop applying are removed: if one had the focus, give it to the heading.
  const focused = ui.mine.contains(document.activeElement) ? document.activeElement : null;
  const pending = client.pending();
  const entries = [];
  for (const command of pending.slice().reverse()) {
    if (command.type !== "contribution.create") continue;
    entries.push({ key: `req-${command.request_id}`, kind: "pending", body: command.body, activityId: command.activity_id, column: command.column });
  }
  for (const entry of failed.slice().reverse()) entries.push({ ...entry, kind: "refused" });
  const own = Array.from(state.own.values()).sort(
    (a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id),
  );
  for (const note of own) entries.push({ key: `own-${note.id}`, kind: "own", note });
  const nodes = entries.map((entry) => mineItem(entry, activity, pending));
  const keep = new Set(entries.map((e) => e.key));
  for (const key of mineItems.keys()) if (!keep.has(key)) mineItems.delete(key);
  placeChildren(ui.mine, nodes);
  if (focused && !focused.isConnected) document.getElementById("mine-title").focus();
  show(ui["mine-empty"], entries.length === 0);
}

function whereLabel(activityId, column, activity) {
  const target = state.activities.get(activityId);
  const parts = [];
  if (target && (!activity || target.id !== activity.id)) parts.push(`« ${target.title} »`);
  const label = target && (target.columns || []).find((c) => c.key === column);
  if (label) parts.push(label.label);
  return parts.join(" · ");
}

function ownStatus(note, target, pendingUpdate, pendingWithdraw) {
  if (pendingWithdraw) return ["pending", "Retrait en attente d'envoi"];
  if (pendingUpdate) return ["pending", "Modification en attente d'envoi"];
  if (note.status === "hidden") return ["hidden", "Masquée par l'animation"];
  if (target && target.private && !target.revealed) return ["received", "Reçue ✓ · Masquée jusqu'à la révélation"];
  return ["received", "Reçue ✓"];
}

function createMineItem(key) {
  const item = h("li", "cocon-mine__item");
  const body = h("p", "cocon-mine__body");
  body.id = `mine-${key}-body`;
  const meta = h("p", "cocon-mine__meta");
  const status = h("p", "cocon-mine__status");
  const actions = h("div", "fr-btns-group fr-btns-group--inline fr-btns-group--sm cocon-mine__actions");
  const error = h("p", "fr-error-text cocon-mine__error");
  error.hidden = true;
  item.append(body, meta, status, actions, error);
  return { item, body, meta, status, actions, error, sig: "" };
}

function mineItem(entry, activity, pending) {
  let parts = mineItems.get(entry.key);
  if (!parts) {
    parts = createMineItem(entry.key);
    mineItems.set(entry.key, parts);
  }
  if (entry.kind === "pending") {
    updateMineItem(parts, "pending", entry.body, whereLabel(entry.activityId, entry.column, activity), "En attente d'envoi");
    setActions(parts, "pending", () => []);
  } else if (entry.kind === "refused") {
    updateMineItem(parts, "refused", entry.body, whereLabel(entry.activityId, entry.column, activity), `Non envoyée : ${entry.message}`);
    setActions(parts, "refused", () => [
      button("Reprendre le texte", "fr-btn--secondary", () => retakeRefused(entry.key)),
    ]);
  } else {
    ownItem(parts, entry.note, activity, pending);
  }
  return parts.item;
}

function updateMineItem(parts, kind, body, meta, status) {
  parts.item.className = `cocon-mine__item cocon-mine__item--${kind}`;
  parts.item.dataset.status = kind;
  setText(parts.body, body);
  setText(parts.meta, meta);
  show(parts.meta, Boolean(meta));
  setText(parts.status, status);
}

/** Rebuild an item's buttons only when what they do changes (keeps focus otherwise). */
function setActions(parts, sig, build) {
  if (parts.sig === sig) return;
  parts.sig = sig;
  parts.actions.replaceChildren(...build());
  show(parts.actions, parts.actions.children.length > 0);
}

function ownItem(parts, note, activity, pending) {
  const target = state.activities.get(note.activity_id);
  const pendingUpdate = pendingFor(pending, "contribution.update", note.id);
  const pendingWithdraw = pendingFor(pending, "contribution.withdraw", note.id);
  const [kind, status] = ownStatus(note, target, pendingUpdate, pendingWithdraw);
  const column = pendingUpdate && typeof pendingUpdate.column === "string" ? pendingUpdate.column : note.column;
  let meta = whereLabel(note.activity_id, column, activity);
  if (note.edited || pendingUpdate) meta = meta ? `${meta} · (modifiée)` : "(modifiée)";
  if (target && target.reactions && !(target.private && !target.revealed)) {
    meta = meta ? `${meta} · +1 (${note.reactions})` : `+1 (${note.reactions})`;
  }
  updateMineItem(parts, kind, pendingUpdate ? pendingUpdate.body : note.body, meta, status);
  const changeable = acceptsContributions(target, state.workshop) && !pendingWithdraw && note.status !== "hidden";
  const isEditing = editing.has(note.id);
  setActions(parts, `${changeable}:${isEditing}`, () => {
    if (isEditing) return [editForm(note.id, target, parts)];
    if (!changeable) return [];
    const edit = button("Modifier", "fr-btn--secondary", () => startEdit(note.id));
    const withdraw = button("Retirer", "fr-btn--tertiary", () => withdrawNote(note.id));
    for (const b of [edit, withdraw]) b.setAttribute("aria-describedby", parts.body.id);
    return [edit, withdraw];
  });
  show(parts.body, !isEditing);
  const message = noteErrors.get(note.id) || "";
  setText(parts.error, message);
  show(parts.error, Boolean(message));
}

function editForm(id, target, parts) {
  const form = h("form", "cocon-mine__edit");
  form.noValidate = true;
  const columns = (target && target.columns) || [];
  if (columns.length) {
    const fieldset = columnFieldset(`edit-${id}-column`, columns, (key) => {
      editing.set(id, { ...editing.get(id), column: key });
    });
    checkColumn(fieldset, editing.get(id).column);
    form.append(fieldset);
  }
  const group = h("div", "fr-input-group");
  const label = h("label", "fr-label", "Nouveau texte de la contribution");
  const field = h("textarea", "fr-input");
  field.id = `edit-${id}`;
  field.rows = 3;
  field.maxLength = 500;
  field.value = editing.get(id).body;
  label.htmlFor = field.id;
  field.addEventListener("input", () => editing.set(id, { ...editing.get(id), body: field.value }));
  group.append(label, field);
  const buttons = h("div", "fr-btns-group fr-btns-group--inline fr-btns-group--sm");
  const save = h("button", "fr-btn", "Enregistrer");
  save.type = "submit";
  buttons.append(save, button("Annuler", "fr-btn--secondary", () => stopEdit(id, parts)));
  form.append(group, buttons);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { column } = editing.get(id);
    const problem = bodyError(field.value) || columnError(target, column);
    if (problem) {
      noteErrors.set(id, problem);
      render();
      field.focus();
      return;
    }
    noteErrors.delete(id);
    editing.delete(id);
    const command = { type: "contribution.update", contribution_id: id, body: field.value.trim() };
    if (columns.length) command.column = column;
    client.send(command);
    render();
    focusFirstAction(parts);
  });
  setTimeout(() => field.isConnected && document.activeElement !== field && field.focus(), 0);
  return form;
}

function focusFirstAction(parts) {
  const first = parts.actions.querySelector("button");
  (first || document.getElementById("mine-title")).focus();
}

function startEdit(id) {
  const note = state.own.get(id);
  if (!note) return;
  noteErrors.delete(id);
  const update = pendingFor(client.pending(), "contribution.update", id);
  editing.set(id, {
    body: update ? update.body : note.body,
    column: update && typeof update.column === "string" ? update.column : note.column,
  });
  render();
}

function stopEdit(id, parts) {
  editing.delete(id);
  noteErrors.delete(id);
  render();
  focusFirstAction(parts);
}

function withdrawNote(id) {
  if (!window.confirm("Retirer cette contribution ? Elle sera supprimée pour tout le monde.")) return;
  noteErrors.delete(id);
  client.send({ type: "contribution.withdraw", contribution_id: id });
  render();
}

function retakeRefused(key) {
  const index = failed.findIndex((entry) => entry.key === key);
  if (index < 0) return;
  const [entry] = failed.splice(index, 1);
  // Back into the draft of the activity it was written for: the compose form if that is
  // the current one, else a draft panel that says what can be done with it.
  const draft = getDraft(store, entry.activityId);
  const column = draft.column || entry.column || "";
  store = updateDraft(store, activityRef(entry.activityId), { body: joinBodies(draft.body, entry.body), column });
  persistDrafts();
  render();
  if (entry.activityId === store.current && !ui.compose.hidden) {
    textarea.focus();
    announce("Le texte refusé est de nouveau dans le champ « Votre idée ».");
  } else {
    const heading = document.getElementById(`draft-${slotOf(entry.activityId)}-title`);
    (heading || document.getElementById("mine-title")).focus();
    announce("Le texte refusé est de nouveau dans un brouillon.");
  }
}

// The board -----------------------------------------------------------------------------------

const noteViews = new Map(); // note id -> {item, sig, parts…}
const groupViews = new Map(); // column key -> {element, heading, list}

function renderBoardSection(activity) {
  const notes = state.board().slice().reverse(); // newest first
  setText(ui.count, String(notes.length));
  const reactionsOn = Boolean(activity && activity.reactions);
  const pending = client.pending();
  const clusters = new Map(state.boardClusters().map((c) => [c.id, c.title]));
  const columns = (activity && activity.columns) || [];
  const groups = columns.map((c) => ({ key: c.key, label: c.label, notes: [] }));
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const loose = { key: columns.length ? "" : "*", label: columns.length ? "Sans catégorie" : "", notes: [] };
  for (const note of notes) (byKey.get(note.column) || loose).notes.push(note);
  if (loose.notes.length || !columns.length) groups.push(loose);
  const elements = groups.map((group) => groupElement(group, { reactionsOn, pending, clusters }));
  placeChildren(ui.board, elements);
  let message = "";
  if (activity && activity.private && !activity.revealed) {
    message = "Mode privé : les contributions de chacun s'afficheront ici quand l'animation les révélera.";
  } else if (activity && notes.length === 0) message = "Aucune contribution pour l'instant.";
  setText(ui["board-note"], message);
  show(ui["board-note"], Boolean(message));
  for (const id of noteViews.keys()) if (!state.contributions.has(id)) noteViews.delete(id);
}

function groupElement(group, context) {
  let view = groupViews.get(group.key);
  if (!view) {
    const element = h("div", "cocon-column");
    const heading = h("h3", "fr-h6 fr-mb-1w cocon-column__title");
    const list = h("ul", "cocon-board cocon-board--phone");
    element.append(heading, list);
    view = { element, heading, list };
    groupViews.set(group.key, view);
  }
  setText(view.heading, group.label ? `${group.label} (${group.notes.length})` : "");
  show(view.heading, Boolean(group.label));
  placeChildren(view.list, group.notes.map((note) => noteElement(note, context)));
  return view.element;
}

function noteElement(note, { reactionsOn, pending, clusters }) {
  const own = state.own.has(note.id);
  const pendingReaction = pendingFor(pending, "reaction.set", note.id);
  const pressed = pendingReaction ? pendingReaction.on : state.reacted.has(note.id);
  const cluster = note.cluster_id ? clusters.get(note.cluster_id) || "" : "";
  const error = reactionErrors.get(note.id) || "";
  const sig = JSON.stringify([note.body, note.author, note.edited, note.reactions, cluster, own, pressed, reactionsOn, error]);
  let view = noteViews.get(note.id);
  if (view && view.sig === sig) return view.item;
  if (!view) {
    const item = h("li", "cocon-note cocon-note--phone");
    item.dataset.id = String(note.id);
    view = {
      item,
      cluster: h("p", "cocon-note__cluster"),
      body: h("p", "cocon-note__body"),
      meta: h("p", "cocon-note__author"),
      reaction: h("div", "cocon-note__reaction"),
      error: h("p", "fr-error-text"),
    };
    view.body.id = `note-${note.id}-body`;
    item.append(view.cluster, view.body, view.meta, view.reaction, view.error);
    noteViews.set(note.id, view);
  }
  view.sig = sig;
  setText(view.cluster, cluster ? `Regroupement : ${cluster}` : "");
  show(view.cluster, Boolean(cluster));
  setText(view.body, note.body);
  const meta = [note.author ? `Par ${note.author}` : "", own ? "Vous" : "", note.edited ? "(modifiée)" : ""].filter(Boolean);
  setText(view.meta, meta.join(" · "));
  show(view.meta, meta.length > 0);
  renderReaction(view, note, { own, pressed, reactionsOn });
  setText(view.error, error);
  show(view.error, Boolean(error));
  return view.item;
}

function renderReaction(view, note, { own, pressed, reactionsOn }) {
  show(view.reaction, reactionsOn);
  if (!reactionsOn) return;
  const label = `+1 (${note.reactions})`;
  if (own) {
    if (!view.reaction.firstElementChild || view.reaction.firstElementChild.tagName !== "P") {
      view.reaction.replaceChildren(h("p", "fr-text--sm fr-mb-0 cocon-note__count"));
    }
    setText(view.reaction.firstElementChild, label);
    return;
  }
  let toggle = view.reaction.firstElementChild;
  if (!toggle || toggle.tagName !== "BUTTON") {
    toggle = h("button", "fr-btn fr-btn--sm cocon-note__plus");
    toggle.type = "button";
    toggle.dataset.react = String(note.id);
    toggle.setAttribute("aria-describedby", view.body.id);
    view.reaction.replaceChildren(toggle);
  }
  setText(toggle, label);
  toggle.setAttribute("aria-pressed", String(pressed));
  toggle.classList.toggle("fr-btn--secondary", !pressed);
}

ui.board.addEventListener("click", (event) => {
  const toggle = event.target.closest("button[data-react]");
  if (!toggle) return;
  const id = Number(toggle.dataset.react);
  reactionErrors.delete(id);
  const pressed = toggle.getAttribute("aria-pressed") === "true";
  client.send({ type: "reaction.set", contribution_id: id, on: !pressed });
  render();
});

// Rendering -----------------------------------------------------------------------------------

function render() {
  const activity = state.currentActivity();
  followActivity(activity);
  // A vote or a rating takes no written notes: no compose form, no board.
  const board = !activity || isBoard(activity);
  show(ui.compose, board);
  show(ui.wall, board);
  show(ui.elsewhere, !board);
  const counts = currentCounts();
  renderHeader(activity);
  renderIdentity(activity);
  renderDrafts(activity, counts);
  renderCompose(activity, counts);
  renderMine(activity);
  renderBoardSection(activity);
  renderTimer();
}

let renderQueued = false;
/** Render once after a burst (a batch of events is applied in one go). */
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    render();
  });
}

function renderTimer() {
  const text = state.workshop ? timerText(state.workshop.timer, client.serverNow()) : "";
  setText(ui.timer, text);
}

// The connection ------------------------------------------------------------------------------

function onEvent(event) {
  if (event.type === "contribution.removed" && state.own.has(event.contribution_id)) {
    // Our note left the board without our withdrawal: the facilitator hid it.
    const withdrawing = pendingFor(client.pending(), "contribution.withdraw", event.contribution_id);
    if (!withdrawing) state.own.set(event.contribution_id, { ...state.own.get(event.contribution_id), status: "hidden" });
  }
  state.apply(event);
  scheduleRender();
}

const client = new LiveClient({
  url: socketUrl(root.dataset.wsPath),
  storageKey: `cocon.phone.outbox.${root.dataset.workshopId}`,
  handlers: {
    snapshot(snapshot) {
      state.loadSnapshot(snapshot);
      if (snapshot.me) me = snapshot.me;
      scheduleRender();
    },
    event: onEvent,
    status(status) {
      root.dataset.status = status;
      if (status === "not-joined") {
        window.location.assign(root.dataset.joinUrl);
        return;
      }
      setText(ui.status, STATUS[status] || "");
    },
    ack(command, ack) {
      const result = ack.result || {};
      if (result.contribution) {
        // Shown at once, even if the broadcast is late, lost or redacted (private mode).
        state.setOwn(result.contribution);
        noteErrors.delete(result.contribution.id);
      } else if (typeof result.on === "boolean") {
        reactionErrors.delete(result.contribution_id);
        if (result.on) state.reacted.add(result.contribution_id);
        else state.reacted.delete(result.contribution_id);
      } else if (command && command.type === "contribution.withdraw") {
        state.forgetOwn(command.contribution_id);
        editing.delete(command.contribution_id);
        noteErrors.delete(command.contribution_id);
        announce("Contribution retirée.");
      }
      scheduleRender();
    },
    error(command, error) {
      const type = command ? command.type : "";
      if (type === "contribution.create") {
        failedCount += 1;
        failed.push({ key: `fail-${failedCount}`, body: command.body, activityId: command.activity_id, column: command.column, message: error.message });
      } else if (type === "contribution.update") {
        // The refused text stays in the form, nothing typed is lost.
        const note = state.own.get(command.contribution_id);
        const column = typeof command.column === "string" ? command.column : note ? note.column : "";
        editing.set(command.contribution_id, { body: command.body, column });
        noteErrors.set(command.contribution_id, error.message);
      } else if (type === "contribution.withdraw") {
        noteErrors.set(command.contribution_id, error.message);
      } else if (type === "reaction.set") {
        reactionErrors.set(command.contribution_id, error.message);
      } else {
        composeError(error.message);
      }
      scheduleRender();
    },
  },
});

render();
setInterval(renderTimer, 250);
client.connect();
