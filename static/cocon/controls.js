// The facilitator's controls, shared by the big screen and the moderation page: the
// command buttons (workshop, agenda, timer), the agenda, the timer display, a tracker
// that follows each command to its ack or error and shows refusals, and the page's live
// connection (connectFacilitator).

import { bind, timerText } from "./board.js";
import { available, commandFor, viewOf } from "./commands.js";
import { el, keepingFocus, reconcile, setText } from "./dom.js";
import { LiveClient, socketUrl } from "./live.js";
import { PROFILES, isVoting } from "./results.js";

export const LABELS = {
  "workshop.start": "Démarrer l'atelier",
  "activity.open": "Ouvrir les contributions",
  "activity.close": "Fermer les contributions",
  "activity.reveal": "Révéler les contributions",
  "workshop.show_authors": "Afficher les auteurs",
  "workshop.close": "Clôturer l'atelier",
  "agenda.previous": "Activité précédente",
  "agenda.next": "Activité suivante",
  "timer.start": "Lancer",
  "timer.pause": "Pause",
  "timer.resume": "Reprendre",
  "timer.extend": "+1 min",
  "timer.stop": "Arrêter",
};
const HIDE_AUTHORS = "Masquer les auteurs";
// The same commands on a dot vote or a rating.
const VOTE_LABELS = {
  vote: { "activity.open": "Ouvrir le vote", "activity.close": "Clore le vote", "activity.reveal": "Révéler les résultats" },
  rating: { "activity.open": "Ouvrir la notation", "activity.close": "Clore la notation", "activity.reveal": "Révéler les résultats" },
};
const VOTE_COMMANDS = new Set(Object.keys(VOTE_LABELS.vote));

/** A button's text for `type`, given the activity it would act on. */
export function labelFor(type, activity) {
  return (isVoting(activity) && VOTE_LABELS[activity.kind][type]) || LABELS[type];
}

/** What closing a vote asks first: it never reopens. */
export function closeQuestion(activity) {
  return activity.kind === "rating"
    ? "Clore la notation ? Les résultats seront figés."
    : "Clore le vote ? Les résultats seront figés.";
}

/** Ask before a command that cannot be undone; false: the person said no. */
export function confirmed(command, state) {
  if (command.type === "workshop.close") return window.confirm("Clôturer l'atelier ? Plus personne ne pourra contribuer.");
  if (command.type === "activity.reveal") {
    // Cannot be undone: a stray key or click must not show private notes to the room.
    return window.confirm("Révéler à toute la salle ? Ce qui était masqué ne pourra plus l'être.");
  }
  const activity = command.type === "activity.close" ? state.activities.get(command.activity_id) : null;
  return isVoting(activity) ? window.confirm(closeQuestion(activity)) : true;
}

const GROUPS = {
  workshop: {
    label: "Pilotage de l'atelier",
    commands: [
      "workshop.start",
      "activity.open",
      "activity.close",
      "activity.reveal",
      "workshop.show_authors",
      "workshop.close",
    ],
  },
  agenda: { label: "Programme", commands: ["agenda.previous", "agenda.next"] },
  timer: {
    label: "Commandes du minuteur",
    commands: ["timer.start", "timer.pause", "timer.resume", "timer.extend", "timer.stop"],
  },
};
// Shown disabled rather than hidden, so the buttons do not jump around.
const DISABLE_ONLY = new Set(["agenda.previous", "agenda.next"]);
const SECONDARY = new Set(["activity.open", "activity.close", "agenda.previous", "agenda.next", "timer.start"]);
// Toggles: a second press while the first is unanswered would undo or be refused.
// Not queued twice while unanswered (nor piled up while offline: three presses of → on a
// big screen without network must not jump three activities on reconnect).
const ONCE = new Set([
  "workshop.show_authors",
  "activity.open",
  "activity.close",
  "activity.reveal",
  "workshop.start",
  "agenda.next",
  "agenda.previous",
]);

