// Unit tests of the browser's live client (static/cocon/live.js) with a fake WebSocket
// and mocked timers: sequence gaps, resync, failed syncs, retries, stale sockets.
// Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close(code = 1000) {
    this.readyState = 3;
    this.closeCode = code;
  }
  // test side
  open() {
    this.readyState = 1;
    this.onopen && this.onopen();
  }
  push(message) {
    this.onmessage && this.onmessage({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose && this.onclose({ code });
  }
  sentOfType(type) {
    return this.sent.filter((m) => m.type === type);
  }
}

// A fake clock (works on any Node with node:test, no mock.timers needed).
const clock = {
  now: 0,
  timers: new Map(),
  nextId: 1,
  reset() {
    this.now = 0;
    this.timers.clear();
  },
  add(fn, ms, every) {
    const id = this.nextId++;
    this.timers.set(id, { fn, at: this.now + Math.max(0, ms || 0), every });
    return id;
  },
  tick(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.now = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.timers.delete(id);
      timer.fn();
    }
    this.now = end;
  },
};
globalThis.setTimeout = (fn, ms) => clock.add(fn, ms, 0);
globalThis.setInterval = (fn, ms) => clock.add(fn, ms, ms);
globalThis.clearTimeout = (id) => clock.timers.delete(id);
globalThis.clearInterval = (id) => clock.timers.delete(id);
Date.now = () => clock.now;

const store = new Map();
globalThis.WebSocket = FakeSocket;
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
};

const { LiveClient } = await import("../../static/cocon/live.js");

function makeClient(options = {}) {
  const seen = { events: [], snapshots: [], acks: [], errors: [], statuses: [] };
  const client = new LiveClient({
    url: "ws://test/ws",
    storageKey: "outbox",
    handlers: {
      snapshot: (s) => seen.snapshots.push(s),
      event: (e) => seen.events.push(e.seq),
      ack: (c, a) => seen.acks.push([c && c.request_id, a.request_id]),
      error: (c, e) => seen.errors.push([c && c.body, e.code]),
      status: (s) => seen.statuses.push(s),
    },
    ...options,
  });
  return { client, seen };
}

function connected(client, seq = 0) {
  client.connect();
  const ws = FakeSocket.all.at(-1);
  ws.open();
  const sync = ws.sentOfType("sync").at(-1);
  ws.push({ type: "sync", mode: "snapshot", seq, snapshot: { seq } });
  return { ws, sync };
}

const event = (seq) => ({ type: "contribution.created", seq, contribution: { id: seq } });

beforeEach(() => {
  FakeSocket.all = [];
  store.clear();
  clock.reset();
});

test("events in order are applied once; duplicates are ignored", () => {
  const { client, seen } = makeClient();
  const { ws } = connected(client, 4);
  ws.push(event(5));
  ws.push(event(5));
  ws.push(event(6));
  assert.deepEqual(seen.events, [5, 6]);
  assert.equal(client.lastSeq, 6);
});

test("a late event within the grace period fills the gap without a sync", () => {
  const { client, seen } = makeClient();
  const { ws } = connected(client, 1);
  ws.push(event(3));
  assert.deepEqual(seen.events, []);
  ws.push(event(2));
  assert.deepEqual(seen.events, [2, 3]);
  clock.tick(5000);
  assert.equal(ws.sentOfType("sync").length, 1); // only the initial one
});

test("a gap that stays open triggers a sync from the last applied seq", () => {
  const { client, seen } = makeClient();
  const { ws } = connected(client, 1);
  ws.push(event(3));
  clock.tick(1100);
  const sync = ws.sentOfType("sync").at(-1);
  assert.equal(sync.last_seq, 1);
  ws.push({ type: "sync", mode: "events", seq: 3, events: [event(2), event(3)] });
  assert.deepEqual(seen.events, [2, 3]);
  assert.equal(client.lastSeq, 3);
});

