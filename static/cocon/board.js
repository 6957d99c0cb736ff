// The client's copy of a workshop: built from a snapshot, advanced by events.
// Applying an event is idempotent (keyed by id), so overlaps between a snapshot and
// the events that follow it change nothing.

export class WorkshopState {
  constructor() {
    this.workshop = null;
    this.activities = new Map();
    this.contributions = new Map();
    this.mine = new Set();
  }
  loadSnapshot(snapshot) {
    this.workshop = snapshot.workshop;
    this.activities = new Map(snapshot.activities.map((a) => [a.id, a]));
    this.contributions = new Map(snapshot.contributions.map((c) => [c.id, c]));
    if (snapshot.me) this.mine = new Set(snapshot.me.contribution_ids);
  }
  apply(event) {
    switch (event.type) {
      case "workshop.updated":
        this.workshop = event.workshop;
        break;
      case "activity.updated":
        this.activities.set(event.activity.id, event.activity);
        break;
      case "contribution.created":
        this.contributions.set(event.contribution.id, event.contribution);
        break;
      default:
        break; // an event from a newer server: ignore what we cannot show
    }
  }
  currentActivity() {
    return this.workshop ? this.activities.get(this.workshop.current_activity_id) || null : null;
  }
  board() {
    const activity = this.currentActivity();
    const all = Array.from(this.contributions.values());
    return activity ? all.filter((c) => c.activity_id === activity.id) : all;
  }
}

const WORKSHOP_STATES = { draft: "L'atelier va commencer", live: "En cours", closed: "Atelier clôturé" };

export function describeState(state) {
  const activity = state.currentActivity();
  if (!state.workshop) return "";
  if (state.workshop.state !== "live") return WORKSHOP_STATES[state.workshop.state];
  if (!activity) return WORKSHOP_STATES.live;
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
