// The facilitator's controls, shared by the big screen and the moderation page: the
// command buttons (workshop, agenda, timer), the agenda, the timer display, and a
// tracker that follows each command to its ack or error and shows refusals.

import { timerText } from "./board.js";
import { available, commandFor, viewOf } from "./commands.js";
import { el, reconcile, setText } from "./dom.js";

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
const ONCE = new Set(["workshop.show_authors", "activity.open", "activity.close", "activity.reveal", "workshop.start"]);

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
  constructor({ container, state, tracker, timerChoices, groups, omit = [], small = false, confirmClose = true }) {
    this.state = state;
    this.tracker = tracker;
    this.confirmClose = confirmClose;
    this.buttons = new Map();
    this.minutesSelect = null;
    const skip = new Set(omit);
    for (const name of groups) {
      const spec = GROUPS[name];
      const group = el("div", {
        className: "cocon-controls__group",
        attrs: { role: "group", "aria-label": spec.label },
      });
      if (name === "timer") group.append(...this.minutesField(timerChoices));
      for (const type of spec.commands) {
        if (skip.has(type)) continue;
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
    if (!command) return null;
    if (type === "workshop.close" && this.confirmClose) {
      if (!window.confirm("Clôturer l'atelier ? Plus personne ne pourra contribuer.")) return null;
    }
    return this.send(command);
  }
  /** Send a command built elsewhere (a keyboard shortcut), with the same toggle guard. */
  send(command) {
    return command ? this.tracker.send(command, { once: ONCE.has(command.type) }) : null;
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
        button.hidden = !can[type];
      }
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

/** "ouverte", "fermée · privée", "à venir · privée, révélée"… */
export function activityStatus(activity) {
  const parts = [ACTIVITY_STATES[activity.state] || activity.state];
  if (activity.private) parts.push(activity.revealed ? "privée, révélée" : "privée");
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

const PROFILE_LABELS = {
  usager: "usager·es",
  agent: "agent·es",
  partenaire: "partenaires",
  elu: "élu·es",
  autre: "autres",
};

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
