// The client's copy of a workshop: built from a snapshot, advanced by events.
// Applying an event is idempotent (keyed by id), so overlaps between a snapshot and
// the events that follow it change nothing.

export class WorkshopState {
  constructor() {
    this.workshop = null;
    this.activities = new Map();
    this.contributions = new Map(); // the notes this client may show on the board
    this.clusters = new Map();
    this.own = new Map(); // a phone's own notes, private ones included
    this.reacted = new Set(); // notes this phone gave a +1
    this.voteItems = new Map(); // vote activity id -> its items, in order
    this.tallies = new Map(); // vote activity id -> its latest tally
    this.myVotes = new Map(); // vote activity id -> this phone's points and ratings
    this.curves = new Map(); // journey activity id -> its latest emotion curve (CurveOut)
    this.feelings = new Map(); // journey activity id -> this phone's ratings {stage key: -2..2}
  }
  loadSnapshot(snapshot) {
    this.workshop = snapshot.workshop;
    this.activities = new Map(snapshot.activities.map((a) => [a.id, a]));
    this.contributions = new Map(snapshot.contributions.map((c) => [c.id, c]));
    this.clusters = new Map((snapshot.clusters || []).map((c) => [c.id, c]));
    this.voteItems = new Map();
    for (const item of snapshot.vote_items || []) this.addVoteItem(item);
    this.tallies = new Map((snapshot.tallies || []).map((t) => [t.activity_id, t]));
    this.curves = new Map((snapshot.curves || []).map((c) => [c.activity_id, c]));
    if (snapshot.me) {
      this.own = new Map(snapshot.me.contributions.map((c) => [c.id, c]));
      this.reacted = new Set(snapshot.me.reacted_ids);
      this.myVotes = new Map((snapshot.me.votes || []).map((v) => [v.activity_id, v]));
      this.feelings = new Map((snapshot.me.feelings || []).map((f) => [f.activity_id, { ...f.stages }]));
    }
  }
  addVoteItem(item) {
    const list = (this.voteItems.get(item.activity_id) || []).filter((i) => i.id !== item.id);
    list.push(item);
    list.sort((a, b) => a.position - b.position || a.id - b.id);
    this.voteItems.set(item.activity_id, list);
  }
  /** A vote command's ack: this phone's points and ratings in that vote. */
  setMyVotes(result) {
    if (result && result.activity_id) this.myVotes.set(result.activity_id, result);
  }
  /** A feeling command's ack: this phone's ratings of the stages of that journey. */
  setFeelings(result) {
    if (result && result.activity_id) this.feelings.set(result.activity_id, { ...(result.stages || {}) });
  }
  /** Apply one domain event; idempotent, keyed by id. */
  apply(event) {
    switch (event.type) {
      case "workshop.updated":
        this.workshop = event.workshop;
        break;
      case "activity.updated":
        this.activities.set(event.activity.id, event.activity);
        break;
      case "activity.removed":
        this.activities.delete(event.activity_id);
        break;
      case "activity.revealed":
        this.activities.set(event.activity.id, event.activity);
        for (const contribution of event.contributions) this.setNote(contribution);
        break;
      case "contribution.created":
      case "contribution.updated":
        this.setNote(event.contribution);
        break;
      case "contribution.removed":
        this.contributions.delete(event.contribution_id);
        break;
      case "cluster.updated":
        this.clusters.set(event.cluster.id, event.cluster);
        break;
      case "cluster.removed":
        this.clusters.delete(event.cluster_id);
        break;
      case "vote.items":
        this.voteItems.set(event.activity_id, []);
        for (const item of event.items) this.addVoteItem(item);
        break;
      case "vote.tally":
        this.tallies.set(event.tally.activity_id, event.tally);
        break;
      case "journey.curve":
        this.curves.set(event.curve.activity_id, event.curve);
        break;
      default:
        break; // "redacted", or an event from a newer server: nothing to show
    }
  }
  setNote(contribution) {
    this.contributions.set(contribution.id, contribution);
    if (this.own.has(contribution.id)) this.own.set(contribution.id, contribution);
  }
  /** The author's copy of their note, from an ack (shown even while private). */
  setOwn(contribution) {
    this.own.set(contribution.id, contribution);
    const activity = this.activities.get(contribution.activity_id);
    const hiddenFromRoom = activity && activity.private && !activity.revealed;
    if (!hiddenFromRoom && contribution.status === "visible") this.contributions.set(contribution.id, contribution);
  }
  forgetOwn(id) {
    this.own.delete(id);
    this.contributions.delete(id);
  }
  currentActivity() {
    return this.workshop ? this.activities.get(this.workshop.current_activity_id) || null : null;
  }
  /** The activities in agenda order. */
  agenda() {
    return Array.from(this.activities.values()).sort((a, b) => a.position - b.position);
  }
  /** The current activity's notes (all of them on a screen, hidden ones included). */
  board() {
    // No current activity known: nothing (never every activity's notes, private ones included).
    const activity = this.currentActivity();
    if (!activity) return [];
    return Array.from(this.contributions.values()).filter((c) => c.activity_id === activity.id);
  }
  /** The current activity's clusters, in order. */
  boardClusters() {
    const activity = this.currentActivity();
    return Array.from(this.clusters.values())
      .filter((c) => activity && c.activity_id === activity.id)
      .sort((a, b) => a.position - b.position || a.id - b.id);
  }
}

const WORKSHOP_STATES = { draft: "L'atelier va commencer", live: "En cours", closed: "Atelier clôturé" };

export function describeState(state) {
  const activity = state.currentActivity();
  if (!state.workshop) return "";
  if (state.workshop.state !== "live") return WORKSHOP_STATES[state.workshop.state];
  if (!activity) return WORKSHOP_STATES.live;
  if (activity.kind === "vote") return activity.state === "open" ? "Vote ouvert" : "Vote clos";
  if (activity.kind === "rating") return activity.state === "open" ? "Notation ouverte" : "Notation close";
  return activity.state === "open" ? "Contributions ouvertes" : "Contributions fermées";
}

export function renderBoard(list, contributions, { newestFirst = false } = {}) {
  const ordered = newestFirst ? contributions.slice().reverse() : contributions;
  const existing = new Map(Array.from(list.children, (li) => [li.dataset.id, li]));
  const fragment = document.createDocumentFragment();
  for (const contribution of ordered) {
    let item = existing.get(String(contribution.id));
    if (!item) {
      item = document.createElement("li");
      item.className = "cocon-note";
      item.dataset.id = String(contribution.id);
      const body = document.createElement("p");
      body.className = "cocon-note__body";
      body.textContent = contribution.body;
      item.append(body);
      if (contribution.author) {
        const author = document.createElement("p");
        author.className = "cocon-note__author";
        author.textContent = contribution.author;
        item.append(author);
      }
    }
    fragment.append(item);
  }
  list.replaceChildren(fragment);
}

export function bind(root, name) {
  return root.querySelector(`[data-bind="${name}"]`);
}

/** "mm:ss" left on the workshop's timer at `nowMs` (server time), or "" without one. */
export function timerText(timer, nowMs) {
  if (!timer) return "";
  let seconds = timer.paused_remaining;
  if (seconds === null || seconds === undefined) {
    seconds = Math.max(0, Math.ceil((Date.parse(timer.ends_at) - nowMs) / 1000));
  }
  const minutes = Math.floor(seconds / 60);
  const text = `${String(minutes).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
  if (timer.paused_remaining !== null && timer.paused_remaining !== undefined) return `${text} (pause)`;
  return seconds === 0 ? "Temps écoulé" : text;
}
