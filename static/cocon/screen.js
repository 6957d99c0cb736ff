// The big screen: the wall of the current activity, readable from the back of the room,
// with the join code, the head count, the agenda, the timer and the facilitator's
// controls (buttons, keyboard shortcuts, drag and drop into clusters, spotlight). A vote
// or a rating shows its results instead of a wall (votescreen.js), a journey its map and
// emotion curve (journeyscreen.js).

import { WorkshopState, bind, describeState } from "./board.js";
import { SHORTCUTS, shortcutFor, targetKind, viewOf } from "./commands.js";
import { CommandTracker, Controls, connectFacilitator, renderAgendaStrip, renderPresence } from "./controls.js";
import { el, openDialog, setText } from "./dom.js";
import { frameText, isJourney, shownLanes } from "./journeylayout.js";
import { JourneyScreen } from "./journeyscreen.js";
import { columnCounts, densityFor, isPrivateHidden, plural, shownAuthor, wallNotes } from "./layout.js";
import { isVoting } from "./results.js";
import { StorageAlert } from "./storagealert.js";
import { VoteBoard } from "./votescreen.js";
import { Wall } from "./wall.js";

const root = document.getElementById("live");
const state = new WorkshopState();
const tracker = new CommandTracker(bind(root, "alert"));
const controlsBox = bind(root, "controls");
const helpGroup = controlsBox.firstElementChild;
const controls = new Controls({
  container: controlsBox,
  state,
  tracker,
  timerChoices: root.dataset.timerChoices.split(",").map(Number),
  groups: ["workshop", "agenda", "timer"],
  omit: ["activity.reveal"], // the private panel and the vote have their own, large
  small: true,
});
controlsBox.append(helpGroup);

const spotlight = bind(root, "spotlight");
const clusterDialog = bind(root, "cluster-dialog");
const clusterForm = bind(root, "cluster-form");
const help = bind(root, "help");
const placeDialog = bind(root, "place-dialog");
for (const dialog of [clusterDialog, help, placeDialog]) dialog.addEventListener("close", () => renderSpotlight());
let closedSpotlightId = null; // closed here, its spotlight.off not yet confirmed
let newCluster = null; // title -> the cluster.create command the dialog sends
const clusterHint = bind(root, "cluster-hint");
const noteHint = clusterHint.textContent;

/** Ask for a new cluster's title; `command(title)` is what is sent then. */
function askClusterTitle(command, hint = noteHint) {
  newCluster = command;
  clusterForm.reset();
  setText(clusterHint, hint);
  openDialog(clusterDialog, clusterForm.elements.title);
}

/** A closed workshop's results are frozen: the wall stays, its controls do nothing. */
const canModerate = () => Boolean(state.workshop && state.workshop.state !== "closed");

const wall = new Wall(bind(root, "board"), bind(root, "dropbar"), {
  onActivate(id) {
    if (!canModerate()) return;
    const toggled = state.workshop && state.workshop.spotlight_id === id ? null : id;
    tracker.send({ type: "contribution.spotlight", contribution_id: toggled });
  },
  onMove(id, clusterId) {
    if (!canModerate()) return;
    tracker.send({ type: "contribution.move", contribution_id: id, cluster_id: clusterId });
  },
  onNewCluster(id) {
    const activity = state.currentActivity();
    if (!canModerate() || !activity) return;
    askClusterTitle((title) => ({ type: "cluster.create", activity_id: activity.id, title, contribution_ids: [id] }));
  },
});

const journey = new JourneyScreen(bind(root, "journey"), root, {
  send: (command, options) => tracker.send(command, options),
  spotlight(id) {
    if (!canModerate()) return;
    tracker.send({ type: "contribution.spotlight", contribution_id: state.workshop.spotlight_id === id ? null : id });
  },
  askClusterTitle: (command) => askClusterTitle(command, "120 caractères au plus. Les deux cartes y seront placées."),
  goto: (activityId) => controls.run("agenda.goto", { activityId }),
  alert: (message) => tracker.alert(message),
  csrfToken: () => bind(root, "csrf").elements.csrfmiddlewaretoken.value,
  workshopId: Number(root.dataset.workshopId),
});

