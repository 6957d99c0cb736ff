// The big screen's storage alert (static/cocon/storagealert.js): shown on storage
// failures, kept while nothing is written, gone once a write succeeds again.

import assert from "node:assert/strict";
import { test } from "node:test";

import { StorageAlert, storageAlertText } from "../../static/cocon/storagealert.js";

const fakeElement = () => ({ hidden: true, textContent: "" });

test("a storage failure shows the alert with its reason and what happens to contributions", () => {
  const box = fakeElement();
  const alert = new StorageAlert(box);
  assert.equal(alert.report({ type: "storage.alert", code: "storage_read_only", reason: "la base de données est en lecture seule" }, 7), true);
  assert.equal(box.hidden, false);
  assert.match(box.textContent, /^Enregistrement impossible : la base de données est en lecture seule\./);
  assert.match(box.textContent, /conservées sur les téléphones et renvoyées automatiquement/);
});

test("other errors leave the alert alone", () => {
  const box = fakeElement();
  const alert = new StorageAlert(box);
  assert.equal(alert.report({ type: "error", code: "rate_limited", retryable: true }, 3), false);
  assert.equal(alert.report({ type: "error", code: "internal_error", retryable: true }, 3), false);
  assert.equal(box.hidden, true);
});

test("the alert stays through old events and goes once a new one is written", () => {
  const box = fakeElement();
  const alert = new StorageAlert(box);
  alert.report({ code: "storage_full" }, 10);
  assert.match(box.textContent, /le disque du serveur est plein/);
  alert.sawEvent(9); // replayed by a resync: written before the failure
  alert.sawEvent(10);
  assert.equal(box.hidden, false);
  alert.sawEvent(11);
  assert.equal(box.hidden, true);
  assert.equal(box.textContent, "");
});

test("an ack of the screen's own command clears it", () => {
  const box = fakeElement();
  const alert = new StorageAlert(box);
  alert.report({ code: "unavailable" }, 0);
  alert.acked();
  assert.equal(box.hidden, true);
  assert.equal(alert.shown, false);
});

test("a code without a reason still says what is wrong", () => {
  assert.match(storageAlertText("unavailable"), /la base de données ne répond pas/);
});
