// The moderation page (a tablet or laptop beside the big screen): the same workshop
// controls, the whole agenda, every note of the current activity (hidden ones too) with
// hide/restore/spotlight/cluster, and the clusters. Connected as a screen, so it stays
// in step with the big screen through the server.

import { LiveClient, socketUrl } from "./live.js";
import { WorkshopState, bind, describeState } from "./board.js";
import { ClusterPanel } from "./clusterpanel.js";
import { AgendaList, CommandTracker, Controls, STATUS, renderTimer } from "./controls.js";
import { keepingFocus, setText } from "./dom.js";
import { isPrivateHidden, plural } from "./layout.js";
import { NoteList } from "./notelist.js";

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
});
const agenda = new AgendaList(bind(root, "agenda"), (activityId) => controls.run("agenda.goto", { activityId }));
const notes = new NoteList(bind(root, "notes"), { send, onPick: () => clusters.renderPicked() });
const clusters = new ClusterPanel(root, bind, {
  send,
  picked: () => notes.picked(),
  clearPicks: () => notes.clearPicks(),
  activity: () => state.currentActivity(),
});

function render() {
  const activity = state.currentActivity();
  const workshop = state.workshop;
  setText(bind(root, "state"), describeState(state));
  controls.render();
  agenda.render(state);
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
  renderTimer(bind(root, "timer"), workshop, client.serverNow());
}

let renderTimerId = null;
function scheduleRender() {
  if (renderTimerId !== null) return;
  renderTimerId = setTimeout(() => {
    renderTimerId = null;
    keepingFocus(render);
  }, 20);
}

const client = new LiveClient({
  url: socketUrl(root.dataset.wsPath),
  persist: false, // a facilitator command is not replayed hours later
  storageKey: `cocon.moderate.outbox.${root.dataset.workshopId}`,
  handlers: {
    snapshot(snapshot) {
      state.loadSnapshot(snapshot);
      scheduleRender();
    },
    event(event) {
      state.apply(event);
      scheduleRender();
    },
    status(status) {
      setText(bind(root, "status"), STATUS[status] || "");
      root.dataset.status = status;
    },
    ack: (command, reply) => tracker.acked(command, reply),
    error(command, error) {
      tracker.failed(command, error);
      scheduleRender(); // put a refused choice (a select) back to the server's state
    },
  },
});
tracker.attach(client);

setInterval(() => renderTimer(bind(root, "timer"), state.workshop, client.serverNow()), 250);
client.connect();
