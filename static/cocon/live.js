// The live connection shared by the big screen and the phones.
//
// It keeps the client's copy of the workshop in step with the server's event log:
// every event carries the workshop's sequence number; a gap, a reconnect or a pong
// that reports a newer sequence triggers a `sync` from the last sequence applied.
// Commands go through an outbox kept in localStorage and are resent with the same
// request_id until acknowledged, so a phone that drops or reloads loses nothing and
// the server applies each command once.

const HEARTBEAT_MS = 25000;
const SILENCE_LIMIT_MS = 60000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15000;

function newRequestId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class LiveClient {
  constructor({ path, storageKey, handlers }) {
    this.url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
    this.storageKey = storageKey;
    this.handlers = handlers;
    this.lastSeq = null;
    this.syncing = false;
    this.buffered = [];
    this.attempt = 0;
    this.stopped = false;
    this.outbox = this.loadOutbox();
    this.socketId = 0;
    this.sentOn = new Map(); // request_id -> socket it was sent on (not persisted)
    window.addEventListener("offline", () => this.ws && this.ws.close());
    window.addEventListener("online", () => this.reconnectNow());
  }

  // Outbox ------------------------------------------------------------------------------
  loadOutbox() {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) || "[]");
    } catch {
      return [];
    }
  }
  saveOutbox() {
    localStorage.setItem(this.storageKey, JSON.stringify(this.outbox));
  }
  pending() {
    return this.outbox.slice();
  }

  /** Queue a command; it is sent now if connected, or on the next connection. */
  send(command) {
    const full = { ...command, request_id: newRequestId() };
    this.outbox.push(full);
    this.saveOutbox();
    this.transmit(full);
    return full;
  }
  transmit(command) {
    if (!this.isOpen() || this.syncing) return;
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

  // Connection --------------------------------------------------------------------------
  isOpen() {
    return this.ws && this.ws.readyState === WebSocket.OPEN;
  }
  connect() {
    if (this.stopped) return;
    this.setStatus("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.socketId += 1;
    ws.onopen = () => {
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.setStatus("online");
      this.requestSync();
      this.startHeartbeat();
    };
    ws.onmessage = (message) => {
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
      this.stopHeartbeat();
      if (this.ws !== ws) return;
      this.syncing = false;
      if (event.code === 4401 || event.code === 4403) {
        this.stopped = true;
        this.setStatus(event.code === 4401 ? "not-joined" : "forbidden");
        return;
      }
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
    if (this.stopped || this.isOpen()) return;
    clearTimeout(this.reconnectTimer);
    this.connect();
  }
  startHeartbeat() {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
        this.ws.close(); // a silent socket is a dead one: reconnect and resync
        return;
      }
      if (this.isOpen()) this.ws.send(JSON.stringify({ type: "ping" }));
    }, HEARTBEAT_MS);
  }
  stopHeartbeat() {
    clearInterval(this.heartbeat);
  }
  setStatus(status) {
    this.status = status;
    this.handlers.status && this.handlers.status(status);
  }

  // Inbound -----------------------------------------------------------------------------
  requestSync() {
    if (!this.isOpen() || this.syncing) return;
    this.syncing = true;
    this.ws.send(JSON.stringify({ type: "sync", last_seq: this.lastSeq }));
  }
  receive(data) {
    switch (data.type) {
      case "sync":
        return this.applySync(data);
      case "ack": {
        const command = this.settle(data.request_id);
        return this.handlers.ack && this.handlers.ack(command, data);
      }
      case "error": {
        const command = data.request_id ? this.settle(data.request_id) : null;
        return this.handlers.error && this.handlers.error(command, data);
      }
      case "pong":
        if (this.lastSeq !== null && data.seq > this.lastSeq) this.requestSync();
        return;
      case "presence":
        return this.handlers.presence && this.handlers.presence(data);
      default:
        if (typeof data.seq === "number") this.receiveEvent(data);
    }
  }
  applySync(data) {
    if (data.mode === "snapshot") {
      this.handlers.snapshot(data.snapshot);
    } else {
      for (const event of data.events) {
        if (event.seq > this.lastSeq) this.handlers.event(event);
      }
    }
    this.lastSeq = data.seq;
    this.syncing = false;
    const buffered = this.buffered.sort((a, b) => a.seq - b.seq);
    this.buffered = [];
    for (const event of buffered) this.receiveEvent(event);
    this.flushOutbox();
    this.handlers.synced && this.handlers.synced();
  }
  receiveEvent(event) {
    if (this.syncing || this.lastSeq === null) {
      this.buffered.push(event);
      return;
    }
    if (event.seq <= this.lastSeq) return; // already applied (replay overlap, duplicate)
    if (event.seq !== this.lastSeq + 1) {
      this.buffered.push(event); // a gap: fetch what is missing, then apply in order
      this.requestSync();
      return;
    }
    this.lastSeq = event.seq;
    this.handlers.event(event);
  }
}
