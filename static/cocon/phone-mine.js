// "Mes contributions": the participant's notes, newest first: those waiting in the outbox,
// those the server refused (kept visibly so nothing typed is lost, their text can be
// taken back into a draft), and those received, which can be edited or withdrawn while
// their activity is open.

import { el, reconcile, setText, show } from "./dom.js";
import { acceptsContributions, bodyError, columnError, joinBodies, slotOf } from "./drafts.js";
import { isJourney, journeyOpen } from "./journey-rules.js";
import { button, checkRadio, columnFieldset } from "./phone-widgets.js";

/** The last command of `type` about note `id` still in the outbox (null if none). */
export function pendingFor(pending, type, id) {
  let found = null;
  for (const command of pending) if (command.type === type && command.contribution_id === id) found = command;
  return found;
}

function ownStatus(note, target, pendingUpdate, pendingWithdraw) {
  if (pendingWithdraw) return ["pending", "Retrait en attente d'envoi"];
  if (pendingUpdate) return ["pending", "Modification en attente d'envoi"];
  if (note.status === "hidden") return ["hidden", "Masquée par l'animation"];
  if (target && target.private && !target.revealed) return ["received", "Reçue ✓ · Masquée jusqu'à la révélation"];
  return ["received", "Reçue ✓"];
}

/** The refused notes kept in the phone's storage (none if unreadable). */
function loadRefused(key) {
  try {
    const stored = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(stored) ? stored.filter((e) => e && typeof e.body === "string" && e.key) : [];
  } catch {
    return [];
  }
}

export class Mine {
  constructor(ctx) {
    this.ctx = ctx;
    this.list = ctx.ui.mine;
    this.items = new Map(); // key -> {item, parts…}
    // Notes the server refused, kept visibly (and in the phone's storage, so a reload keeps
    // them) so nothing typed is lost.
    this.storageKey = `cocon.phone.refused.${ctx.root.dataset.workshopId}`;
    this.failed = loadRefused(this.storageKey);
    this.failedCount = this.failed.length;
    this.editing = new Map(); // own note id -> {body, column} being edited
    this.errors = new Map(); // own note id -> refusal of an edit or a withdrawal
  }

  heading() {
    return document.getElementById("mine-title");
  }

  render(activity) {
    const { state, client } = this.ctx;
    // Buttons that stop applying are removed: if one had the focus, give it to the heading.
    const focused = this.list.contains(document.activeElement) ? document.activeElement : null;
    const pending = client.pending();
    const entries = [];
    for (const command of pending.slice().reverse()) {
      if (command.type !== "contribution.create") continue;
      entries.push({
        key: `req-${command.request_id}`,
        kind: "pending",
        body: command.body,
        activityId: command.activity_id,
        column: command.column,
        lane: command.lane || "",
      });
    }
    for (const entry of this.failed.slice().reverse()) entries.push({ ...entry, kind: "refused" });
    const own = Array.from(state.own.values()).sort((a, b) =>
      a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id,
    );
    for (const note of own) entries.push({ key: `own-${note.id}`, kind: "own", note });
    const nodes = entries.map((entry) => this.item(entry, activity, pending));
    const keep = new Set(entries.map((e) => e.key));
    for (const key of this.items.keys()) if (!keep.has(key)) this.items.delete(key);
    reconcile(this.list, nodes);
    if (focused && !focused.isConnected) this.heading().focus();
    show(this.ctx.ui["mine-empty"], entries.length === 0);
  }

  /** Where a note is: its activity (when not the current one), its column or stage, and
   * on a journey map its lane. */
  whereLabel(activityId, column, activity, lane = "") {
    const target = this.ctx.state.activities.get(activityId);
    const parts = [];
    if (target && (!activity || target.id !== activity.id)) parts.push(`« ${target.title} »`);
    const label = target && (target.columns || []).find((c) => c.key === column);
    if (label) parts.push(label.label);
    const row = lane && target && target.journey && target.journey.lanes.find((l) => l.key === lane);
    if (row) parts.push(row.label);
    return parts.join(" · ");
  }

  createItem(key) {
    const item = el("li", { className: "cocon-mine__item" });
    const body = el("p", { className: "cocon-mine__body", attrs: { id: `mine-${key}-body` } });
    const meta = el("p", { className: "cocon-mine__meta" });
    const status = el("p", { className: "cocon-mine__status" });
    const actions = el("div", { className: "fr-btns-group fr-btns-group--inline fr-btns-group--sm cocon-mine__actions" });
    const error = el("p", { className: "fr-error-text cocon-mine__error", attrs: { hidden: true } });
    item.append(body, meta, status, actions, error);
    return { item, body, meta, status, actions, error, sig: "" };
  }