test("a pong with a newer seq means something was missed", () => {
  const { client } = makeClient();
  const { ws } = connected(client, 7);
  ws.push({ type: "pong", seq: 9 });
  clock.tick(1100);
  assert.equal(ws.sentOfType("sync").at(-1).last_seq, 7);
});

test("a failed sync is retried and the outbox is sent once in step", () => {
  const { client, seen } = makeClient();
  client.connect();
  const ws = FakeSocket.all.at(-1);
  ws.open();
  client.send({ type: "contribution.create", body: "idée" });
  assert.equal(ws.sentOfType("contribution.create").length, 0); // not before the first sync
  const first = ws.sentOfType("sync").at(-1);
  ws.push({ type: "error", request_id: first.request_id, code: "internal_error", retryable: true });
  assert.equal(client.syncing, false);
  clock.tick(5000);
  const second = ws.sentOfType("sync").at(-1);
  assert.notEqual(second.request_id, first.request_id);
  ws.push(event(1)); // arrives while syncing: kept for after the sync
  ws.push({ type: "sync", mode: "snapshot", seq: 0, snapshot: { seq: 0 } });
  assert.deepEqual(seen.events, [1]);
  assert.equal(ws.sentOfType("contribution.create").length, 1);
});

test("a sync that gets no answer on a silent socket closes it to start over", () => {
  const { client } = makeClient();
  client.connect();
  const ws = FakeSocket.all.at(-1);
  ws.open();
  clock.tick(10_001);
  assert.equal(ws.readyState, 3);
});

test("a slow sync on a socket that still hears the server waits instead of reconnecting", () => {
  const { client } = makeClient();
  client.connect();
  const ws = FakeSocket.all.at(-1);
  ws.open();
  for (let second = 1; second <= 30; second += 1) {
    clock.tick(1_000);
    ws.push({ type: "batch", events: [{ type: "timer.updated", seq: second }] });
  }
  assert.equal(ws.readyState, 1, "an overloaded but live server is not abandoned");
  assert.equal(ws.sentOfType("sync").length, 1, "and not asked again");
  clock.tick(40_000); // then silent: dead after all
  assert.equal(ws.readyState, 3);
});

test("a sync unanswered for a minute starts over even if events keep coming", () => {
  const { client } = makeClient();
  client.connect();
  const ws = FakeSocket.all.at(-1);
  ws.open();
  for (let second = 1; second <= 61; second += 1) {
    clock.tick(1_000);
    ws.push({ type: "pong", seq: 0, server_time: new Date(0).toISOString() });
  }
  assert.equal(ws.readyState, 3);
});

test("a retryable error keeps the command queued and sends it again", () => {
  const { client, seen } = makeClient();
  const { ws } = connected(client);
  const command = client.send({ type: "contribution.create", body: "idée" });
  ws.push({ type: "error", request_id: command.request_id, code: "internal_error", retryable: true });
  assert.equal(client.pending().length, 1);
  assert.deepEqual(seen.errors, []);
  clock.tick(5000);
  assert.equal(ws.sentOfType("contribution.create").length, 2);
  ws.push({ type: "ack", request_id: command.request_id, seq: 1, result: {} });
  assert.equal(client.pending().length, 0);
});

test("a final refusal leaves the outbox and is reported with the text", () => {
  const { client, seen } = makeClient();
  const { ws } = connected(client);
  const command = client.send({ type: "contribution.create", body: "trop tard" });
  ws.push({ type: "error", request_id: command.request_id, code: "activity_closed", retryable: false });
  assert.equal(client.pending().length, 0);
  assert.deepEqual(seen.errors, [["trop tard", "activity_closed"]]);
});

test("unacknowledged commands survive a reload and are resent with the same id", () => {
  const first = makeClient();
  const { ws } = connected(first.client);
  const command = first.client.send({ type: "contribution.create", body: "pas perdue" });
  assert.equal(ws.sentOfType("contribution.create").length, 1);
  ws.drop();

  const reloaded = makeClient();
  const { ws: again } = connected(reloaded.client);
  const resent = again.sentOfType("contribution.create");
  assert.equal(resent.length, 1);
  assert.equal(resent[0].request_id, command.request_id);
});

