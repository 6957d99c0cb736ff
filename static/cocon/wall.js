// The big screen's wall: columns side by side, notes grouped by cluster inside each,
// drawn from layout.js's pure rules. Elements are keyed by id and reused, so a render
// after each event moves only what changed (focus and drags survive). Notes are
// buttons (activate: spotlight) and can be dragged onto a cluster, onto "Sans
// regroupement" or onto "Nouveau regroupement" (the moderation page offers the same
// without dragging).

import { el, reconcile, setText } from "./dom.js";
import { plural, shownAuthor, wallLayout } from "./layout.js";

const HINT_ID = "wall-note-hint";

export class Wall {
  /**
   * board: the container of the columns; dropbar: extra drop zones (may be null).
   * handlers: onActivate(noteId), onMove(noteId, clusterId|null), onNewCluster(noteId).
   */
  constructor(board, dropbar, handlers) {
    this.board = board;
    this.dropbar = dropbar;
    this.handlers = handlers;
    this.notes = new Map(); // note id -> { li, button, body, author, clusterId }
    this.columns = new Map(); // column key -> { node, label, count, groups }
    this.groups = new Map(); // "column|cluster" -> { node, title, count, toggle, list }
    this.chips = new Map(); // cluster id -> drop bar zone of an empty cluster
    this.expanded = new Set(); // clusters unfolded while the wall sums them up
    this.dragging = null;
    this.over = null;
    for (const area of [board, dropbar]) if (area) this.listenForDrops(area);
    board.addEventListener("dragstart", (event) => this.dragStart(event));
    board.addEventListener("dragend", () => this.dragEnd());
  }

  // Rendering ---------------------------------------------------------------------------
  /** view: { activity, notes (visible ones), clusters, workshop, density, spotlightId } */
  render(view) {
    const layout = wallLayout(view.activity, view.notes, view.clusters);
    this.last = view;
    this.board.dataset.layout = layout.single ? "single" : "columns";
    this.board.style.setProperty("--wall-columns", String(layout.columns.length));
    const seenNotes = new Set();
    const seenGroups = new Set();
    const columnNodes = layout.columns.map((column) => {
      const entry = this.column(column.key);
      if (entry.label) {
        setText(entry.label, column.label);
        setText(entry.count, ` (${column.count})`);
      }
      const hasClusters = column.groups.length > 1;
      const groupNodes = column.groups.map((group) => {
        const key = `${column.key}|${group.cluster ? group.cluster.id : ""}`;
        seenGroups.add(key);
        return this.renderGroup(key, column.key, group, hasClusters, view, seenNotes);
      });
      reconcile(entry.groups, groupNodes);
      return entry.node;
    });
    reconcile(this.board, columnNodes);
    prune(this.columns, new Set(layout.columns.map((c) => c.key)));
    prune(this.groups, seenGroups);
    prune(this.notes, seenNotes);
    this.renderDropbar(layout.emptyClusters);
  }

  column(key) {
    let entry = this.columns.get(key);
    if (entry) return entry;
    const groups = el("div", { className: "cocon-wall__groups" });
    if (key === "") {
      entry = { node: el("div", { className: "cocon-wall__column" }), label: null, count: null, groups };
      entry.node.append(groups);
    } else {
      const id = `wall-column-${this.columns.size}-${key}`;
      const node = el("section", { className: "cocon-wall__column", attrs: { "aria-labelledby": id } });
      const heading = el("h3", { className: "cocon-wall__column-title", attrs: { id } });
      const label = el("span");
      const count = el("span", { className: "cocon-wall__count" });
      heading.append(label, count);
      node.append(heading, groups);
      entry = { node, label, count, groups };
    }
    this.columns.set(key, entry);
    return entry;
  }

  renderGroup(key, columnKey, group, hasClusters, view, seenNotes) {
    let entry = this.groups.get(key);
    if (!entry) {
      entry = this.newGroup(group.cluster, columnKey);
      this.groups.set(key, entry);
    }
    const cluster = group.cluster;
    const collapsed = Boolean(cluster && view.density.summarize && !this.expanded.has(cluster.id));
    if (entry.heading) {
      entry.heading.hidden = !cluster && !hasClusters; // "Sans regroupement" only beside clusters
      setText(entry.title, cluster ? cluster.title : "Sans regroupement");
      setText(entry.count, ` · ${plural(group.notes.length, "contribution", "contributions")}`);
    }
    if (entry.toggle) {
      entry.toggle.hidden = !view.density.summarize;
      entry.toggle.setAttribute("aria-expanded", String(!collapsed));
      setText(entry.toggle, collapsed ? "Déplier" : "Replier");
    }
    entry.node.classList.toggle("cocon-wall__group--collapsed", collapsed);
    entry.node.classList.toggle("cocon-wall__group--empty", group.notes.length === 0);
    // An empty "Sans regroupement" beside clusters is noise; the drop bar has that zone.
    entry.node.hidden = !cluster && group.notes.length === 0 && hasClusters;
    entry.list.hidden = collapsed;
    const items = collapsed
      ? []
      : group.notes.map((note) => {
          seenNotes.add(note.id);
          return this.renderNote(note, view);
        });
    if (collapsed) for (const note of group.notes) seenNotes.add(note.id); // keep their elements
    reconcile(entry.list, items);
    return entry.node;
  }