  item(entry, activity, pending) {
    let parts = this.items.get(entry.key);
    if (!parts) {
      parts = this.createItem(entry.key);
      this.items.set(entry.key, parts);
    }
    if (entry.kind === "pending") {
      const where = this.whereLabel(entry.activityId, entry.column, activity, entry.lane);
      this.update(parts, "pending", entry.body, where, "En attente d'envoi");
      this.setActions(parts, "pending", () => []);
    } else if (entry.kind === "refused") {
      const where = this.whereLabel(entry.activityId, entry.column, activity, entry.lane);
      this.update(parts, "refused", entry.body, where, `Non envoyée : ${entry.message}`);
      this.setActions(parts, "refused", () => [
        button("Reprendre le texte", "fr-btn--secondary", () => this.retakeRefused(entry.key)),
      ]);
    } else {
      this.ownItem(parts, entry.note, activity, pending);
    }
    return parts.item;
  }

  update(parts, kind, body, meta, status) {
    parts.item.className = `cocon-mine__item cocon-mine__item--${kind}`;
    parts.item.dataset.status = kind;
    setText(parts.body, body);
    setText(parts.meta, meta);
    show(parts.meta, Boolean(meta));
    setText(parts.status, status);
  }

  /** Rebuild an item's buttons only when what they do changes (keeps focus otherwise). */
  setActions(parts, sig, build) {
    if (parts.sig === sig) return;
    parts.sig = sig;
    parts.actions.replaceChildren(...build());
    show(parts.actions, parts.actions.children.length > 0);
  }

  ownItem(parts, note, activity, pending) {
    const { state } = this.ctx;
    const target = state.activities.get(note.activity_id);
    const pendingUpdate = pendingFor(pending, "contribution.update", note.id);
    const pendingWithdraw = pendingFor(pending, "contribution.withdraw", note.id);
    const [kind, status] = ownStatus(note, target, pendingUpdate, pendingWithdraw);
    const column = pendingUpdate && typeof pendingUpdate.column === "string" ? pendingUpdate.column : note.column;
    let meta = this.whereLabel(note.activity_id, column, activity, note.lane);
    if (note.edited || pendingUpdate) meta = meta ? `${meta} · (modifiée)` : "(modifiée)";
    if (target && target.reactions && !(target.private && !target.revealed)) {
      meta = meta ? `${meta} · +1 (${note.reactions})` : `+1 (${note.reactions})`;
    }
    this.update(parts, kind, pendingUpdate ? pendingUpdate.body : note.body, meta, status);
    // A journey card is rewritten or withdrawn here too; it keeps its cell (the map's own
    // view is where cards are placed).
    const open = acceptsContributions(target, state.workshop) || (isJourney(target) && journeyOpen(target, state.workshop));
    const changeable = open && !pendingWithdraw && note.status !== "hidden";
    const isEditing = this.editing.has(note.id);
    this.setActions(parts, `${changeable}:${isEditing}`, () => {
      if (isEditing) return [this.editForm(note.id, target, parts)];
      if (!changeable) return [];
      const edit = button("Modifier", "fr-btn--secondary", () => this.startEdit(note.id));
      const withdraw = button("Retirer", "fr-btn--tertiary", () => this.withdraw(note.id));
      for (const b of [edit, withdraw]) b.setAttribute("aria-describedby", parts.body.id);
      return [edit, withdraw];
    });
    show(parts.body, !isEditing);
    const message = this.errors.get(note.id) || "";
    setText(parts.error, message);
    show(parts.error, Boolean(message));
  }

