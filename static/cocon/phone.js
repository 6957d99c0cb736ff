// The phone: follow the workshop's current activity; on a board, write notes, manage
// one's own notes and see the board with +1 reactions; on a vote, place points; on a
// rating, place each item on two axes.
//
// This module wires the live connection to the parts of the page and renders them:
//   phone-compose.js       the compose form (and how notes are signed)
//   phone-drafts-panel.js  drafts kept for another activity
//   phone-draft-store.js   the drafts in localStorage
//   phone-mine.js          "Mes contributions"
//   phone-board.js         "Toutes les contributions"
//   phone-vote.js          the dot vote (rules in phone-vote-rules.js)
//   phone-rating.js        the two-axis rating
//   phone-journey.js       a journey map, stage by stage (rules in journey-rules.js)
//
// Nothing typed or tapped is ever lost: unsent commands live in the outbox (localStorage,
// see live.js), the text being typed is a draft kept per activity (drafts.js) that
// survives a change of activity or a reload, and notes the server refused stay visible.
// User text only ever goes through textContent.

import { LiveClient, socketUrl } from "./live.js";
import { WorkshopState, bind, describeState, timerText } from "./board.js";
import { setText, show } from "./dom.js";
import { contributionCounts, draftStorageKey, isBlank, isBoard } from "./drafts.js";
import { isJourney, isMyFeelings } from "./journey-rules.js";
import { Board } from "./phone-board.js";
import { Compose } from "./phone-compose.js";
import { DraftStore } from "./phone-draft-store.js";
import { DraftsPanel } from "./phone-drafts-panel.js";
import { JourneyScreen } from "./phone-journey.js";
import { Mine, pendingFor } from "./phone-mine.js";
import { RatingScreen } from "./phone-rating.js";
import { isVoting } from "./phone-vote-rules.js";
import { VoteScreen } from "./phone-vote.js";
import { Announcer } from "./phone-widgets.js";

const root = document.getElementById("live");
const state = new WorkshopState();
const ui = Object.fromEntries(
  [
    "status", "announce", "title", "prompt", "state", "timer", "drafts", "compose", "identity-box", "identity",
    "privacy", "columns", "limit", "compose-hint", "compose-error", "send", "mine", "mine-empty", "count",
    "board-note", "board", "elsewhere", "wall",
    "vote", "vote-rules", "vote-left", "vote-notice", "vote-error", "vote-items", "vote-empty", "vote-voters",
    "vote-hidden", "vote-ranking",
    "rating", "rating-rules", "rating-progress", "rating-notice", "rating-error", "rating-items", "rating-empty",
    "rating-voters", "rating-hidden", "rating-results",
  ].map((name) => [name, bind(root, name)]),
);
const STATUS = {
  connecting: "Connexion…",
  online: "",
  offline: "Hors connexion : vos contributions seront envoyées au retour du réseau.",
};
const OFFLINE_VOTING = "Hors connexion : vos votes seront envoyés au retour du réseau.";
const VOTE_COMMANDS = new Set(["vote.add", "vote.remove"]);
const RATING_COMMANDS = new Set(["rating.set", "rating.clear"]);
const FEELING_COMMANDS = new Set(["feeling.set", "feeling.clear"]);

const announcer = new Announcer(ui.announce);

// What the parts of the page share. `client` is set once the connection is built.
const ctx = {
  root,
  state,
  ui,
  client: null,
  me: null, // snapshot.me: this participant's name and pseudonym
  drafts: new DraftStore(localStorage, draftStorageKey(root.dataset.workshopId), state),
  announce: (message) => announcer.say(message),
  render: () => render(),
  counts: () => contributionCounts(state.own.values(), ctx.client.pending()),
};
ctx.compose = new Compose(ctx);
ctx.draftsPanel = new DraftsPanel(ctx);
ctx.mine = new Mine(ctx);
ctx.board = new Board(ctx);
ctx.vote = new VoteScreen(ctx);
ctx.rating = new RatingScreen(ctx);
ctx.journey = new JourneyScreen(ctx);

// Rendering -----------------------------------------------------------------------------------

/** Follow the current activity: the compose form now writes that activity's draft. */
function followActivity(activity) {
  const left = ctx.drafts.follow(activity, state.workshop);
  if (!left) return;
  if (!isBlank(left)) {
    const where = left.activityTitle ? ` pour « ${left.activityTitle} »` : "";
    ctx.announce(`L'activité a changé : votre brouillon${where} est conservé.`);
  }
  ctx.compose.error("");
}

function renderHeader(activity) {
  if (!state.workshop) return;
  setText(ui.title, activity ? activity.title : state.workshop.title);
  setText(ui.prompt, (activity && activity.prompt) || "");
  show(ui.prompt, Boolean(activity && activity.prompt));
  const live = state.workshop.state === "live";
  let text = describeState(state);
  if (live && activity && !isBoard(activity) && !isVoting(activity) && !isJourney(activity)) {
    text = activity.state === "open" ? "Activité en cours" : "Activité fermée";
  }
  setText(ui.state, text);
  const open = live && Boolean(activity) && activity.state === "open";
  ui.state.classList.toggle("fr-badge--success", open);
  ui.state.classList.toggle("fr-badge--warning", !open && live);
}

