// The live connection shared by the big screen and the phones.
//
// It keeps the client's copy of the workshop in step with the server's event log.
// Every event carries the workshop's sequence number (seq). An event that skips ahead,
// or a pong reporting a newer seq, means something is missing; after a short grace
// (the missing event may simply arrive late from another server process) the client
// sends `sync` from the last seq it applied and gets the missed events or a snapshot.
// Commands go through an outbox (kept in localStorage on phones) and are resent with
// the same request_id until the server answers, so a phone that drops or reloads loses
// nothing and the server applies each command once.

const HEARTBEAT_MS = 25000;
const SILENCE_LIMIT_MS = 60000;
const SYNC_TIMEOUT_MS = 10000; // silent this long while syncing: the socket is dead
const SYNC_GIVE_UP_MS = 60000; // busy but unanswered this long: start over anyway
const GAP_GRACE_MS = 500;
const RETRY_MS = 2000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15000;
const MAX_BUFFERED = 2000;

export function newRequestId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const jitter = (ms) => ms + Math.random() * ms;

export class LiveClient {
  constructor({ url, storageKey, handlers, persist = true }) {
    this.url = url;
    this.storageKey = storageKey;
    this.persist = persist;
    this.handlers = handlers;
    this.lastSeq = null; // last seq applied
    this.knownSeq = 0; // highest seq known to exist (events seen, pongs)
    this.syncing = false;
    this.syncRequest = null;
    this.buffered = [];
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
    this.socketId = 0;
    this.sentOn = new Map(); // request_id -> socket it was sent on (not persisted)
    this.outbox = this.loadOutbox();
    this.clockOffset = 0; // server clock minus this device's, from snapshots and pongs
    // The browser knows first: say so at once (the close handshake of a socket that
    // cannot reach the server may take many seconds to end).
    globalThis.addEventListener?.("offline", () => {
      if (!this.ws) return;
      this.setStatus("offline");
      this.ws.close();
    });
    globalThis.addEventListener?.("online", () => this.reconnectNow());
  }

