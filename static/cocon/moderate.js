// The moderation page (a tablet or laptop beside the big screen): the same workshop
// controls, the whole agenda, every note of the current activity (hidden ones too) with
// hide/restore/spotlight/cluster, the clusters, and the vote section (votemod.js).
// Connected as a screen, so it stays in step with the big screen through the server.

import { WorkshopState, bind, describeState } from "./board.js";
import { ClusterPanel } from "./clusterpanel.js";
import { AgendaList, CommandTracker, Controls, connectFacilitator } from "./controls.js";
import { setText } from "./dom.js";
import { isPrivateHidden, plural } from "./layout.js";
import { NoteList } from "./notelist.js";
import { isVoting } from "./results.js";
import { VotePanel } from "./votemod.js";

// The vote section has its own reveal and close buttons (close asks first).
const VOTE_COMMANDS = new Set(["activity.open", "activity.close", "activity.reveal"]);

const root = document.getElementById("live");
const state = new WorkshopState();
const tracker = new CommandTracker(bind(root, "alert"));
const send = (command, options) => tracker.send(command, options);
const controls = new Controls({
  container: bind(root, "controls"),
  state,
  tracker,
  timerChoices: root.dataset.timerChoices.split(",").map(Number),
  groups: ["workshop", "agenda", "timer"],
  small: true,
  skip: (type, view) => isVoting(view.activity) && VOTE_COMMANDS.has(type),
});
const agenda = new AgendaList(bind(root, "agenda"), (activityId) => controls.run("agenda.goto", { activityId }));
const notes = new NoteList(bind(root, "notes"), { send, onPick: () => clusters.renderPicked() });
const clusters = new ClusterPanel(root, bind, {
  send,
  picked: () => notes.picked(),
  clearPicks: () => notes.clearPicks(),
  activity: () => state.currentActivity(),
});
const votes = new VotePanel(bind(root, "vote"), bind, { send });

function render() {
  const activity = state.currentActivity();
  const workshop = state.workshop;
  setText(bind(root, "state"), describeState(state));
  controls.render();
  agenda.render(state);
  votes.render(state);
  // Notes and clusters belong to boards: a vote shows its own section instead.
  const voting = isVoting(activity);
  bind(root, "notes-section").hidden = voting;
  bind(root, "clusters-section").hidden = voting;
  if (voting) return;
  setText(bind(root, "notes-title"), activity ? `Contributions : ${activity.title}` : "Contributions");
  const all = state.board().sort((a, b) => a.id - b.id);
  const hidden = all.filter((n) => n.status === "hidden").length;
  setText(
    bind(root, "notes-count"),
    plural(all.length - hidden, "contribution visible", "contributions visibles") +
      (hidden ? ` · ${plural(hidden, "masquée", "masquées")}` : ""),
  );
  bind(root, "private-note").hidden = !isPrivateHidden(activity);
  const boardClusters = state.boardClusters();
  notes.render({ notes: all, activity, clusters: boardClusters, workshop });
  clusters.render(boardClusters, all);
}

connectFacilitator({ root, name: "moderate", state, tracker, render });
