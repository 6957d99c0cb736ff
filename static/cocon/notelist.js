// The moderation page's list of the current activity's notes, hidden ones included:
// hide (with a reason) or restore, spotlight on the big screen, move into a cluster with
// a select (the keyboard way to cluster), tick for a new cluster. Items are keyed by id
// and updated in place, so an open form keeps its text across events.

import { closeOnEscape, el, reconcile, setText } from "./dom.js";
import { isPrivateHidden } from "./layout.js";

export class NoteList {
  /** send(command, options): CommandTracker.send; onPick(): the ticked notes changed. */
  constructor(list, { send, onPick }) {
    this.list = list;
    this.send = send;
    this.onPick = onPick;
    this.items = new Map();
    this.moving = new Map(); // note id -> cluster id asked for, until answered
    this.picks = new Set();
  }

  picked() {
    return Array.from(this.picks);
  }
  clearPicks() {
    this.picks.clear();
    for (const item of this.items.values()) item.pick.checked = false;
    this.onPick();
  }

  /** view: { notes (all, oldest first), activity, clusters, workshop } */
  render(view) {
    this.view = view;
    const nodes = view.notes.map((note) => this.update(this.item(note.id), note, view));
    const ids = new Set(view.notes.map((n) => n.id));
    for (const id of this.items.keys()) if (!ids.has(id)) this.items.delete(id);
    let picksChanged = false;
    for (const id of this.picks) {
      if (!ids.has(id)) {
        this.picks.delete(id);
        picksChanged = true;
      }
    }
    reconcile(this.list, nodes);
    if (picksChanged) this.onPick();
  }

  item(id) {
    let item = this.items.get(id);
    if (item) return item;
    const bodyId = `mod-note-${id}`;
    const li = el("li", { className: "cocon-mod-note", attrs: { "data-id": String(id), tabindex: "-1" } });
    item = {
      li,
      body: el("p", { className: "cocon-mod-note__body", attrs: { id: bodyId } }),
      meta: el("p", { className: "cocon-mod-note__meta" }),
      hiddenFlag: el("p", { className: "cocon-mod-note__flag cocon-mod-note__flag--hidden" }),
      spotFlag: el("p", { className: "cocon-mod-note__flag cocon-mod-note__flag--spotlit", text: "Affichée en grand sur l'écran" }),
      pick: el("input", { attrs: { type: "checkbox", id: `mod-pick-${id}`, "aria-describedby": bodyId } }),
      select: el("select", { className: "fr-select", attrs: { id: `mod-cluster-${id}`, "aria-describedby": bodyId } }),
      hide: el("button", { className: "fr-btn fr-btn--sm fr-btn--secondary", attrs: { type: "button", "aria-describedby": bodyId } }),
      spot: el("button", { className: "fr-btn fr-btn--sm fr-btn--tertiary", attrs: { type: "button", "aria-describedby": bodyId } }),
      clusterSig: null,
    };
    const pickGroup = el("div", { className: "fr-checkbox-group fr-checkbox-group--sm" });
    pickGroup.append(item.pick, el("label", { className: "fr-label", text: "Cocher pour regrouper", attrs: { for: item.pick.id } }));
    const selectGroup = el("div", { className: "fr-select-group" });
    selectGroup.append(el("label", { className: "fr-label", text: "Regroupement", attrs: { for: item.select.id } }), item.select);
    const buttons = el("div", { className: "cocon-mod-note__buttons" });
    buttons.append(item.hide, item.spot);
    const actions = el("div", { className: "cocon-mod-note__actions" });
    actions.append(buttons, selectGroup, pickGroup);
    item.form = this.hideForm(id, item);
    li.append(item.body, item.meta, item.hiddenFlag, item.spotFlag, actions, item.form);

    item.pick.addEventListener("change", () => {
      if (item.pick.checked) this.picks.add(id);
      else this.picks.delete(id);
      this.onPick();
    });
    item.select.addEventListener("change", () => this.move(id, item));
    item.hide.addEventListener("click", () => {
      const note = this.note(id);
      if (!note) return;
      if (note.status === "hidden") {
        this.send({ type: "contribution.restore", contribution_id: id });
      } else {
        item.form.hidden = false;
        item.hide.setAttribute("aria-expanded", "true");
        item.reason.focus();
      }
    });
    item.spot.addEventListener("click", () => {
      const spotlit = this.view.workshop && this.view.workshop.spotlight_id === id;
      this.send({ type: "contribution.spotlight", contribution_id: spotlit ? null : id });
    });
    this.items.set(id, item);
    return item;
  }