  newGroup(cluster, columnKey) {
    const node = el("div", {
      className: `cocon-wall__group${cluster ? "" : " cocon-wall__group--loose"}`,
      attrs: cluster ? { "data-drop": "cluster", "data-cluster-id": String(cluster.id) } : { "data-drop": "loose" },
    });
    const list = el("ul", { className: "cocon-wall__notes" });
    const entry = { node, list, heading: null, title: null, count: null, toggle: null };
    const level = columnKey === "" ? "h3" : "h4";
    const heading = el(level, { className: "cocon-wall__group-title" });
    entry.title = el("span");
    entry.count = el("span", { className: "cocon-wall__count" });
    heading.append(entry.title, entry.count);
    entry.heading = heading;
    node.append(heading);
    if (cluster) {
      const listId = `wall-group-${columnKey || "board"}-${cluster.id}`;
      list.id = listId;
      entry.toggle = el("button", {
        className: "fr-btn fr-btn--sm fr-btn--tertiary-no-outline cocon-wall__toggle",
        attrs: { type: "button", "aria-controls": listId, hidden: true },
      });
      entry.toggle.addEventListener("click", () => {
        if (this.expanded.has(cluster.id)) this.expanded.delete(cluster.id);
        else this.expanded.add(cluster.id);
        if (this.last) this.render(this.last);
      });
      node.append(entry.toggle);
    }
    node.append(list);
    return entry;
  }

  renderNote(note, view) {
    let entry = this.notes.get(note.id);
    if (!entry) {
      const li = el("li", { className: "cocon-note cocon-wall__note", attrs: { "data-id": String(note.id) } });
      const button = el("div", {
        className: "cocon-wall__note-button",
        attrs: {
          role: "button",
          tabindex: "0",
          draggable: "true",
          "data-note-id": String(note.id),
          "aria-describedby": HINT_ID,
        },
      });
      const body = el("span", { className: "cocon-note__body" });
      const author = el("span", { className: "cocon-note__author" });
      button.append(body, author);
      button.addEventListener("click", () => this.handlers.onActivate(note.id));
      button.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          this.handlers.onActivate(note.id);
        }
      });
      li.append(button);
      entry = { li, button, body, author };
      this.notes.set(note.id, entry);
    }
    entry.clusterId = note.cluster_id;
    setText(entry.body, note.body);
    const author = shownAuthor(view.workshop, note);
    setText(entry.author, author || "");
    entry.author.hidden = !author;
    entry.li.classList.toggle("cocon-wall__note--spotlit", view.spotlightId === note.id);
    return entry.li;
  }

  renderDropbar(emptyClusters) {
    if (!this.dropbar) return;
    const zones = this.dropbar.querySelector("[data-bind=cluster-zones]");
    if (!zones) return;
    const nodes = emptyClusters.map((cluster) => {
      let chip = this.chips.get(cluster.id);
      if (!chip) {
        chip = el("li", {
          className: "cocon-dropzone",
          attrs: { "data-drop": "cluster", "data-cluster-id": String(cluster.id) },
        });
        this.chips.set(cluster.id, chip);
      }
      setText(chip, cluster.title);
      return chip;
    });
    prune(this.chips, new Set(emptyClusters.map((c) => c.id)));
    reconcile(zones, nodes);
  }

  // Drag and drop -----------------------------------------------------------------------
  dragStart(event) {
    const source = event.target.closest && event.target.closest("[data-note-id]");
    if (!source) return;
    this.dragging = Number(source.dataset.noteId);
    event.dataTransfer.setData("text/plain", source.dataset.noteId); // Firefox needs data
    event.dataTransfer.effectAllowed = "move";
    document.documentElement.dataset.dragging = "true";
  }
  dragEnd() {
    this.dragging = null;
    this.highlight(null);
    delete document.documentElement.dataset.dragging;
  }
  highlight(zone) {
    if (this.over === zone) return;
    if (this.over) this.over.classList.remove("cocon-drop--over");
    this.over = zone;
    if (zone) zone.classList.add("cocon-drop--over");
  }
  listenForDrops(area) {
    area.addEventListener("dragover", (event) => {
      const zone = event.target.closest && event.target.closest("[data-drop]");
      if (!zone || this.dragging === null) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      this.highlight(zone);
    });
    area.addEventListener("dragleave", (event) => {
      if (this.over && !this.over.contains(event.relatedTarget)) this.highlight(null);
    });
    area.addEventListener("drop", (event) => {
      const zone = event.target.closest && event.target.closest("[data-drop]");
      const id = this.dragging;
      this.dragEnd();
      if (!zone || id === null) return;
      event.preventDefault();
      this.dropOn(zone, id);
    });
  }
  dropOn(zone, id) {
    const current = this.notes.get(id) ? this.notes.get(id).clusterId : undefined;
    if (zone.dataset.drop === "new") {
      this.handlers.onNewCluster(id);
      return;
    }
    const target = zone.dataset.drop === "cluster" ? Number(zone.dataset.clusterId) : null;
    if (target !== current) this.handlers.onMove(id, target);
  }
}

function prune(map, keep) {
  for (const key of map.keys()) if (!keep.has(key)) map.delete(key);
}
