// The big screen's journey map (the current activity when it is a journey): stages as
// columns, lanes as rows (the pain points marked "Irritants"), the visible cards in
// their cells grouped by cluster, and under it the emotion curve (curvechart.js), each
// stage's point under its column. The facilitator spotlights a card (click, Enter),
// moves it to another cell or merges it with another card (drag and drop, or the
// "Déplacer" dialog from the keyboard), and sends the irritants to a dot vote. A closed
// map takes no new card or rating but can still be tidied; a closed workshop leaves
// every control inert. Elements are keyed by id and reused, like the wall.

import { bind } from "./board.js";
import { CurveChart } from "./curvechart.js";
import { ratersText } from "./curve.js";
import { el, openDialog, reconcile, setText } from "./dom.js";
import {
  alignStages,
  cellKey,
  horizonLabel,
  irritantsVote,
  irritantsVoteUrl,
  mapDensity,
  mapLayout,
  mergePlan,
  painPoints,
  pairedJourney,
  placeCommand,
} from "./journeylayout.js";
import { plural, shownAuthor } from "./layout.js";

const HINT_ID = "journey-card-hint";
const FAILED = "Le vote sur les irritants n'a pas pu être ajouté.";
const VOTE_WAIT_MS = 5000;

/** The dot votes taking their items from this map. */
function sourcedVotes(activity, activities) {
  return Array.from(activities.values()).filter((a) => a.kind === "vote" && a.vote && a.vote.source_id === activity.id);
}
const NEW_CLUSTER = "__new";