/**
 * Sends commands through the LiveClient and follows each one: an ack or an error
 * settles it; an error's French message goes to the page's alert line.
 */
export class CommandTracker {
  constructor(alertLine) {
    this.alertLine = alertLine;
    this.client = null;
    this.pending = new Map(); // request_id -> { command, onAck, onError }
  }
  attach(client) {
    this.client = client;
  }
  /** Send a command (null: nothing). `once`: not while one of the same type is unanswered. */
  send(command, { once = false, onAck = null, onError = null } = {}) {
    if (!command || !this.client) return null;
    if (once) {
      for (const entry of this.pending.values()) if (entry.command.type === command.type) return null;
    }
    const sent = this.client.send(command);
    this.pending.set(sent.request_id, { command: sent, onAck, onError });
    return sent;
  }
  acked(command, reply) {
    const entry = command && this.pending.get(command.request_id);
    if (!entry) return;
    this.pending.delete(command.request_id);
    if (entry.onAck) entry.onAck(reply);
  }
  failed(command, error) {
    const entry = command && this.pending.get(command.request_id);
    if (entry) this.pending.delete(command.request_id);
    this.alert(error.message || "La commande a été refusée.");
    if (entry && entry.onError) entry.onError(error);
  }
  alert(message) {
    if (!this.alertLine) return;
    this.alertLine.textContent = message;
    clearTimeout(this.alertTimer);
    this.alertTimer = setTimeout(() => {
      this.alertLine.textContent = "";
    }, 15000);
  }
}

/** The control buttons of the chosen groups, built into `container`. */
export class Controls {
  /** skip(type, view): true to hide a button for now (its page offers it elsewhere). */
  constructor({ container, state, tracker, timerChoices, groups, omit = [], small = false, skip = null }) {
    this.state = state;
    this.tracker = tracker;
    this.skip = skip;
    this.buttons = new Map();
    this.minutesSelect = null;
    const omitted = new Set(omit);
    for (const name of groups) {
      const spec = GROUPS[name];
      const group = el("div", {
        className: "cocon-controls__group",
        attrs: { role: "group", "aria-label": spec.label },
      });
      if (name === "timer") group.append(...this.minutesField(timerChoices));
      for (const type of spec.commands) {
        if (omitted.has(type)) continue;
        group.append(this.button(type, small));
      }
      container.append(group);
    }
  }
  minutesField(choices) {
    const label = el("label", { className: "fr-label cocon-controls__label", text: "Durée du minuteur", attrs: { for: "timer-minutes" } });
    const select = el("select", { className: "fr-select cocon-timer__minutes", attrs: { id: "timer-minutes" } });
    for (const minutes of choices) {
      select.append(el("option", { text: `${minutes} min`, attrs: { value: String(minutes), selected: minutes === 5 } }));
    }
    this.minutesSelect = select;
    return [label, select];
  }
  button(type, small) {
    const kind = type === "workshop.start" ? "" : SECONDARY.has(type) ? " fr-btn--secondary" : " fr-btn--tertiary";
    const button = el("button", {
      className: `fr-btn${kind}${small ? " fr-btn--sm" : ""}`,
      text: LABELS[type],
      attrs: { type: "button", "data-command": type, hidden: !DISABLE_ONLY.has(type) },
    });
    button.addEventListener("click", () => this.run(type));
    this.buttons.set(type, button);
    return button;
  }
  minutes() {
    return this.minutesSelect ? Number(this.minutesSelect.value) : 5;
  }
  /** Send `type` if it applies now (options: activityId for agenda.goto). */
  run(type, options = {}) {
    const command = commandFor(type, viewOf(this.state), { minutes: this.minutes(), ...options });
    return this.send(command);
  }
  /**
   * Send a command built here or elsewhere (a keyboard shortcut), with the toggle guard;
   * closing the workshop or a vote asks first.
   */
  send(command) {
    if (!command || !confirmed(command, this.state)) return null;
    return this.tracker.send(command, { once: ONCE.has(command.type) });
  }
  render() {
    const view = viewOf(this.state);
    const can = available(view);
    const live = view.workshop && view.workshop.state === "live";
    for (const [type, button] of this.buttons) {
      if (DISABLE_ONLY.has(type)) {
        button.hidden = !live;
        button.disabled = !can[type];
      } else {
        button.hidden = !can[type] || Boolean(this.skip && this.skip(type, view));
      }
      if (VOTE_COMMANDS.has(type)) setText(button, labelFor(type, view.activity));
    }
    const authors = this.buttons.get("workshop.show_authors");
    if (authors) setText(authors, view.workshop && view.workshop.show_authors ? HIDE_AUTHORS : LABELS["workshop.show_authors"]);
  }
}

