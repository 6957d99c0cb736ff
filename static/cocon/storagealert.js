// The big screen's storage alert: when the database cannot write (restarting, read-only,
// disk full), the facilitator sees it at once and keeps seeing it, even if the screen
// itself sends nothing: the server pushes `storage.alert` when any socket's command fails
// that way, and the screen's own retryable errors say the same. It goes away once a write
// succeeds again: an ack of the screen's own command, or a new event (a seq beyond what
// was known when the alert came). No DOM beyond `hidden` and `textContent`: node tests
// run it (tests/js/storagealert.test.mjs).

export const STORAGE_CODES = new Set(["unavailable", "storage_read_only", "storage_full"]);

const REASONS = {
  unavailable: "la base de données ne répond pas",
  storage_read_only: "la base de données est en lecture seule",
  storage_full: "le disque du serveur est plein",
};

/** The alert's sentence for a failure code (and the server's reason, if it gave one). */
export function storageAlertText(code, reason = null) {
  const why = reason || REASONS[code] || "la base de données ne répond pas";
  return (
    `Enregistrement impossible : ${why}. ` +
    "Les contributions sont conservées sur les téléphones et renvoyées automatiquement."
  );
}

export class StorageAlert {
  /** box: the element shown or hidden; line: the element holding the sentence. */
  constructor(box, line = box) {
    this.box = box;
    this.line = line;
    this.since = null; // the highest seq known when the alert came; null: no alert
  }
  get shown() {
    return this.since !== null;
  }
  /** A `storage.alert` message, or an error reply of the screen's own: show it if it is
   * about storage. `knownSeq`: the highest seq the client knows of. */
  report(message, knownSeq) {
    if (!message || !STORAGE_CODES.has(message.code)) return false;
    this.line.textContent = storageAlertText(message.code, message.reason);
    this.box.hidden = false;
    this.since = Math.max(knownSeq || 0, this.since || 0);
    return true;
  }
  /** A domain event arrived: a new one means writes go through again. */
  sawEvent(seq) {
    if (this.since !== null && typeof seq === "number" && seq > this.since) this.clear();
  }
  /** The screen's own command was written. */
  acked() {
    if (this.since !== null) this.clear();
  }
  clear() {
    this.since = null;
    this.box.hidden = true;
    this.line.textContent = "";
  }
}