export class JourneyScreen {
  /**
   * root: the journey container (data-bind="journey"); page: the page root (dialogs).
   * handlers: send(command, options) (CommandTracker.send), spotlight(cardId),
   * askClusterTitle(cardIds) (the page's "Nouveau regroupement" dialog),
   * goto(activityId), alert(message), csrfToken(), workshopId.
   */
  constructor(root, page, handlers) {
    this.root = root;
    this.page = page;
    this.handlers = handlers;
    this.scroll = bind(root, "journey-scroll");
    this.cards = new Map(); // card id -> { li, button, body, author, move }
    this.cells = new Map(); // cell key -> { td, list }
    this.groups = new Map(); // "cell|cluster" -> { node, title, list }
    this.structure = null;
    this.mode = "all";
    this.dragging = null;
    this.over = null;
    this.view = null;
    this.chart = new CurveChart({
      chart: bind(root, "curve-chart"),
      legend: bind(root, "curve-legend"),
      table: bind(root, "curve-table"),
      idPrefix: "screen-curve",
    });
    this.splitButtons = Array.from(bind(root, "curve-split").querySelectorAll("[data-split]"));
    for (const button of this.splitButtons) {
      button.addEventListener("click", () => {
        this.mode = button.dataset.split;
        if (this.view) this.renderCurve(this.view);
      });
    }
    this.voteButton = bind(root, "irritants-vote");
    this.voteButton.addEventListener("click", () => this.voteOnIrritants());
    this.placeDialog = bind(page, "place-dialog");
    this.placeForm = bind(page, "place-form");
    this.placeForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submitPlace();
    });
    this.placeForm.elements.cluster.addEventListener("change", () => this.showNewCluster());
    bind(page, "place-cancel").addEventListener("click", () => this.placeDialog.close());
    this.listenForDrops();
    if (typeof ResizeObserver === "function") {
      // A resized window moves the columns: the curve's points follow them.
      new ResizeObserver(() => {
        if (this.view && !this.root.hidden) this.renderCurve(this.view);
      }).observe(bind(root, "curve-chart"));
    }
  }

  // Rendering ---------------------------------------------------------------------------
  /**
   * view: { activity, notes (its visible cards), clusters, activities (all), workshop,
   * curves (activity id -> CurveOut), spotlightId, canModerate }
   */
  render(view) {
    this.view = view;
    const { activity } = view;
    const layout = mapLayout(activity, view.notes, view.clusters);
    this.layout = layout;
    const frozen = activity.state === "closed";
    this.canSpotlight = view.canModerate;
    // A closed map takes no new card or rating, but the facilitator may still tidy it
    // (move, merge): the server allows it until the workshop closes, as on a board.
    this.canMove = view.canModerate;
    this.root.dataset.frozen = String(frozen);

    const density = mapDensity(layout.maxPerCell, layout.stages.length, layout.lanes.length);
    this.root.dataset.density = String(density.level);
    this.root.style.setProperty("--journey-font", `${density.fontSize}rem`);
    this.root.style.setProperty("--journey-lines", String(density.lines || "none"));

    setText(bind(this.root, "journey-horizon"), horizonLabel(activity));
    const notices = [];
    if (!layout.stages.length) notices.push("Ce parcours n'a pas encore d'étape.");
    else if (!layout.lanes.length) notices.push("Toutes les lignes de ce parcours sont désactivées.");
    else if (layout.shown === 0) notices.push("Aucune carte pour l'instant");
    if (layout.offMap) {
      notices.push(`${plural(layout.offMap, "carte est rangée", "cartes sont rangées")} dans une ligne désactivée ou une étape retirée.`);
    }
    if (frozen) notices.push("Parcours clos : plus de nouvelles cartes ni de ressentis. Les cartes peuvent encore être rangées.");
    const notice = bind(this.root, "journey-notice");
    setText(notice, notices.join(" "));
    notice.hidden = notices.length === 0;

    this.renderMap(layout, view);
    this.renderVote(view);
    this.renderCurve(view);
  }

  renderMap(layout, view) {
    const signature = JSON.stringify([layout.stages.map((s) => [s.key, s.label]), layout.lanes.map((l) => [l.key, l.label, l.kind])]);
    if (signature !== this.structure) this.buildTable(layout);
    this.structure = signature;
    this.scroll.hidden = !layout.stages.length || !layout.lanes.length;
    for (const stage of layout.stages) setText(this.stageCounts.get(stage.key), ` (${stage.count})`);
    const seenCards = new Set();
    const seenGroups = new Set();
    for (const [key, cell] of layout.cells) {
      const entry = this.cells.get(key);
      entry.td.classList.toggle("cocon-journey__cell--empty", cell.count === 0);
      const nodes = [];
      for (const group of cell.groups) {
        if (!group.notes.length) continue;
        const groupKey = `${key}|${group.cluster ? group.cluster.id : ""}`;
        seenGroups.add(groupKey);
        nodes.push(this.renderGroup(groupKey, group, view, seenCards));
      }
      reconcile(entry.list, nodes);
    }
    for (const id of this.groups.keys()) if (!seenGroups.has(id)) this.groups.delete(id);
    for (const id of this.cards.keys()) if (!seenCards.has(id)) this.cards.delete(id);
  }

  buildTable(layout) {
    const table = el("table", { className: "cocon-journey__map" });
    table.append(el("caption", { className: "fr-sr-only", text: "Carte du parcours : les étapes en colonnes, les lignes en rangées" }));
    const head = el("tr");
    head.append(el("td", { className: "cocon-journey__corner" }));
    this.stageCounts = new Map();
    this.stageHeads = [];
    for (const stage of layout.stages) {
      const th = el("th", { className: "cocon-journey__stage", attrs: { scope: "col", "data-stage": stage.key } });
      const count = el("span", { className: "cocon-journey__count" });
      th.append(el("span", { text: stage.label }), count);
      this.stageCounts.set(stage.key, count);
      this.stageHeads.push(th);
      head.append(th);
    }
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    this.cells = new Map();
    this.groups = new Map();
    for (const lane of layout.lanes) {
      const row = el("tr", { className: `cocon-journey__lane${lane.painPoints ? " cocon-journey__lane--pain" : ""}`, attrs: { "data-lane": lane.key } });
      const th = el("th", { className: "cocon-journey__lane-title", attrs: { scope: "row" } });
      th.append(el("span", { text: lane.label }));
      if (lane.painPoints && lane.label.trim().toLocaleLowerCase("fr-FR") !== "irritants") {
        th.append(el("span", { className: "cocon-journey__pain-mark", text: " (irritants)" }));
      }
      row.append(th);
      for (const stage of layout.stages) {
        const key = cellKey(stage.key, lane.key);
        const td = el("td", { className: "cocon-journey__cell", attrs: { "data-drop": "cell", "data-stage": stage.key, "data-lane": lane.key } });
        const list = el("div", { className: "cocon-journey__cards" });
        td.append(list);
        this.cells.set(key, { td, list });
        row.append(td);
      }
      tbody.append(row);
    }
    table.append(thead, tbody);
    this.scroll.replaceChildren(table);
  }

  renderGroup(key, group, view, seenCards) {
    let entry = this.groups.get(key);
    if (!entry) {
      const cluster = group.cluster;
      const node = el("div", { className: `cocon-journey__group${cluster ? " cocon-journey__group--cluster" : ""}` });
      const title = cluster ? el("p", { className: "cocon-journey__cluster-title" }) : null;
      const list = el("ul", { className: "cocon-journey__list" });
      if (title) node.append(title);
      node.append(list);
      entry = { node, title, list };
      this.groups.set(key, entry);
    }
    if (entry.title) setText(entry.title, group.cluster.title);
    const items = group.notes.map((note) => {
      seenCards.add(note.id);
      return this.renderCard(note, view);
    });
    reconcile(entry.list, items);
    return entry.node;
  }

  renderCard(note, view) {
    let entry = this.cards.get(note.id);
    if (!entry) {
      const bodyId = `journey-card-${note.id}`;
      const li = el("li", { className: "cocon-journey__card", attrs: { "data-id": String(note.id) } });
      const button = el("div", {
        className: "cocon-journey__card-button",
        attrs: { role: "button", tabindex: "0", "data-card-id": String(note.id), "aria-describedby": HINT_ID },
      });
      const body = el("span", { className: "cocon-journey__card-body", attrs: { id: bodyId } });
      const author = el("span", { className: "cocon-journey__card-author" });
      button.append(body, author);
      const move = el("button", {
        className: "fr-btn fr-btn--sm fr-btn--tertiary cocon-journey__card-move",
        text: "Déplacer",
        attrs: { type: "button", "aria-describedby": bodyId, "aria-haspopup": "dialog" },
      });
      button.addEventListener("click", () => this.spotlight(note.id));
      button.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          this.spotlight(note.id);
        } else if ((event.key === "m" || event.key === "M") && !event.ctrlKey && !event.metaKey && !event.altKey) {
          event.preventDefault();
          event.stopPropagation();
          this.openPlace(note.id);
        }
      });
      move.addEventListener("click", () => this.openPlace(note.id));
      li.append(button, move);
      entry = { li, button, body, author, move };
      this.cards.set(note.id, entry);
    }
    setText(entry.body, note.body);
    const author = shownAuthor(view.workshop, note);
    setText(entry.author, author || "");
    entry.author.hidden = !author;
    entry.button.setAttribute("draggable", String(this.canMove));
    entry.move.hidden = !this.canMove;
    entry.li.classList.toggle("cocon-journey__card--spotlit", view.spotlightId === note.id);
    return entry.li;
  }

  spotlight(id) {
    if (this.canSpotlight) this.handlers.spotlight(id);
  }

  // The emotion curve ---------------------------------------------------------------------
  renderCurve(view) {
    const { activity } = view;
    const stages = activity.columns || [];
    const curve = view.curves.get(activity.id) || null;
    const raters = curve ? curve.raters : 0;
    setText(bind(this.root, "curve-raters"), ratersText(raters));
    const canSplit = Boolean(curve && curve.by_profile && raters > 0);
    if (!canSplit) this.mode = "all";
    bind(this.root, "curve-split").hidden = !canSplit;
    for (const button of this.splitButtons) button.setAttribute("aria-pressed", String(button.dataset.split === this.mode));

    const pairedActivity = pairedJourney(activity, view.activities.values());
    let paired = null;
    if (pairedActivity) {
      const pairedCurve = view.curves.get(pairedActivity.id) || null;
      const ownLabel = horizonLabel(activity);
      let pairedLabel = horizonLabel(pairedActivity);
      if (pairedLabel === ownLabel) pairedLabel = pairedActivity.title;
      paired = {
        label: pairedLabel,
        curve: pairedCurve ? { stages: pairedCurve.stages } : null,
        keys: Object.fromEntries(alignStages(stages, pairedActivity.columns || [])),
      };
    }
    const section = bind(this.root, "curve");
    section.hidden = stages.length === 0;
    if (!stages.length) return;
    this.chart.render({
      stages: stages.map((s) => ({ key: s.key, label: s.label })),
      curve,
      mode: this.mode,
      label: horizonLabel(activity),
      paired,
      size: this.measure(),
    });
  }

  /** The chart's size and where each stage's column is, in the chart's pixels. */
  measure() {
    const box = bind(this.root, "curve-chart");
    const width = Math.round(box.clientWidth) || 1200;
    const height = Math.round(box.clientHeight) || 260;
    const size = { width, height, left: 160, right: 24, centers: null };
    const heads = this.stageHeads || [];
    const origin = box.getBoundingClientRect();
    if (!heads.length || !origin.width || this.scroll.hidden) return size;
    const rects = heads.map((th) => th.getBoundingClientRect());
    if (rects.some((r) => !r.width)) return size;
    size.left = Math.round(rects[0].left - origin.left);
    size.right = Math.max(0, Math.round(origin.right - rects[rects.length - 1].right));
    size.centers = rects.map((r) => Math.round(r.left + r.width / 2 - origin.left));
    return size;
  }

  // Vote on the irritants ------------------------------------------------------------------
  renderVote(view) {
    const { activity } = view;
    const hasPainLane = ((activity.journey && activity.journey.lanes) || []).some((l) => l.kind === "pain_points" && l.enabled !== false);
    const existing = irritantsVote(activity, view.activities.values());
    const pending = existing && existing.state !== "closed" ? existing : null;
    const live = view.workshop && view.workshop.state === "live";
    this.voteButton.hidden = !view.canModerate || !hasPainLane || (pending && !live);
    this.voteButton.disabled = this.posting === true;
    this.voteTarget = pending;
    setText(this.voteButton, pending ? "Aller au vote sur les irritants" : "Voter sur les irritants");
    const count = painPoints(activity, view.notes).length;
    setText(
      bind(this.root, "irritants-count"),
      hasPainLane ? `${plural(count, "irritant", "irritants")} sur la carte${pending ? ` · vote « ${pending.title} » au programme` : ""}` : "",
    );
  }

  /**
   * POST to the journey_vote view. Its answer is a redirect whatever happened (its
   * message is for the workshop page), so success is the new vote arriving in the
   * agenda through the live connection; without it after a few seconds, the page says
   * so. A JSON answer with a `message` is shown at once.
   */
  async voteOnIrritants() {
    const view = this.view;
    if (!view || !view.canModerate || this.posting) return;
    if (this.voteTarget) {
      this.handlers.goto(this.voteTarget.id);
      return;
    }
    const activity = view.activity;
    const before = new Set(sourcedVotes(activity, view.activities).map((a) => a.id));
    this.posting = true;
    this.voteButton.disabled = true;
    let refused = "";
    try {
      const response = await fetch(irritantsVoteUrl(this.handlers.workshopId, activity.id), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": this.handlers.csrfToken(), Accept: "application/json" },
      });
      if ((response.headers.get("content-type") || "").includes("application/json")) {
        const data = await response.json().catch(() => ({}));
        if (!response.ok) refused = data.message || FAILED;
      } else if (!response.ok) {
        refused = FAILED;
      }
    } catch {
      refused = "Connexion perdue : le vote sur les irritants n'a pas été ajouté.";
    }
    if (refused) {
      this.posting = false;
      this.voteButton.disabled = false;
      this.handlers.alert(refused);
      return;
    }
    const arrived = () => this.view && sourcedVotes(activity, this.view.activities).some((a) => !before.has(a.id));
    const started = Date.now();
    const check = () => {
      if (arrived()) {
        this.say("Un vote sur les irritants a été ajouté juste après le parcours.");
      } else if (Date.now() - started < VOTE_WAIT_MS) {
        setTimeout(check, 250);
        return;
      } else {
        this.handlers.alert(`${FAILED} Voyez la page de l'atelier.`);
      }
      this.posting = false;
      this.voteButton.disabled = false;
    };
    check();
  }

  /** A short-lived confirmation in the journey's status line. */
  say(message) {
    const line = bind(this.root, "irritants-status");
    setText(line, message);
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(() => setText(line, ""), 10000);
  }

  // Moving and merging cards ------------------------------------------------------------------
  note(id) {
    return this.view ? this.view.notes.find((n) => n.id === id) || null : null;
  }

  /** The keyboard's way to move or merge a card: stage, lane and cluster selects. */
  openPlace(id) {
    const note = this.note(id);
    if (!note || !this.canMove) return;
    this.placing = id;
    const form = this.placeForm;
    setText(bind(this.page, "place-card"), note.body);
    const options = (select, list, value) => {
      select.replaceChildren(...list.map((o) => el("option", { text: o.label, attrs: { value: o.value } })));
      select.value = value;
    };
    options(form.elements.stage, this.layout.stages.map((s) => ({ value: s.key, label: s.label })), note.column);
    options(form.elements.lane, this.layout.lanes.map((l) => ({ value: l.key, label: l.label })), note.lane);
    options(
      form.elements.cluster,
      [
        { value: "", label: "Aucun" },
        ...this.view.clusters.map((c) => ({ value: String(c.id), label: c.title })),
        { value: NEW_CLUSTER, label: "Nouveau regroupement…" },
      ],
      note.cluster_id === null || note.cluster_id === undefined ? "" : String(note.cluster_id),
    );
    form.elements.title.value = "";
    this.showNewCluster();
    openDialog(this.placeDialog, form.elements.stage);
  }

  showNewCluster() {
    const isNew = this.placeForm.elements.cluster.value === NEW_CLUSTER;
    bind(this.page, "place-new").hidden = !isNew;
    this.placeForm.elements.title.required = isNew;
  }

  submitPlace() {
    const note = this.note(this.placing);
    const form = this.placeForm;
    if (!note || !this.canMove) {
      this.placeDialog.close();
      return;
    }
    const clusterValue = form.elements.cluster.value;
    const title = form.elements.title.value.trim();
    if (clusterValue === NEW_CLUSTER && !title) {
      form.elements.title.focus();
      return;
    }
    const place = placeCommand(note, form.elements.stage.value, form.elements.lane.value);
    if (place) this.handlers.send(place);
    if (clusterValue === NEW_CLUSTER) {
      this.handlers.send({ type: "cluster.create", activity_id: note.activity_id, title, contribution_ids: [note.id] });
    } else {
      const clusterId = clusterValue === "" ? null : Number(clusterValue);
      if (clusterId !== (note.cluster_id ?? null)) this.handlers.send({ type: "contribution.move", contribution_id: note.id, cluster_id: clusterId });
    }
    this.placeDialog.close();
  }

  listenForDrops() {
    const area = this.root;
    area.addEventListener("dragstart", (event) => {
      const source = event.target.closest && event.target.closest("[data-card-id]");
      if (!source || !this.canMove) return;
      this.dragging = Number(source.dataset.cardId);
      event.dataTransfer.setData("text/plain", source.dataset.cardId);
      event.dataTransfer.effectAllowed = "move";
      document.documentElement.dataset.dragging = "true";
    });
    area.addEventListener("dragend", () => this.dragEnd());
    area.addEventListener("dragover", (event) => {
      const zone = this.zoneOf(event.target);
      if (!zone || this.dragging === null) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      this.highlight(zone);
    });
    area.addEventListener("dragleave", (event) => {
      if (this.over && !this.over.contains(event.relatedTarget)) this.highlight(null);
    });
    area.addEventListener("drop", (event) => {
      const zone = this.zoneOf(event.target);
      const id = this.dragging;
      this.dragEnd();
      if (!zone || id === null) return;
      event.preventDefault();
      this.dropOn(zone, id);
    });
  }

  /** What a drag is over: another card (merge) or a cell (move). */
  zoneOf(target) {
    if (!target || !target.closest) return null;
    const card = target.closest("[data-card-id]");
    if (card && Number(card.dataset.cardId) !== this.dragging) return card;
    return target.closest("[data-drop=cell]");
  }

  dropOn(zone, id) {
    const note = this.note(id);
    if (!note || !this.canMove) return;
    if (zone.dataset.drop === "cell") {
      const place = placeCommand(note, zone.dataset.stage, zone.dataset.lane);
      if (place) this.handlers.send(place);
      return;
    }
    const plan = mergePlan(note, this.note(Number(zone.dataset.cardId)));
    for (const command of plan.commands) this.handlers.send(command);
    if (plan.needsTitle) this.handlers.askClusterTitle(plan.clusterCreate);
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
}