/** Show the time left (server clock) in `line`, written only when it changes. */
export function renderTimer(line, workshop, nowMs) {
  setText(line, workshop ? timerText(workshop.timer, nowMs) : "");
}

const ACTIVITY_STATES = { pending: "à venir", open: "ouverte", closed: "fermée" };
const VOTE_STATES = { pending: "vote à venir", open: "vote ouvert", closed: "vote clos" };
const RATING_STATES = { pending: "notation à venir", open: "notation ouverte", closed: "notation close" };

/** "ouverte", "fermée · privée", "vote ouvert · résultats masqués"… */
export function activityStatus(activity) {
  const voting = isVoting(activity);
  const states = activity.kind === "vote" ? VOTE_STATES : activity.kind === "rating" ? RATING_STATES : ACTIVITY_STATES;
  const parts = [states[activity.state] || activity.state];
  if (activity.private && voting) parts.push(activity.revealed ? "résultats révélés" : "résultats masqués");
  else if (activity.private) parts.push(activity.revealed ? "privée, révélée" : "privée");
  return parts.join(" · ");
}

/** The big screen's compact agenda: one item per activity, the current one marked. */
export function renderAgendaStrip(list, state) {
  const current = state.currentActivity();
  list.replaceChildren(
    ...state.agenda().map((activity, index) => {
      const isCurrent = Boolean(current && current.id === activity.id);
      const item = el("li", {
        className: `cocon-agenda__item${isCurrent ? " cocon-agenda__item--current" : ""}`,
        attrs: { "aria-current": isCurrent ? "step" : null },
      });
      item.append(
        el("span", { className: "cocon-agenda__number", text: `${index + 1}.` }),
        el("span", { className: "cocon-agenda__title", text: ` ${activity.title}` }),
        el("span", { className: "fr-sr-only", text: ` (${isCurrent ? "en cours, " : ""}${activityStatus(activity)})` }),
      );
      return item;
    }),
  );
}

/** The moderation page's agenda: every activity with a button to make it current. */
export class AgendaList {
  constructor(list, onGoto) {
    this.list = list;
    this.onGoto = onGoto;
    this.items = new Map();
  }
  item(activity) {
    let entry = this.items.get(activity.id);
    if (!entry) {
      const li = el("li", { className: "cocon-agenda-list__item" });
      const title = el("p", { className: "cocon-agenda-list__title" });
      const status = el("p", { className: "cocon-agenda-list__status fr-text--sm" });
      const go = el("button", { className: "fr-btn fr-btn--sm fr-btn--secondary", attrs: { type: "button" } });
      go.append("Aller à cette activité", el("span", { className: "fr-sr-only" }));
      go.addEventListener("click", () => this.onGoto(activity.id));
      li.append(title, status, go);
      entry = { li, title, status, go };
      this.items.set(activity.id, entry);
    }
    return entry;
  }
  render(state) {
    const current = state.currentActivity();
    const live = state.workshop && state.workshop.state === "live";
    const agenda = state.agenda();
    const nodes = agenda.map((activity, index) => {
      const entry = this.item(activity);
      const isCurrent = Boolean(current && current.id === activity.id);
      setText(entry.title, `${index + 1}. ${activity.title}`);
      setText(entry.status, `${isCurrent ? "En cours · " : ""}${activityStatus(activity)}`);
      setText(entry.go.lastChild, ` : ${activity.title}`);
      entry.go.hidden = isCurrent || !live;
      entry.li.classList.toggle("cocon-agenda-list__item--current", isCurrent);
      if (isCurrent) entry.li.setAttribute("aria-current", "step");
      else entry.li.removeAttribute("aria-current");
      return entry.li;
    });
    const ids = new Set(agenda.map((a) => a.id));
    for (const id of this.items.keys()) if (!ids.has(id)) this.items.delete(id);
    reconcile(this.list, nodes);
  }
}