  editForm(id, target, parts) {
    const form = el("form", { className: "cocon-mine__edit" });
    form.noValidate = true;
    const columns = (target && !isJourney(target) && target.columns) || [];
    if (columns.length) {
      const fieldset = columnFieldset(`edit-${id}-column`, columns, (key) => {
        this.editing.set(id, { ...this.editing.get(id), column: key });
      });
      checkRadio(fieldset, this.editing.get(id).column);
      form.append(fieldset);
    }
    const group = el("div", { className: "fr-input-group" });
    const label = el("label", { className: "fr-label", text: "Nouveau texte de la contribution", attrs: { for: `edit-${id}` } });
    const field = el("textarea", { className: "fr-input", attrs: { id: `edit-${id}`, rows: "3", maxlength: "500" } });
    field.value = this.editing.get(id).body;
    field.addEventListener("input", () => this.editing.set(id, { ...this.editing.get(id), body: field.value }));
    group.append(label, field);
    const buttons = el("div", { className: "fr-btns-group fr-btns-group--inline fr-btns-group--sm" });
    const save = el("button", { className: "fr-btn", text: "Enregistrer", attrs: { type: "submit" } });
    buttons.append(save, button("Annuler", "fr-btn--secondary", () => this.stopEdit(id, parts)));
    form.append(group, buttons);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const { column } = this.editing.get(id);
      const problem = bodyError(field.value) || (columns.length ? columnError(target, column) : "");
      if (problem) {
        this.errors.set(id, problem);
        this.ctx.render();
        field.focus();
        return;
      }
      this.errors.delete(id);
      this.editing.delete(id);
      const command = { type: "contribution.update", contribution_id: id, body: field.value.trim() };
      if (columns.length) command.column = column;
      this.ctx.client.send(command);
      this.ctx.render();
      this.focusFirstAction(parts);
    });
    setTimeout(() => field.isConnected && document.activeElement !== field && field.focus(), 0);
    return form;
  }

  focusFirstAction(parts) {
    const first = parts.actions.querySelector("button");
    (first || this.heading()).focus();
  }

  startEdit(id) {
    const note = this.ctx.state.own.get(id);
    if (!note) return;
    this.errors.delete(id);
    const update = pendingFor(this.ctx.client.pending(), "contribution.update", id);
    this.editing.set(id, {
      body: update ? update.body : note.body,
      column: update && typeof update.column === "string" ? update.column : note.column,
    });
    this.ctx.render();
  }

  stopEdit(id, parts) {
    this.editing.delete(id);
    this.errors.delete(id);
    this.ctx.render();
    this.focusFirstAction(parts);
  }

  withdraw(id) {
    if (!window.confirm("Retirer cette contribution ? Elle sera supprimée pour tout le monde.")) return;
    this.errors.delete(id);
    this.ctx.client.send({ type: "contribution.withdraw", contribution_id: id });
    this.ctx.render();
  }

  /** Put a refused note's text back into the draft of the activity it was written for. */
  retakeRefused(key) {
    const { drafts, compose } = this.ctx;
    const index = this.failed.findIndex((entry) => entry.key === key);
    if (index < 0) return;
    const [entry] = this.failed.splice(index, 1);
    this.saveRefused();
    // Back into the draft of the activity it was written for: the compose form if that is
    // the current one, else a draft panel that says what can be done with it.
    const draft = drafts.get(entry.activityId);
    const column = draft.column || entry.column || "";
    drafts.update(entry.activityId, { body: joinBodies(draft.body, entry.body), column });
    this.ctx.render();
    if (entry.activityId === drafts.current && !compose.form.hidden) {
      compose.textarea.focus();
      this.ctx.announce("Le texte refusé est de nouveau dans le champ « Votre idée ».");
    } else {
      const heading = document.getElementById(`draft-${slotOf(entry.activityId)}-title`);
      (heading || this.heading()).focus();
      this.ctx.announce("Le texte refusé est de nouveau dans un brouillon.");
    }
  }

  // Answers of the server ---------------------------------------------------------------

  /** A note the server refused to create: kept visibly with the reason. */
  refused(command, message) {
    this.failedCount += 1;
    this.failed.push({
      key: `fail-${Date.now()}-${this.failedCount}`,
      body: command.body,
      activityId: command.activity_id,
      column: command.column,
      lane: command.lane || "",
      message,
    });
    this.saveRefused();
  }

  saveRefused() {
    try {
      if (this.failed.length) localStorage.setItem(this.storageKey, JSON.stringify(this.failed));
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage full or refused: the refused notes stay on screen until a reload.
    }
  }

  /** A refused edit: the refused text stays in the form, nothing typed is lost. */
  editRefused(command, message) {
    const note = this.ctx.state.own.get(command.contribution_id);
    const column = typeof command.column === "string" ? command.column : note ? note.column : "";
    this.editing.set(command.contribution_id, { body: command.body, column });
    this.errors.set(command.contribution_id, message);
  }

  withdrawn(id) {
    this.ctx.state.forgetOwn(id);
    this.editing.delete(id);
    this.errors.delete(id);
    this.ctx.announce("Contribution retirée.");
  }
}