const votes = new VoteBoard(bind(root, "vote"), { onReveal: () => controls.run("activity.reveal") });

// Rendering ---------------------------------------------------------------------------
function render() {
  const activity = state.currentActivity();
  const workshop = state.workshop;
  root.dataset.workshopState = workshop ? workshop.state : "";
  setText(bind(root, "prompt"), (activity && (activity.prompt || activity.title)) || "Tableau d'idées");
  setText(bind(root, "state"), describeState(state));
  renderAgendaStrip(bind(root, "agenda"), state);
  controls.render();

  // Boards of notes are drawn as a wall; a vote or a rating as its results; a journey
  // as its map (a private one not revealed: counts only, like a board).
  const voting = isVoting(activity);
  const isBoard = !activity || !activity.kind || activity.kind === "ideation";
  const isMap = isJourney(activity);
  bind(root, "vote").hidden = !voting;
  if (voting) renderVote(activity);
  const notes = isBoard || isMap ? wallNotes(state.board()) : [];
  if (!voting && !isMap) setText(bind(root, "count"), plural(notes.length, "contribution", "contributions"));
  const secret = (isBoard || isMap) && isPrivateHidden(activity);
  bind(root, "private").hidden = !secret;
  renderJourney(isMap ? activity : null, notes, secret);
  bind(root, "board").hidden = secret || !isBoard;
  bind(root, "dropbar").hidden = secret || !isBoard || !activity || !canModerate();
  if (secret) renderPrivate(activity, notes);

  const density = densityFor(secret ? 0 : notes.length);
  root.dataset.density = String(density.level);
  root.style.setProperty("--wall-font", `${density.fontSize}rem`);
  root.style.setProperty("--wall-note-width", `${density.noteWidth}rem`);
  root.style.setProperty("--wall-lines", String(density.lines || "none"));
  wall.render({
    activity,
    notes: secret || !isBoard ? [] : notes, // a private activity's bodies never reach the page
    clusters: state.boardClusters(),
    workshop,
    density,
    spotlightId: workshop ? workshop.spotlight_id : null,
  });
  renderSpotlight();
}

function renderJourney(activity, cards, secret) {
  const frame = bind(root, "journey-frame");
  bind(root, "journey").hidden = !activity || secret;
  frame.hidden = !activity;
  if (!activity) return;
  setText(frame, frameText(activity));
  frame.hidden = !frame.textContent;
  setText(bind(root, "count"), plural(cards.length, "carte", "cartes"));
  if (secret) return; // no card, no figure reaches the room before the reveal
  journey.render({
    activity,
    notes: cards,
    clusters: state.boardClusters(),
    activities: state.activities,
    workshop: state.workshop,
    curves: state.curves,
    spotlightId: state.workshop ? state.workshop.spotlight_id : null,
    canModerate: canModerate(),
  });
}

function renderVote(activity) {
  const items = state.voteItems.get(activity.id) || [];
  const rating = activity.kind === "rating";
  setText(
    bind(root, "count"),
    rating ? plural(items.length, "élément à noter", "éléments à noter") : plural(items.length, "élément soumis au vote", "éléments soumis au vote"),
  );
  votes.render({
    activity,
    items,
    tally: state.tallies.get(activity.id) || null,
    canReveal: Boolean(canModerate() && activity.private && !activity.revealed),
  });
}

function renderPrivate(activity, notes) {
  setText(bind(root, "private-count"), plural(notes.length, "contribution reçue", "contributions reçues"));
  const counts = activity.columns.length ? columnCounts(activity, notes) : [];
  bind(root, "private-columns").replaceChildren(
    ...counts.map((c) => el("li", { text: `${c.label} : ${c.count}` })),
  );
  bind(root, "reveal").hidden = !(state.workshop && state.workshop.state !== "closed");
}

