// The moderation page's shortlist picker: which notes (or clusters) of the source board
// a vote puts to the room. One checkbox each, keyed and reused, so ticks survive the
// events that keep arriving; "Soumettre au vote" sends vote.shortlist in the board's
// order. Only offered until the first vote (the server refuses it after).

import { el, reconcile, setText } from "./dom.js";
import { itemKeys, shortlistCommand } from "./results.js";

export class ShortlistPicker {
  /** root: the vote section; send(command, options): CommandTracker.send. */
  constructor(root, bindOf, { send }) {
    this.send = send;
    this.details = bindOf(root, "shortlist");
    this.form = bindOf(root, "shortlist-form");
    this.list = bindOf(root, "shortlist-options");
    this.hint = bindOf(root, "shortlist-hint");
    this.error = bindOf(root, "shortlist-error");
    this.entries = new Map(); // option key -> { node, input, label }
    this.picked = new Set();
    this.dirty = false; // ticks changed here since the vote's items were last taken
    this.activityId = null;
    this.itemsSignature = null;
    this.view = null;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    bindOf(root, "shortlist-all").addEventListener("click", () => this.tickAll(true));
    bindOf(root, "shortlist-none").addEventListener("click", () => this.tickAll(false));
  }

  /** view: { activity, items, options (shortlistOptions), sourceTitle, allowed } */
  render(view) {
    this.view = view;
    this.details.hidden = !view.allowed;
    if (!view.allowed) return;
    const { activity, items, options } = view;
    const signature = Array.from(itemKeys(items)).join(",");
    if (activity.id !== this.activityId || (!this.dirty && signature !== this.itemsSignature)) {
      this.picked = itemKeys(items);
      this.dirty = false;
      this.showError("");
    }
    this.activityId = activity.id;
    this.itemsSignature = signature;
    setText(this.hint, hintFor(view));
    const keys = new Set(options.map((o) => o.key));
    for (const key of this.picked) if (!keys.has(key)) this.picked.delete(key);
    const nodes = options.map((option) => {
      const entry = this.entry(option.key);
      setText(entry.label, option.label);
      entry.input.checked = this.picked.has(option.key);
      return entry.node;
    });
    for (const key of this.entries.keys()) if (!keys.has(key)) this.entries.delete(key);
    reconcile(this.list, nodes);
  }

  entry(key) {
    let entry = this.entries.get(key);
    if (entry) return entry;
    const id = `shortlist-${key}`;
    const node = el("div", { className: "fr-checkbox-group fr-checkbox-group--sm cocon-shortlist__option" });
    const input = el("input", { attrs: { type: "checkbox", id, name: "items", value: key } });
    const label = el("label", { className: "fr-label", attrs: { for: id } });
    node.append(input, label);
    input.addEventListener("change", () => {
      if (input.checked) this.picked.add(key);
      else this.picked.delete(key);
      this.dirty = true;
      this.showError("");
    });
    entry = { node, input, label };
    this.entries.set(key, entry);
    return entry;
  }

  tickAll(on) {
    if (!this.view) return;
    this.picked = new Set(on ? this.view.options.map((o) => o.key) : []);
    this.dirty = true;
    for (const [key, entry] of this.entries) entry.input.checked = this.picked.has(key);
  }

  submit() {
    if (!this.view) return;
    const command = shortlistCommand(this.view.activity, this.view.options, this.picked);
    if (!command) {
      this.showError("Cochez au moins un élément à soumettre au vote.");
      const first = this.list.querySelector("input");
      if (first) first.focus();
      return;
    }
    this.showError("");
    this.send(command, {
      once: true,
      onAck: () => {
        this.dirty = false;
      },
    });
  }

  showError(message) {
    setText(this.error, message);
    this.error.hidden = !message;
  }
}

function hintFor({ activity, items, options, sourceTitle }) {
  const source = sourceTitle ? `« ${sourceTitle} »` : "le tableau source";
  const what = activity.vote && activity.vote.target === "clusters" ? "regroupements" : "contributions visibles";
  if (!options.length) return `Aucun élément à choisir : ${source} n'a pas encore de ${what}.`;
  if (!items.length) return `Les ${what} de ${source}. Sans choix, toutes seront soumises au vote à son ouverture.`;
  return `Les ${what} de ${source}. La liste choisie remplace les éléments actuels, dans l'ordre du tableau.`;
}