  // Outbox ------------------------------------------------------------------------------
  loadOutbox() {
    if (!this.persist) return [];
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) || "[]");
    } catch {
      return [];
    }
  }
  saveOutbox() {
    if (this.persist) localStorage.setItem(this.storageKey, JSON.stringify(this.outbox));
  }
  pending() {
    return this.outbox.slice();
  }

  /** Queue a command; it is sent now if connected and in step, else later. */
  send(command) {
    const full = { ...command, request_id: newRequestId() };
    this.outbox.push(full);
    this.saveOutbox();
    this.transmit(full);
    return full;
  }
  transmit(command) {
    if (!this.isOpen() || this.syncing || this.lastSeq === null) return;
    if (this.sentOn.get(command.request_id) === this.socketId) return;
    this.sentOn.set(command.request_id, this.socketId);
    this.ws.send(JSON.stringify(command));
  }
  flushOutbox() {
    for (const command of this.outbox) this.transmit(command);
  }
  settle(requestId) {
    const index = this.outbox.findIndex((c) => c.request_id === requestId);
    if (index < 0) return null;
    const [command] = this.outbox.splice(index, 1);
    this.sentOn.delete(requestId);
    this.saveOutbox();
    return command;
  }
  retryLater(requestId) {
    // Not decided by the server: send the same command again in a moment.
    this.sentOn.delete(requestId);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flushOutbox(), jitter(RETRY_MS));
  }

  // Connection --------------------------------------------------------------------------
  isOpen() {
    return this.ws !== null && this.ws.readyState === 1;
  }
  connect() {
    if (this.stopped) return;
    if (this.ws && this.ws.readyState <= 1) return; // connecting or open already
    this.setStatus("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.socketId += 1;
    this.syncing = false;
    this.syncRequest = null;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.setStatus("online");
      this.startHeartbeat(ws);
      this.requestSync();
    };
    ws.onmessage = (message) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      this.receive(data);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return; // a late close from a socket already replaced
      this.stopHeartbeat();
      clearTimeout(this.syncTimer);
      this.ws = null;
      this.syncing = false;
      if (event.code === 4401 || event.code === 4403) {
        this.stopped = true;
        this.setStatus(event.code === 4401 ? "not-joined" : "forbidden");
        return;
      }
      // Told off (1008) or over a socket cap (4429): slow down.
      if (event.code === 1008 || event.code === 4429) this.attempt = Math.max(this.attempt, 5);
      this.setStatus("offline");
      this.scheduleReconnect();
    };
  }
  scheduleReconnect() {
    clearTimeout(this.reconnectTimer);
    // Full jitter: a room of phones that lost the server do not all come back at once.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), Math.random() * ceiling);
  }
  reconnectNow() {
    if (this.stopped || (this.ws && this.ws.readyState <= 1)) return;
    clearTimeout(this.reconnectTimer);
    this.connect();
  }
  startHeartbeat(ws) {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      if (this.ws !== ws) return;
      if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
        ws.close(); // a silent socket is a dead one: reconnect and resync
        return;
      }
      ws.send(JSON.stringify({ type: "ping" }));
    }, HEARTBEAT_MS);
  }
  stopHeartbeat() {
    clearInterval(this.heartbeat);
  }
  setStatus(status) {
    this.status = status;
    this.handlers.status && this.handlers.status(status);
  }

  // Sync --------------------------------------------------------------------------------
  requestSync() {
    if (!this.isOpen() || this.syncing) return;
    clearTimeout(this.gapTimer);
    this.gapTimer = null;
    this.syncing = true;
    this.syncRequest = newRequestId();
    this.ws.send(JSON.stringify({ type: "sync", last_seq: this.lastSeq, request_id: this.syncRequest }));
    this.armSyncTimer(this.ws, this.syncRequest, Date.now());
  }
  /** A sync that gets no answer closes the socket, but only when the socket has gone
   * silent: a server that keeps sending events is alive and busy, and a thousand phones
   * reconnecting and asking for snapshots at once would only make it busier. */
  armSyncTimer(ws, request, sentAt) {
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => {
      if (this.ws !== ws || !this.syncing || this.syncRequest !== request) return;
      const busy = Date.now() - this.lastHeard < SYNC_TIMEOUT_MS;
      if (busy && Date.now() - sentAt < SYNC_GIVE_UP_MS) this.armSyncTimer(ws, request, sentAt);
      else ws.close(); // no answer: start over
    }, SYNC_TIMEOUT_MS);
  }
  syncFailed() {
    this.syncing = false;
    this.syncRequest = null;
    clearTimeout(this.syncTimer);
    setTimeout(() => this.requestSync(), jitter(RETRY_MS));
  }
  /** The server's current time in ms, for countdowns: device clocks can be minutes off. */
  serverNow() {
    return Date.now() + this.clockOffset;
  }
  noteServerTime(iso) {
    const at = Date.parse(iso);
    if (!Number.isNaN(at)) this.clockOffset = at - Date.now();
  }
  applySync(data) {
    clearTimeout(this.syncTimer);
    if (data.mode === "snapshot") {
      this.noteServerTime(data.snapshot.server_time);
      this.handlers.snapshot(data.snapshot);
    } else {
      for (const event of data.events) {
        if (this.lastSeq === null || event.seq > this.lastSeq) this.handlers.event(event);
      }
    }
    this.lastSeq = data.seq;
    this.knownSeq = Math.max(this.knownSeq, data.seq);
    this.syncing = false;
    this.syncRequest = null;
    this.drain();
    this.flushOutbox();
    this.handlers.synced && this.handlers.synced();
  }

  // Inbound -----------------------------------------------------------------------------
  receive(data) {
    switch (data.type) {
      case "sync":
        return this.applySync(data);
      case "ack": {
        const command = this.settle(data.request_id);
        return this.handlers.ack && this.handlers.ack(command, data);
      }
      case "error":
        return this.receiveError(data);
      case "pong":
        this.noteServerTime(data.server_time);
        this.noteKnown(data.seq);
        return;
      case "presence":
        return this.handlers.presence && this.handlers.presence(data);
      case "storage.alert": // screens: the database cannot write now (storagealert.js)
        return this.handlers.storage && this.handlers.storage(data);
      case "batch": // phones: several events coalesced into one message
        for (const event of data.events) this.receiveEvent(event);
        return;
      default:
        if (typeof data.seq === "number") this.receiveEvent(data);
    }
  }
  receiveError(data) {
    if (data.request_id && data.request_id === this.syncRequest) return this.syncFailed();
    if (data.retryable && data.request_id) {
      if (this.handlers.retrying) this.handlers.retrying(data); // kept, sent again later
      return this.retryLater(data.request_id);
    }
    const command = data.request_id ? this.settle(data.request_id) : null;
    return this.handlers.error && this.handlers.error(command, data);
  }
  receiveEvent(event) {
    this.noteKnown(event.seq);
    if (this.lastSeq !== null && event.seq <= this.lastSeq) return; // duplicate
    if (this.buffered.length < MAX_BUFFERED) this.buffered.push(event);
    if (!this.syncing && this.lastSeq !== null) this.drain();
  }
  /** Apply buffered events that follow on; wait a moment for any that are missing. */
  drain() {
    this.buffered.sort((a, b) => a.seq - b.seq);
    while (this.buffered.length && this.buffered[0].seq <= this.lastSeq) this.buffered.shift();
    while (this.buffered.length && this.buffered[0].seq === this.lastSeq + 1) {
      const event = this.buffered.shift();
      this.lastSeq = event.seq;
      this.handlers.event(event);
    }
    this.checkGap();
  }
  noteKnown(seq) {
    if (seq > this.knownSeq) this.knownSeq = seq;
    this.checkGap();
  }
  checkGap() {
    if (this.lastSeq === null || this.syncing || this.knownSeq <= this.lastSeq) {
      clearTimeout(this.gapTimer);
      this.gapTimer = null;
      return;
    }
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.knownSeq > this.lastSeq) this.requestSync();
    }, jitter(GAP_GRACE_MS));
  }
}

/** The WebSocket URL of a path on this page's host. */
export function socketUrl(path) {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}