function renderSpotlight() {
  const id = state.workshop ? state.workshop.spotlight_id : null;
  if (id !== closedSpotlightId) closedSpotlightId = null;
  const note = id ? state.contributions.get(id) : null;
  const activity = note ? state.activities.get(note.activity_id) : null;
  const shown = note && note.status === "visible" && !isPrivateHidden(activity) && id !== closedSpotlightId;
  if (!shown) {
    if (spotlight.open) spotlight.close();
    return;
  }
  // Not over a dialog the facilitator is using (a cluster title being typed): the
  // spotlight would take the focus and the typing would become shortcuts. It opens
  // when that dialog closes.
  if (clusterDialog.open || help.open || placeDialog.open) return;
  const context = isJourney(activity) ? cardPlace(activity, note) : "";
  setText(bind(root, "spotlight-context"), context);
  bind(root, "spotlight-context").hidden = !context;
  setText(bind(root, "spotlight-body"), note.body);
  const author = shownAuthor(state.workshop, note);
  setText(bind(root, "spotlight-author"), author ? `— ${author}` : "");
  bind(root, "spotlight-author").hidden = !author;
  openDialog(spotlight, bind(root, "spotlight-close"));
}

/** "Faire la démarche · Irritants": where a card of a journey is. */
function cardPlace(activity, note) {
  const stage = activity.columns.find((c) => c.key === note.column);
  const lane = shownLanes(activity).find((l) => l.key === note.lane);
  return [stage && stage.label, lane && lane.label].filter(Boolean).join(" · ");
}

// Spotlight, clusters and help dialogs -----------------------------------------------
function closeSpotlight() {
  const id = state.workshop ? state.workshop.spotlight_id : null;
  if (id === null) return;
  closedSpotlightId = id;
  tracker.send(
    { type: "contribution.spotlight", contribution_id: null },
    {
      onError() {
        closedSpotlightId = null;
        scheduleRender();
      },
    },
  );
  if (spotlight.open) spotlight.close();
}
bind(root, "spotlight-close").addEventListener("click", closeSpotlight);
spotlight.addEventListener("cancel", (event) => {
  event.preventDefault();
  closeSpotlight();
});

clusterForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const title = clusterForm.elements.title.value.trim();
  if (!title || !newCluster || !canModerate()) return;
  tracker.send(newCluster(title));
  newCluster = null;
  clusterDialog.close();
});
bind(root, "cluster-cancel").addEventListener("click", () => clusterDialog.close());

// A journey's card has one key of its own (handled on the card, see journeyscreen.js).
const CARD_SHORTCUTS = [{ keys: ["M"], label: "Parcours : déplacer ou regrouper la carte sélectionnée" }];
bind(root, "shortcuts").replaceChildren(
  ...[...SHORTCUTS, ...CARD_SHORTCUTS].map((shortcut) => {
    const keys = el("td");
    shortcut.keys.forEach((key, index) => {
      if (index) keys.append(" ou ");
      keys.append(el("kbd", { text: key }));
    });
    const row = el("tr");
    row.append(keys, el("td", { text: shortcut.label }));
    return row;
  }),
);
const openHelp = () => openDialog(help, bind(root, "help-close"));
bind(root, "help-open").addEventListener("click", openHelp);
bind(root, "help-close").addEventListener("click", () => help.close());
bind(root, "reveal").addEventListener("click", () => controls.run("activity.reveal"));

// Keyboard shortcuts -------------------------------------------------------------------
document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.repeat) return;
  const action = shortcutFor(
    { key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, kind: targetKind(event.target) },
    viewOf(state),
    { minutes: controls.minutes() },
  );
  if (!action) return;
  if (action.ui === "escape") {
    // An open dialog closes itself (its cancel event); without one, Escape ends the spotlight.
    if (!root.querySelector("dialog[open]")) closeSpotlight();
    return;
  }
  event.preventDefault();
  if (action.ui === "help") openHelp();
  else controls.send(action.command);
});

// Connection ---------------------------------------------------------------------------
const { scheduleRender } = connectFacilitator({
  root,
  name: "screen",
  state,
  tracker,
  render,
  presence: (presence) => renderPresence(root, bind, presence),
  storageAlert: new StorageAlert(bind(root, "storage-alert"), bind(root, "storage-alert-text")),
});
