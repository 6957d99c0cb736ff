// The facilitator's commands as pure rules, shared by the big screen and the
// moderation page: which commands apply in the workshop's current state, the command
// object a button or a key sends, and the keyboard shortcuts of the big screen.
// No DOM here: tests/js/commands.test.mjs runs it under node.

import { isVoting } from "./results.js";

/** What the rules need to know, from a WorkshopState (board.js). */
export function viewOf(state) {
  return { workshop: state.workshop, activity: state.currentActivity(), agenda: state.agenda() };
}

function timerPhase(workshop) {
  const timer = workshop && workshop.timer;
  if (!timer) return "none";
  if (timer.paused_remaining !== null && timer.paused_remaining !== undefined) return "paused";
  return timer.ends_at ? "running" : "none";
}

/** For each command type, whether it applies now (buttons are shown or enabled by it). */
export function available({ workshop, activity, agenda = [] }) {
  const ws = workshop ? workshop.state : null;
  const live = ws === "live";
  const notClosed = ws === "draft" || ws === "live";
  const phase = timerPhase(workshop);
  const here = activity ? agenda.findIndex((a) => a.id === activity.id) : -1;
  const voting = isVoting(activity);
  return {
    "workshop.start": ws === "draft",
    "workshop.close": notClosed,
    // Signatures are about notes: a vote has none to show.
    "workshop.show_authors": notClosed && !voting,
    "agenda.previous": live && here > 0,
    "agenda.next": live && agenda.length > 0 && here < agenda.length - 1,
    "agenda.goto": live,
    // A closed vote never reopens (its results may be quoted in a dossier).
    "activity.open": live && Boolean(activity) && activity.state !== "open" && !(voting && activity.state === "closed"),
    "activity.close": live && Boolean(activity) && activity.state === "open",
    "activity.reveal": notClosed && Boolean(activity && activity.private && !activity.revealed),
    "timer.start": notClosed,
    "timer.pause": notClosed && phase === "running",
    "timer.resume": notClosed && phase === "paused",
    "timer.extend": notClosed && phase !== "none",
    "timer.stop": notClosed && phase !== "none",
  };
}

/**
 * The command to send for `type` now, or null when it does not apply.
 * options: `minutes` (timer.start), `activityId` (agenda.goto).
 */
export function commandFor(type, view, { minutes = 5, activityId = null } = {}) {
  if (!available(view)[type]) return null;
  switch (type) {
    case "activity.open":
    case "activity.close":
    case "activity.reveal":
      return { type, activity_id: view.activity.id };
    case "agenda.goto":
      return activityId === null ? null : { type, activity_id: activityId };
    case "timer.start":
      return { type, seconds: Math.round(60 * Number(minutes)) };
    case "timer.extend":
      return { type, seconds: 60 };
    case "workshop.show_authors":
      return { type, visible: !view.workshop.show_authors };
    default:
      return { type };
  }
}

/** The timer command the space bar sends: start, pause or resume. */
export function timerToggleType(workshop) {
  return { running: "timer.pause", paused: "timer.resume", none: "timer.start" }[timerPhase(workshop)];
}

/**
 * What the focused element is, for shortcuts: "text" (typing: no shortcut at all),
 * "control" (a button or link: the space bar is its own), or "other".
 */
export function targetKind(target) {
  if (!target || typeof target.tagName !== "string") return "other";
  const tag = target.tagName.toUpperCase();
  if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || target.isContentEditable) return "text";
  const role = typeof target.getAttribute === "function" ? target.getAttribute("role") : null;
  if (tag === "BUTTON" || tag === "A" || tag === "SUMMARY" || role === "button") return "control";
  return "other";
}

/** The big screen's shortcuts, in the order of the help dialog (one source for both). */
export const SHORTCUTS = [
  { keys: ["→", "N"], label: "Passer à l'activité suivante" },
  { keys: ["←", "P"], label: "Revenir à l'activité précédente" },
  { keys: ["O"], label: "Ouvrir ou fermer les contributions (ou le vote) de l'activité en cours" },
  { keys: ["Espace"], label: "Minuteur : lancer (durée choisie), mettre en pause, reprendre" },
  { keys: ["+"], label: "Minuteur : ajouter une minute" },
  { keys: ["A"], label: "Afficher ou masquer les auteurs" },
  { keys: ["R"], label: "Activité privée : révéler ce qui a été reçu, ou les résultats du vote" },
  { keys: ["?"], label: "Ouvrir cette aide" },
  { keys: ["Échap"], label: "Fermer la mise en avant ou la fenêtre ouverte" },
];

const KEY_TYPES = {
  arrowright: "agenda.next",
  n: "agenda.next",
  arrowleft: "agenda.previous",
  p: "agenda.previous",
  "+": "timer.extend",
  a: "workshop.show_authors",
  r: "activity.reveal",
};

/**
 * What a key press does on the big screen.
 * event: { key, ctrlKey, metaKey, altKey, kind } where kind is targetKind(event.target).
 * Returns { command } to send, { ui: "help" | "escape" } for the page, or null.
 */
export function shortcutFor(event, view, { minutes = 5 } = {}) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.kind === "text") return null;
  const key = event.key || "";
  if (key === "Escape") return { ui: "escape" };
  if (key === "?") return { ui: "help" };
  let type = KEY_TYPES[key.toLowerCase()];
  if (key.toLowerCase() === "o") {
    type = view.activity && view.activity.state === "open" ? "activity.close" : "activity.open";
  } else if (key === " ") {
    if (event.kind === "control") return null; // the focused button's own activation
    type = timerToggleType(view.workshop);
  }
  if (!type) return null;
  const command = commandFor(type, view, { minutes });
  return command ? { command } : null;
}
