// The phone: write ideas, see which were received, follow the board.
// Unsent ideas live in the outbox (localStorage): they survive a lost connection or a
// reload and are sent, once, when the connection comes back.

import { LiveClient, socketUrl } from "./live.js";
import { WorkshopState, bind, describeState, renderBoard, timerText } from "./board.js";

const root = document.getElementById("live");
const state = new WorkshopState();
const form = bind(root, "compose");
const textarea = form.querySelector("textarea");
const errorLine = bind(root, "compose-error");
const failed = []; // ideas the server refused, kept visibly so nothing typed is lost
const STATUS = {
  connecting: "Connexion…",
  online: "",
  offline: "Hors connexion : vos idées seront envoyées au retour du réseau.",
};

function render() {
  const activity = state.currentActivity();
  bind(root, "prompt").textContent = (activity && activity.prompt) || (state.workshop && state.workshop.title) || "";
  bind(root, "state").textContent = describeState(state);
  const notes = state.board();
  bind(root, "count").textContent = String(notes.length);
  renderBoard(bind(root, "board"), notes, { newestFirst: true });
  renderMine();
  renderTimer();
}

function renderTimer() {
  const text = state.workshop ? timerText(state.workshop.timer, client.serverNow()) : "";
  const line = bind(root, "timer");
  if (line.textContent !== text) line.textContent = text;
}

function renderMine() {
  const items = [];
  for (const command of client.pending()) {
    if (command.type === "contribution.create") items.push(mineItem(command.body, "pending", "En attente d'envoi"));
  }
  for (const entry of failed) items.push(mineItem(entry.body, "refused", `Non envoyée : ${entry.message}`));
  for (const id of Array.from(state.mine).reverse()) {
    const contribution = state.contributions.get(id);
    if (contribution) items.push(mineItem(contribution.body, "received", "Reçue ✓"));
  }
  bind(root, "mine").replaceChildren(...items);
}

function mineItem(body, status, label) {
  const item = document.createElement("li");
  item.className = `cocon-mine__item cocon-mine__item--${status}`;
  item.dataset.status = status;
  const text = document.createElement("p");
  text.className = "cocon-mine__body";
  text.textContent = body;
  const badge = document.createElement("p");
  badge.className = "cocon-mine__status";
  badge.textContent = label;
  item.append(text, badge);
  return item;
}

const client = new LiveClient({
  url: socketUrl(root.dataset.wsPath),
  storageKey: `cocon.phone.outbox.${root.dataset.workshopId}`,
  handlers: {
    snapshot(snapshot) {
      state.loadSnapshot(snapshot);
      render();
    },
    event(event) {
      state.apply(event);
      render();
    },
    status(status) {
      root.dataset.status = status;
      if (status === "not-joined") {
        window.location.assign(root.dataset.joinUrl);
        return;
      }
      bind(root, "status").textContent = STATUS[status] || "";
    },
    ack(command, ack) {
      const contribution = ack.result.contribution;
      if (contribution) {
        // Shown at once, even if the broadcast of it is late or lost.
        state.apply({ type: "contribution.created", contribution });
        state.mine.add(contribution.id);
      }
      render();
    },
    error(command, error) {
      if (command && command.type === "contribution.create") {
        failed.push({ body: command.body, message: error.message });
      } else {
        errorLine.textContent = error.message;
        errorLine.hidden = false;
      }
      render();
    },
  },
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = textarea.value.trim();
  errorLine.hidden = true;
  if (!body) {
    errorLine.textContent = "Écrivez votre idée avant de l'envoyer.";
    errorLine.hidden = false;
    textarea.focus();
    return;
  }
  const activity = state.currentActivity();
  if (!activity) {
    errorLine.textContent = "L'atelier n'a pas encore commencé : gardez votre idée, vous pourrez l'envoyer dans un instant.";
    errorLine.hidden = false;
    return;
  }
  client.send({ type: "contribution.create", activity_id: activity.id, body });
  textarea.value = "";
  renderMine();
});

renderMine();
setInterval(renderTimer, 250);
client.connect();