function renderStatus(activity) {
  const status = root.dataset.status;
  if (!status) return; // not connecting yet: the page's "Connexion…" stays
  setText(ui.status, status === "offline" && isVoting(activity) ? OFFLINE_VOTING : STATUS[status] || "");
}

function renderTimer() {
  const text = state.workshop ? timerText(state.workshop.timer, ctx.client.serverNow()) : "";
  setText(ui.timer, text);
}

function render() {
  const activity = state.currentActivity();
  followActivity(activity);
  // A vote or a rating takes no written notes: no compose form, no board.
  const board = !activity || isBoard(activity);
  show(ui.compose, board);
  show(ui.wall, board);
  show(ui.elsewhere, !board && !isVoting(activity) && !isJourney(activity));
  const counts = ctx.counts();
  renderHeader(activity);
  renderStatus(activity);
  ctx.vote.render(activity);
  ctx.rating.render(activity);
  ctx.journey.render(activity);
  ctx.compose.renderIdentity(activity);
  ctx.draftsPanel.render(activity, counts);
  ctx.compose.render(activity, counts);
  ctx.mine.render(activity);
  ctx.board.render(activity);
  renderTimer();
}

let renderQueued = false;
/** Render once after a burst (a batch of events is applied in one go). */
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    render();
  });
}

// The connection ------------------------------------------------------------------------------

function onEvent(event) {
  if (event.type === "contribution.removed" && state.own.has(event.contribution_id)) {
    // Our note left the board without our withdrawal: the facilitator hid it.
    const withdrawing = pendingFor(ctx.client.pending(), "contribution.withdraw", event.contribution_id);
    if (!withdrawing) state.own.set(event.contribution_id, { ...state.own.get(event.contribution_id), status: "hidden" });
  }
  state.apply(event);
  scheduleRender();
}

/** Is this ack's result a participant's votes (MyVotesOut)? */
function isMyVotes(result) {
  return typeof result.activity_id === "number" && typeof result.left === "number" && typeof result.votes === "object";
}

ctx.client = new LiveClient({
  url: socketUrl(root.dataset.wsPath),
  storageKey: `cocon.phone.outbox.${root.dataset.workshopId}`,
  handlers: {
    snapshot(snapshot) {
      state.loadSnapshot(snapshot);
      if (snapshot.me) ctx.me = snapshot.me;
      scheduleRender();
    },
    event: onEvent,
    status(status) {
      root.dataset.status = status;
      if (status === "not-joined") {
        window.location.assign(root.dataset.joinUrl);
        return;
      }
      renderStatus(state.currentActivity());
      scheduleRender(); // a vote's waiting points say whether the network is there
    },
    ack(command, ack) {
      const result = ack.result || {};
      const type = command ? command.type : "";
      if (result.contribution) {
        // Shown at once, even if the broadcast is late, lost or redacted (private mode).
        state.setOwn(result.contribution);
        ctx.mine.errors.delete(result.contribution.id);
      } else if (typeof result.on === "boolean") {
        ctx.board.reacted(result);
      } else if (type === "contribution.withdraw") {
        ctx.mine.withdrawn(command.contribution_id);
      } else if (isMyFeelings(result)) {
        state.setFeelings(result);
        ctx.journey.acked(command);
      } else if (isMyVotes(result)) {
        state.setMyVotes(result);
        if (VOTE_COMMANDS.has(type)) ctx.vote.acked(command);
        if (RATING_COMMANDS.has(type)) ctx.rating.acked(command);
      }
      scheduleRender();
    },
    error(command, error) {
      const type = command ? command.type : "";
      const activity = state.currentActivity();
      if (type === "contribution.create") {
        // A card of the journey shown goes back into its form; other refused notes stay in "Mes contributions".
        if (!(command.lane && ctx.journey.cardRefused(command, error))) ctx.mine.refused(command, error.message);
      } else if (type === "contribution.update") {
        ctx.mine.editRefused(command, error.message);
      } else if (type === "contribution.withdraw") {
        ctx.mine.errors.set(command.contribution_id, error.message);
      } else if (type === "reaction.set") {
        ctx.board.errors.set(command.contribution_id, error.message);
      } else if (VOTE_COMMANDS.has(type)) {
        ctx.vote.refused(command, error);
      } else if (RATING_COMMANDS.has(type)) {
        ctx.rating.refused(command, error);
      } else if (FEELING_COMMANDS.has(type)) {
        ctx.journey.feelingRefused(command, error);
      } else if (activity && activity.kind === "vote") {
        ctx.vote.showError(error.message); // no compose form on a vote: say it there
      } else if (activity && activity.kind === "rating") {
        ctx.rating.showError(error.message);
      } else if (isJourney(activity)) {
        ctx.journey.showError(error.message);
      } else {
        ctx.compose.error(error.message);
      }
      scheduleRender();
    },
  },
});

render();
setInterval(renderTimer, 250);
ctx.client.connect();
