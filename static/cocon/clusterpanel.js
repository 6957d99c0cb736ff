// The moderation page's clusters of the current activity: create one (with the ticked
// notes), rename or delete each. Items are keyed by id and updated in place.

import { closeOnEscape, el, reconcile, setText } from "./dom.js";
import { plural } from "./layout.js";

export class ClusterPanel {
  /**
   * root: the page; send(command, options): CommandTracker.send;
   * picked(): ids of the ticked notes; clearPicks(): untick them.
   */
  constructor(root, bindOf, { send, picked, clearPicks, activity }) {
    this.send = send;
    this.picked = picked;
    this.clearPicks = clearPicks;
    this.activity = activity; // () => the current activity
    this.list = bindOf(root, "clusters");
    this.form = bindOf(root, "cluster-form");
    this.error = bindOf(root, "cluster-error");
    this.pickedLine = bindOf(root, "cluster-picked");
    this.items = new Map();
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.create();
    });
  }

  create() {
    const input = this.form.elements.title;
    const title = input.value.trim();
    const activity = this.activity();
    if (!title) return this.fieldError("Donnez un titre au regroupement.");
    if (!activity) return this.fieldError("Aucune activité en cours.");
    this.fieldError("");
    const ids = this.picked();
    this.send(
      { type: "cluster.create", activity_id: activity.id, title, contribution_ids: ids },
      { onAck: () => this.clearPicks() },
    );
    input.value = "";
  }

  fieldError(message) {
    const input = this.form.elements.title;
    setText(this.error, message);
    this.error.hidden = !message;
    input.classList.toggle("fr-input--error", Boolean(message));
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  /** The hint under the title field: how many ticked notes will go in. */
  renderPicked() {
    const count = this.picked().length;
    setText(
      this.pickedLine,
      count
        ? `${plural(count, "contribution cochée y sera placée", "contributions cochées y seront placées")}.`
        : "Cochez des contributions pour les y placer dès sa création.",
    );
  }

  /** clusters: the current activity's, in order; notes: its notes (for the counts). */
  render(clusters, notes) {
    const counts = new Map();
    for (const note of notes) counts.set(note.cluster_id, (counts.get(note.cluster_id) || 0) + 1);
    const nodes = clusters.map((cluster) => {
      const item = this.item(cluster);
      setText(item.title, cluster.title);
      setText(item.count, plural(counts.get(cluster.id) || 0, "contribution", "contributions"));
      return item.li;
    });
    const ids = new Set(clusters.map((c) => c.id));
    for (const id of this.items.keys()) if (!ids.has(id)) this.items.delete(id);
    reconcile(this.list, nodes);
    this.renderPicked();
  }

  item(cluster) {
    const id = cluster.id;
    let item = this.items.get(id);
    if (item) return item;
    const titleId = `cluster-${id}-title`;
    const li = el("li", { className: "cocon-clusters__item" });
    item = {
      li,
      title: el("p", { className: "cocon-clusters__title", attrs: { id: titleId } }),
      count: el("p", { className: "cocon-clusters__count" }),
    };
    const rename = el("button", {
      className: "fr-btn fr-btn--sm fr-btn--secondary",
      text: "Renommer",
      attrs: { type: "button", "aria-describedby": titleId, "aria-expanded": "false" },
    });
    const remove = el("button", {
      className: "fr-btn fr-btn--sm fr-btn--tertiary",
      text: "Supprimer",
      attrs: { type: "button", "aria-describedby": titleId },
    });
    const buttons = el("div", { className: "cocon-clusters__buttons" });
    buttons.append(rename, remove);
    const form = el("form", { className: "cocon-mod-note__inline-form", attrs: { hidden: true, novalidate: true } });
    const group = el("div", { className: "fr-input-group" });
    const input = el("input", { className: "fr-input", attrs: { id: `cluster-${id}-rename`, maxlength: "120", autocomplete: "off" } });
    group.append(el("label", { className: "fr-label", text: "Nouveau titre", attrs: { for: input.id } }), input);
    const save = el("button", { className: "fr-btn fr-btn--sm", text: "Enregistrer", attrs: { type: "submit" } });
    const cancel = el("button", { className: "fr-btn fr-btn--sm fr-btn--tertiary", text: "Annuler", attrs: { type: "button" } });
    form.append(group, save, cancel);
    li.append(item.title, item.count, buttons, form);

    const close = () => {
      form.hidden = true;
      rename.setAttribute("aria-expanded", "false");
      rename.focus();
    };
    rename.addEventListener("click", () => {
      form.hidden = false;
      rename.setAttribute("aria-expanded", "true");
      input.value = item.title.textContent;
      input.focus();
      input.select();
    });
    cancel.addEventListener("click", close);
    closeOnEscape(form, close);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const title = input.value.trim();
      if (!title) {
        input.focus();
        return;
      }
      if (title !== item.title.textContent) this.send({ type: "cluster.rename", cluster_id: id, title });
      close();
    });
    remove.addEventListener("click", () => {
      // Nothing is lost: its notes stay on the board, unclustered. Focus goes to the form.
      this.send({ type: "cluster.delete", cluster_id: id });
      this.form.elements.title.focus();
    });
    this.items.set(id, item);
    return item;
  }
}