const PROFILE_LABELS = Object.fromEntries(PROFILES.map((p) => [p.key, p.label]));

/** The head count by profile ("moins de 5" under the disclosure threshold). */
export function renderPresence(root, bindOf, presence) {
  setText(bindOf(root, "connected"), String(presence.connected));
  setText(bindOf(root, "connected-label"), presence.connected > 1 ? "personnes connectées" : "personne connectée");
  const list = bindOf(root, "by-profile");
  list.replaceChildren(
    ...Object.entries(presence.by_profile)
      .filter(([, count]) => count !== "hidden")
      .map(([profile, count]) => {
        const shown = count === "<5" ? "moins de 5" : count;
        return el("li", { text: `${shown} ${PROFILE_LABELS[profile] || profile}` });
      }),
  );
}

export const STATUS = {
  connecting: "Connexion…",
  online: "",
  offline: "Connexion perdue : reconnexion en cours…",
  forbidden: "Accès refusé : connectez-vous avec un compte qui anime cet atelier.",
};

/**
 * The live connection of a facilitator's page (`name`: "screen" or "moderate"): the
 * state follows snapshots and events, renders are coalesced (one per 20 ms burst, a sync
 * replays hundreds of events at once) and keep focus, the status line and the timer stay
 * current, and `tracker` follows each command. A refused command renders again (a
 * select put back to the server's state). Returns { client, scheduleRender }.
 */
export function connectFacilitator({ root, name, state, tracker, render, presence = null, storageAlert = null }) {
  const timerLine = bind(root, "timer");
  let client = null;
  let pending = null;
  const scheduleRender = () => {
    if (pending !== null) return;
    pending = setTimeout(() => {
      pending = null;
      keepingFocus(render);
      renderTimer(timerLine, state.workshop, client.serverNow());
    }, 20);
  };
  client = new LiveClient({
    url: socketUrl(root.dataset.wsPath),
    persist: false, // a facilitator command is not replayed hours later
    storageKey: `cocon.${name}.outbox.${root.dataset.workshopId}`,
    handlers: {
      snapshot(snapshot) {
        state.loadSnapshot(snapshot);
        scheduleRender();
      },
      event(event) {
        state.apply(event);
        if (storageAlert) storageAlert.sawEvent(event.seq);
        scheduleRender();
      },
      presence,
      // The database cannot write (storagealert.js): told by the server, or by an error
      // of this page's own command, which stays queued and is sent again.
      storage: (message) => storageAlert && storageAlert.report(message, client.knownSeq),
      retrying: (error) => storageAlert && storageAlert.report(error, client.knownSeq),
      status(status) {
        setText(bind(root, "status"), STATUS[status] || "");
        root.dataset.status = status;
      },
      ack(command, reply) {
        if (storageAlert) storageAlert.acked();
        tracker.acked(command, reply);
      },
      error(command, error) {
        tracker.failed(command, error);
        scheduleRender();
      },
    },
  });
  tracker.attach(client);
  setInterval(() => renderTimer(timerLine, state.workshop, client.serverNow()), 250);
  client.connect();
  return { client, scheduleRender };
}