test("the screen's commands are not persisted", () => {
  const { client } = makeClient({ persist: false });
  connected(client);
  client.send({ type: "workshop.close" });
  assert.equal(store.has("outbox"), false);
});

test("a late close from a replaced socket does not stop the new heartbeat", () => {
  const { client } = makeClient();
  const { ws: old } = connected(client);
  old.drop(); // the client schedules a reconnect
  clock.tick(1000);
  const fresh = FakeSocket.all.at(-1);
  assert.notEqual(fresh, old);
  fresh.open();
  fresh.push({ type: "sync", mode: "snapshot", seq: 0, snapshot: { seq: 0 } });
  old.onclose && old.onclose({ code: 1006 }); // stale close event arrives late
  clock.tick(25_000);
  assert.equal(fresh.sentOfType("ping").length, 1);
});

test("reconnecting while a socket is still connecting opens no second socket", () => {
  const { client } = makeClient();
  client.connect();
  client.reconnectNow();
  client.connect();
  assert.equal(FakeSocket.all.length, 1);
});

test("4401 stops reconnecting and says the device must join", () => {
  const { client, seen } = makeClient();
  const { ws } = connected(client);
  ws.drop(4401);
  clock.tick(60_000);
  assert.equal(FakeSocket.all.length, 1);
  assert.equal(seen.statuses.at(-1), "not-joined");
});

test("a batch of events is applied in sequence like separate events", () => {
  const { client, seen } = makeClient();
  const { ws } = connected(client, 2);
  ws.push({ type: "batch", events: [event(2), event(3), event(4)] });
  assert.deepEqual(seen.events, [3, 4]);
  assert.equal(client.lastSeq, 4);
});

const { timerText } = await import("../../static/cocon/board.js");

test("the timer counts down from the server's end time, whatever the device clock", () => {
  const { client } = makeClient();
  const { ws } = connected(client);
  clock.tick(1000); // device clock: 1 s
  ws.push({ type: "pong", seq: 0, server_time: new Date(600_000).toISOString() }); // server: 10 min
  const timer = { ends_at: new Date(600_000 + 90_500).toISOString(), paused_remaining: null };
  assert.equal(timerText(timer, client.serverNow()), "01:31");
  clock.tick(91_000);
  assert.equal(timerText(timer, client.serverNow()), "Temps écoulé");
  assert.equal(timerText({ ends_at: null, paused_remaining: 125 }, 0), "02:05 (pause)");
  assert.equal(timerText(null, 0), "");
});

// Storage failures (docs/reliability.md) ------------------------------------------------

test("a storage failure keeps the command in the outbox, tells the page, and resends it with the same request_id", () => {
  const retrying = [];
  const storage = [];
  const { client, seen } = makeClient();
  client.handlers.retrying = (e) => retrying.push(e.code);
  client.handlers.storage = (m) => storage.push(m.code);
  const { ws } = connected(client);
  const command = client.send({ type: "vote.add", item_id: 3 });
  for (const code of ["unavailable", "storage_read_only", "storage_full"]) {
    ws.push({ type: "error", request_id: command.request_id, code, message: "…", retryable: true });
    assert.equal(client.pending().length, 1);
    clock.tick(5000);
  }
  const sent = ws.sentOfType("vote.add");
  assert.equal(sent.length, 4);
  assert.deepEqual(new Set(sent.map((c) => c.request_id)), new Set([command.request_id]));
  assert.deepEqual(retrying, ["unavailable", "storage_read_only", "storage_full"]);
  assert.deepEqual(seen.errors, []); // nothing refused: no error shown as final
  ws.push({ type: "storage.alert", code: "storage_full", reason: "le disque du serveur est plein", server_time: "…" });
  assert.deepEqual(storage, ["storage_full"]);
});