  hideForm(id, item) {
    const form = el("form", { className: "cocon-mod-note__inline-form", attrs: { hidden: true, novalidate: true } });
    const group = el("div", { className: "fr-input-group" });
    const inputId = `mod-reason-${id}`;
    const errorId = `mod-reason-error-${id}`;
    const label = el("label", { className: "fr-label", text: "Raison du masquage", attrs: { for: inputId } });
    label.append(el("span", { className: "fr-hint-text", text: "Gardée dans le compte rendu, jamais montrée aux participants. 200 caractères au plus." }));
    item.reason = el("input", {
      className: "fr-input",
      attrs: { id: inputId, maxlength: "200", autocomplete: "off", "aria-describedby": errorId },
    });
    item.reasonError = el("p", { className: "fr-error-text", attrs: { id: errorId, hidden: true } });
    group.append(label, item.reason, item.reasonError);
    const confirm = el("button", { className: "fr-btn fr-btn--sm", text: "Confirmer le masquage", attrs: { type: "submit" } });
    const cancel = el("button", { className: "fr-btn fr-btn--sm fr-btn--tertiary", text: "Annuler", attrs: { type: "button" } });
    form.append(group, confirm, cancel);
    const close = () => {
      form.hidden = true;
      item.reason.value = "";
      this.showReasonError(item, "");
      item.hide.setAttribute("aria-expanded", "false");
      item.hide.focus();
    };
    cancel.addEventListener("click", close);
    closeOnEscape(form, close);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const reason = item.reason.value.trim();
      if (!reason) {
        this.showReasonError(item, "Indiquez pourquoi la contribution est masquée.");
        item.reason.focus();
        return;
      }
      this.send({ type: "contribution.hide", contribution_id: id, reason });
      close();
    });
    return form;
  }

  showReasonError(item, message) {
    setText(item.reasonError, message);
    item.reasonError.hidden = !message;
    item.reason.classList.toggle("fr-input--error", Boolean(message));
    if (message) item.reason.setAttribute("aria-invalid", "true");
    else item.reason.removeAttribute("aria-invalid");
  }

  note(id) {
    return this.view ? this.view.notes.find((n) => n.id === id) : null;
  }

  move(id, item) {
    const value = item.select.value;
    const clusterId = value === "" ? null : Number(value);
    this.moving.set(id, clusterId);
    const settle = () => {
      this.moving.delete(id);
      const note = this.note(id);
      if (note) this.update(item, note, this.view);
    };
    this.send({ type: "contribution.move", contribution_id: id, cluster_id: clusterId }, { onAck: settle, onError: settle });
  }

  update(item, note, view) {
    const hidden = note.status === "hidden";
    const spotlit = Boolean(view.workshop && view.workshop.spotlight_id === note.id);
    item.li.classList.toggle("cocon-mod-note--hidden", hidden);
    item.li.classList.toggle("cocon-mod-note--spotlit", spotlit);
    setText(item.body, note.body);
    setText(item.meta, meta(note, view.activity));
    setText(item.hiddenFlag, hidden ? `Masquée : ${note.hidden_reason}` : "");
    item.hiddenFlag.hidden = !hidden;
    item.spotFlag.hidden = !spotlit;
    setText(item.hide, hidden ? "Rétablir" : "Masquer");
    if (hidden) {
      item.hide.removeAttribute("aria-expanded");
      if (!item.form.hidden) item.form.hidden = true;
    } else if (!item.hide.hasAttribute("aria-expanded")) {
      item.hide.setAttribute("aria-expanded", String(!item.form.hidden));
    }
    setText(item.spot, spotlit ? "Retirer de l'écran" : "Mettre en avant");
    item.spot.hidden = hidden || (isPrivateHidden(view.activity) && !spotlit);
    this.fillClusters(item, view.clusters);
    const wanted = this.moving.has(note.id) ? this.moving.get(note.id) : note.cluster_id;
    const value = wanted === null || wanted === undefined ? "" : String(wanted);
    if (item.select.value !== value) item.select.value = value;
    return item.li;
  }

  fillClusters(item, clusters) {
    const sig = clusters.map((c) => `${c.id}:${c.title}`).join("\n");
    if (item.clusterSig === sig) return;
    item.clusterSig = sig;
    item.select.replaceChildren(
      el("option", { text: "Aucun", attrs: { value: "" } }),
      ...clusters.map((c) => el("option", { text: c.title, attrs: { value: String(c.id) } })),
    );
  }
}

function meta(note, activity) {
  const parts = [];
  const column = activity && activity.columns.find((c) => c.key === note.column);
  if (column) parts.push(`${activity.journey ? "Étape" : "Colonne"} : ${column.label}`);
  const lane = activity && activity.journey && activity.journey.lanes.find((l) => l.key === note.lane);
  if (lane) parts.push(`Ligne : ${lane.label}`);
  parts.push(note.author ? `Auteur : ${note.author}` : "Anonyme");
  if (note.reactions) parts.push(`+1 : ${note.reactions}`);
  if (note.edited) parts.push("modifiée");
  return parts.join(" · ");
}
