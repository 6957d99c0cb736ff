// "Toutes les contributions": the current activity's notes, newest first, grouped by
// column, each with its cluster, its signature and a +1 button on other people's notes
// (where the activity takes reactions). Items are keyed by id and updated in place.

import { el, reconcile, setText, show } from "./dom.js";
import { pendingFor } from "./phone-mine.js";

export class Board {
  constructor(ctx) {
    this.ctx = ctx;
    this.ui = ctx.ui;
    this.notes = new Map(); // note id -> {item, sig, parts…}
    this.groups = new Map(); // column key -> {element, heading, list}
    this.errors = new Map(); // note id -> refusal of a +1
    this.ui.board.addEventListener("click", (event) => {
      const toggle = event.target.closest("button[data-react]");
      if (!toggle) return;
      const id = Number(toggle.dataset.react);
      this.errors.delete(id);
      const pressed = toggle.getAttribute("aria-pressed") === "true";
      this.ctx.client.send({ type: "reaction.set", contribution_id: id, on: !pressed });
      this.ctx.render();
    });
  }

  render(activity) {
    const { state, client } = this.ctx;
    const notes = state.board().slice().reverse(); // newest first
    setText(this.ui.count, String(notes.length));
    const reactionsOn = Boolean(activity && activity.reactions);
    const pending = client.pending();
    const clusters = new Map(state.boardClusters().map((c) => [c.id, c.title]));
    const columns = (activity && activity.columns) || [];
    const groups = columns.map((c) => ({ key: c.key, label: c.label, notes: [] }));
    const byKey = new Map(groups.map((g) => [g.key, g]));
    const loose = { key: columns.length ? "" : "*", label: columns.length ? "Sans catégorie" : "", notes: [] };
    for (const note of notes) (byKey.get(note.column) || loose).notes.push(note);
    if (loose.notes.length || !columns.length) groups.push(loose);
    const elements = groups.map((group) => this.group(group, { reactionsOn, pending, clusters }));
    reconcile(this.ui.board, elements);
    let message = "";
    if (activity && activity.private && !activity.revealed) {
      message = "Mode privé : les contributions de chacun s'afficheront ici quand l'animation les révélera.";
    } else if (activity && notes.length === 0) message = "Aucune contribution pour l'instant.";
    setText(this.ui["board-note"], message);
    show(this.ui["board-note"], Boolean(message));
    for (const id of this.notes.keys()) if (!state.contributions.has(id)) this.notes.delete(id);
  }

  group(group, context) {
    let view = this.groups.get(group.key);
    if (!view) {
      const element = el("div", { className: "cocon-column" });
      const heading = el("h3", { className: "fr-h6 fr-mb-1w cocon-column__title" });
      const list = el("ul", { className: "cocon-board cocon-board--phone" });
      element.append(heading, list);
      view = { element, heading, list };
      this.groups.set(group.key, view);
    }
    setText(view.heading, group.label ? `${group.label} (${group.notes.length})` : "");
    show(view.heading, Boolean(group.label));
    reconcile(view.list, group.notes.map((note) => this.note(note, context)));
    return view.element;
  }

  note(note, { reactionsOn, pending, clusters }) {
    const { state } = this.ctx;
    const own = state.own.has(note.id);
    const pendingReaction = pendingFor(pending, "reaction.set", note.id);
    const pressed = pendingReaction ? pendingReaction.on : state.reacted.has(note.id);
    const cluster = note.cluster_id ? clusters.get(note.cluster_id) || "" : "";
    const error = this.errors.get(note.id) || "";
    const sig = JSON.stringify([note.body, note.author, note.edited, note.reactions, cluster, own, pressed, reactionsOn, error]);
    let view = this.notes.get(note.id);
    if (view && view.sig === sig) return view.item;
    if (!view) {
      const item = el("li", { className: "cocon-note cocon-note--phone" });
      item.dataset.id = String(note.id);
      view = {
        item,
        cluster: el("p", { className: "cocon-note__cluster" }),
        body: el("p", { className: "cocon-note__body", attrs: { id: `note-${note.id}-body` } }),
        meta: el("p", { className: "cocon-note__author" }),
        reaction: el("div", { className: "cocon-note__reaction" }),
        error: el("p", { className: "fr-error-text" }),
      };
      item.append(view.cluster, view.body, view.meta, view.reaction, view.error);
      this.notes.set(note.id, view);
    }
    view.sig = sig;
    setText(view.cluster, cluster ? `Regroupement : ${cluster}` : "");
    show(view.cluster, Boolean(cluster));
    setText(view.body, note.body);
    const meta = [note.author ? `Par ${note.author}` : "", own ? "Vous" : "", note.edited ? "(modifiée)" : ""].filter(Boolean);
    setText(view.meta, meta.join(" · "));
    show(view.meta, meta.length > 0);
    this.reaction(view, note, { own, pressed, reactionsOn });
    setText(view.error, error);
    show(view.error, Boolean(error));
    return view.item;
  }

  reaction(view, note, { own, pressed, reactionsOn }) {
    show(view.reaction, reactionsOn);
    if (!reactionsOn) return;
    const label = `+1 (${note.reactions})`;
    if (own) {
      if (!view.reaction.firstElementChild || view.reaction.firstElementChild.tagName !== "P") {
        view.reaction.replaceChildren(el("p", { className: "fr-text--sm fr-mb-0 cocon-note__count" }));
      }
      setText(view.reaction.firstElementChild, label);
      return;
    }
    let toggle = view.reaction.firstElementChild;
    if (!toggle || toggle.tagName !== "BUTTON") {
      toggle = el("button", {
        className: "fr-btn fr-btn--sm cocon-note__plus",
        attrs: { type: "button", "data-react": String(note.id), "aria-describedby": view.body.id },
      });
      view.reaction.replaceChildren(toggle);
    }
    setText(toggle, label);
    toggle.setAttribute("aria-pressed", String(pressed));
    toggle.classList.toggle("fr-btn--secondary", !pressed);
  }

  /** The answer to a +1. */
  reacted(result) {
    this.errors.delete(result.contribution_id);
    if (result.on) this.ctx.state.reacted.add(result.contribution_id);
    else this.ctx.state.reacted.delete(result.contribution_id);
  }
}
