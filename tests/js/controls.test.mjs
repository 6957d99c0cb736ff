// Unit tests of the command tracker shared by the facilitator's pages
// (static/cocon/controls.js): each command followed to its ack or error, refusals shown,
// toggles not sent twice while unanswered. Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { CommandTracker, activityStatus, closeQuestion, labelFor } from "../../static/cocon/controls.js";

function fakeClient() {
  let n = 0;
  return {
    sent: [],
    send(command) {
      const full = { ...command, request_id: `r${++n}` };
      this.sent.push(full);
      return full;
    },
  };
}

function tracked() {
  const alertLine = { textContent: "" };
  const tracker = new CommandTracker(alertLine);
  const client = fakeClient();
  tracker.attach(client);
  return { tracker, client, alertLine };
}

test("an ack settles the command and calls its onAck", () => {
  const { tracker } = tracked();
  const seen = [];
  const sent = tracker.send({ type: "cluster.create", title: "A" }, { onAck: (reply) => seen.push(reply.seq) });
  assert.equal(tracker.pending.size, 1);
  tracker.acked(sent, { type: "ack", request_id: sent.request_id, seq: 4 });
  assert.equal(tracker.pending.size, 0);
  assert.deepEqual(seen, [4]);
});

test("an error shows its message and calls onError", () => {
  const { tracker, alertLine } = tracked();
  let refused = null;
  const sent = tracker.send({ type: "agenda.next" }, { onError: (error) => (refused = error.code) });
  tracker.failed(sent, { code: "invalid_transition", message: "C'est la dernière activité." });
  assert.equal(alertLine.textContent, "C'est la dernière activité.");
  assert.equal(refused, "invalid_transition");
  assert.equal(tracker.pending.size, 0);
  tracker.failed(null, { code: "bad_json" }); // an error for no command of ours
  assert.equal(alertLine.textContent, "La commande a été refusée.");
  clearTimeout(tracker.alertTimer);
});

test("a toggle is not sent again while the first is unanswered", () => {
  const { tracker, client } = tracked();
  const first = tracker.send({ type: "workshop.show_authors", visible: true }, { once: true });
  assert.equal(tracker.send({ type: "workshop.show_authors", visible: true }, { once: true }), null);
  assert.ok(tracker.send({ type: "timer.extend", seconds: 60 }, { once: true }));
  tracker.acked(first, {});
  assert.ok(tracker.send({ type: "workshop.show_authors", visible: false }, { once: true }));
  assert.equal(client.sent.length, 3);
  assert.equal(tracker.send(null), null);
});

test("activity statuses read in French", () => {
  assert.equal(activityStatus({ state: "open", private: false }), "ouverte");
  assert.equal(activityStatus({ state: "pending", private: true, revealed: false }), "à venir · privée");
  assert.equal(activityStatus({ state: "closed", private: true, revealed: true }), "fermée · privée, révélée");
});

test("a vote's status and buttons speak of the vote", () => {
  assert.equal(activityStatus({ kind: "vote", state: "open", private: true, revealed: false }), "vote ouvert · résultats masqués");
  assert.equal(activityStatus({ kind: "vote", state: "closed", private: true, revealed: true }), "vote clos · résultats révélés");
  assert.equal(activityStatus({ kind: "rating", state: "pending", private: false }), "notation à venir");
  assert.equal(activityStatus({ kind: "ideation", state: "open", private: false }), "ouverte");
  assert.equal(labelFor("activity.close", { kind: "vote" }), "Clore le vote");
  assert.equal(labelFor("activity.reveal", { kind: "rating" }), "Révéler les résultats");
  assert.equal(labelFor("activity.close", { kind: "ideation" }), "Fermer les contributions");
  assert.equal(labelFor("activity.reveal", null), "Révéler les contributions");
  assert.equal(labelFor("timer.start", { kind: "vote" }), "Lancer");
  assert.equal(labelFor("activity.close", { kind: "rating" }), "Clore la notation");
  assert.equal(closeQuestion({ kind: "vote" }), "Clore le vote ? Les résultats seront figés.");
  assert.equal(closeQuestion({ kind: "rating" }), "Clore la notation ? Les résultats seront figés.");
});
