// The big screen: the live board, the head count, and the facilitator's controls.

import { LiveClient, socketUrl } from "./live.js";
import { WorkshopState, bind, describeState, renderBoard, timerText } from "./board.js";

const root = document.getElementById("live");
const state = new WorkshopState();
const PROFILE_LABELS = {
  usager: "usager·es",
  agent: "agent·es",
  partenaire: "partenaires",
  elu: "élu·es",
  autre: "autres",
};
const STATUS = {
  connecting: "Connexion…",
  online: "",
  offline: "Connexion perdue : reconnexion en cours…",
  forbidden: "Accès refusé : connectez-vous avec un compte qui anime cet atelier.",
};

function render() {
  const activity = state.currentActivity();
  bind(root, "prompt").textContent = (activity && activity.prompt) || (activity && activity.title) || "Tableau d'idées";
  bind(root, "state").textContent = describeState(state);
  const notes = state.board();
  bind(root, "count").textContent = String(notes.length);
  bind(root, "count-label").textContent = notes.length > 1 ? "idées" : "idée";
  renderBoard(bind(root, "board"), notes);
  const ws = state.workshop ? state.workshop.state : null;
  showControl("workshop.start", ws === "draft");
  showControl("activity.close", ws === "live" && activity && activity.state === "open");
  showControl("activity.open", ws === "live" && activity && activity.state !== "open");
  showControl("workshop.close", ws !== null && ws !== "closed");
  const timer = state.workshop ? state.workshop.timer : null;
  const running = Boolean(timer && timer.ends_at);
  const paused = Boolean(timer && timer.paused_remaining !== null);
  showControl("timer.start", ws !== null && ws !== "closed");
  showControl("timer.pause", running && ws !== "closed");
  showControl("timer.resume", paused && ws !== "closed");
  showControl("timer.extend", (running || paused) && ws !== "closed");
  showControl("timer.stop", (running || paused) && ws !== "closed");
  renderTimer();
}

function renderTimer() {
  const text = state.workshop ? timerText(state.workshop.timer, client.serverNow()) : "";
  const line = bind(root, "timer");
  if (line.textContent !== text) line.textContent = text;
}

function showControl(command, visible) {
  root.querySelector(`[data-command="${command}"]`).hidden = !visible;
}

function renderPresence(presence) {
  bind(root, "connected").textContent = String(presence.connected);
  bind(root, "connected-label").textContent =
    presence.connected > 1 ? "personnes connectées" : "personne connectée";
  const list = bind(root, "by-profile");
  list.replaceChildren(
    ...Object.entries(presence.by_profile).map(([profile, count]) => {
      const item = document.createElement("li");
      item.textContent = `${count === "<5" ? "moins de 5" : count} ${PROFILE_LABELS[profile] || profile}`;
      return item;
    }),
  );
}

const client = new LiveClient({
  url: socketUrl(root.dataset.wsPath),
  persist: false, // a facilitator command is not replayed hours later
  storageKey: `cocon.screen.outbox.${root.dataset.workshopId}`,
  handlers: {
    snapshot(snapshot) {
      state.loadSnapshot(snapshot);
      render();
    },
    event(event) {
      state.apply(event);
      render();
    },
    presence: renderPresence,
    status(status) {
      bind(root, "status").textContent = STATUS[status] || "";
      root.dataset.status = status;
    },
    ack() {},
    error(_command, error) {
      bind(root, "status").textContent = error.message;
    },
  },
});

root.querySelectorAll("[data-command]").forEach((button) => {
  button.addEventListener("click", () => {
    const command = { type: button.dataset.command };
    if (command.type.startsWith("activity.")) {
      const activity = state.currentActivity();
      if (!activity) return;
      command.activity_id = activity.id;
    }
    if (command.type === "timer.start") command.seconds = 60 * Number(bind(root, "timer-minutes").value);
    if (command.type === "timer.extend") command.seconds = 60;
    if (command.type === "workshop.close" && !window.confirm("Clôturer l'atelier ? Plus personne ne pourra contribuer.")) return;
    client.send(command);
  });
});

setInterval(renderTimer, 250);
client.connect();
