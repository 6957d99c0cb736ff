// Unit tests of the facilitator's command rules (static/cocon/commands.js): which
// commands apply in which state, the commands buttons send, and the big screen's
// keyboard shortcuts. Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { SHORTCUTS, available, commandFor, shortcutFor, targetKind, timerToggleType, viewOf } from "../../static/cocon/commands.js";
import { WorkshopState } from "../../static/cocon/board.js";

const activities = [
  { id: 10, position: 1, title: "Irritants", state: "open", columns: [], private: true, revealed: false },
  { id: 11, position: 2, title: "Solutions", state: "pending", columns: [], private: false, revealed: false },
];

function view({ ws = "live", current = 10, timer = null, show_authors = false, acts = activities } = {}) {
  const state = new WorkshopState();
  state.loadSnapshot({
    workshop: { id: 1, state: ws, current_activity_id: current, timer, show_authors, spotlight_id: null },
    activities: acts,
    contributions: [],
    clusters: [],
    me: null,
  });
  return viewOf(state);
}

const RUNNING = { ends_at: "2026-11-23T10:15:00Z", paused_remaining: null };
const PAUSED = { ends_at: null, paused_remaining: 42 };
const key = (k, extra = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, kind: "other", ...extra });

test("a draft workshop can start, not move through the agenda", () => {
  const can = available(view({ ws: "draft", current: null }));
  assert.equal(can["workshop.start"], true);
  assert.equal(can["agenda.next"], false);
  assert.equal(can["activity.open"], false);
  assert.equal(can["timer.start"], true);
});

test("previous and next follow the position in the agenda", () => {
  let can = available(view({ current: 10 }));
  assert.equal(can["agenda.previous"], false);
  assert.equal(can["agenda.next"], true);
  can = available(view({ current: 11 }));
  assert.equal(can["agenda.previous"], true);
  assert.equal(can["agenda.next"], false);
});

test("a closed workshop offers nothing", () => {
  const can = available(view({ ws: "closed" }));
  assert.deepEqual(
    Object.entries(can).filter(([, on]) => on),
    [],
  );
});

test("the timer's buttons follow its phase", () => {
  assert.equal(available(view({ timer: RUNNING }))["timer.pause"], true);
  assert.equal(available(view({ timer: RUNNING }))["timer.resume"], false);
  assert.equal(available(view({ timer: PAUSED }))["timer.resume"], true);
  assert.equal(available(view({ timer: null }))["timer.extend"], false);
  assert.equal(timerToggleType({ timer: null }), "timer.start");
  assert.equal(timerToggleType({ timer: RUNNING }), "timer.pause");
  assert.equal(timerToggleType({ timer: PAUSED }), "timer.resume");
});

test("commands carry the fields the protocol asks for", () => {
  const v = view();
  assert.deepEqual(commandFor("activity.close", v), { type: "activity.close", activity_id: 10 });
  assert.deepEqual(commandFor("activity.reveal", v), { type: "activity.reveal", activity_id: 10 });
  assert.deepEqual(commandFor("timer.start", v, { minutes: 3 }), { type: "timer.start", seconds: 180 });
  assert.deepEqual(commandFor("timer.extend", view({ timer: RUNNING })), { type: "timer.extend", seconds: 60 });
  assert.deepEqual(commandFor("workshop.show_authors", v), { type: "workshop.show_authors", visible: true });
  assert.deepEqual(commandFor("workshop.show_authors", view({ show_authors: true })), {
    type: "workshop.show_authors",
    visible: false,
  });
  assert.deepEqual(commandFor("agenda.goto", v, { activityId: 11 }), { type: "agenda.goto", activity_id: 11 });
  assert.equal(commandFor("agenda.goto", v), null);
  assert.equal(commandFor("activity.open", v), null, "already open");
  assert.equal(commandFor("agenda.previous", v), null, "first activity");
});

test("arrows and N/P move through the agenda", () => {
  const v = view();
  assert.deepEqual(shortcutFor(key("ArrowRight"), v), { command: { type: "agenda.next" } });
  assert.deepEqual(shortcutFor(key("n"), v), { command: { type: "agenda.next" } });
  assert.deepEqual(shortcutFor(key("N"), v), { command: { type: "agenda.next" } });
  assert.equal(shortcutFor(key("ArrowLeft"), v), null, "no activity before the first");
  assert.deepEqual(shortcutFor(key("p"), view({ current: 11 })), { command: { type: "agenda.previous" } });
  assert.equal(shortcutFor(key("n"), view({ ws: "draft", current: null })), null);
});

test("O opens or closes the current activity", () => {
  assert.deepEqual(shortcutFor(key("o"), view()), { command: { type: "activity.close", activity_id: 10 } });
  const closed = activities.map((a) => (a.id === 10 ? { ...a, state: "closed" } : a));
  assert.deepEqual(shortcutFor(key("O"), view({ acts: closed })), {
    command: { type: "activity.open", activity_id: 10 },
  });
});

test("space starts with the chosen minutes, then pauses and resumes", () => {
  assert.deepEqual(shortcutFor(key(" "), view(), { minutes: 10 }), { command: { type: "timer.start", seconds: 600 } });
  assert.deepEqual(shortcutFor(key(" "), view({ timer: RUNNING })), { command: { type: "timer.pause" } });
  assert.deepEqual(shortcutFor(key(" "), view({ timer: PAUSED })), { command: { type: "timer.resume" } });
  assert.equal(shortcutFor(key(" ", { kind: "control" }), view()), null, "space on a button presses the button");
});

test("+, A and R", () => {
  assert.deepEqual(shortcutFor(key("+"), view({ timer: PAUSED })), { command: { type: "timer.extend", seconds: 60 } });
  assert.equal(shortcutFor(key("+"), view()), null, "no timer to extend");
  assert.deepEqual(shortcutFor(key("a"), view()), { command: { type: "workshop.show_authors", visible: true } });
  assert.deepEqual(shortcutFor(key("r"), view()), { command: { type: "activity.reveal", activity_id: 10 } });
  assert.equal(shortcutFor(key("r"), view({ current: 11 })), null, "not a private activity");
});

test("? opens the help and Escape is left to the page", () => {
  assert.deepEqual(shortcutFor(key("?"), view()), { ui: "help" });
  assert.deepEqual(shortcutFor(key("Escape"), view()), { ui: "escape" });
  assert.deepEqual(shortcutFor(key("?"), view({ ws: "closed" })), { ui: "help" });
});

test("no shortcut while typing, nor with a modifier key", () => {
  for (const k of ["n", "ArrowRight", " ", "o", "a", "?", "Escape", "+"]) {
    assert.equal(shortcutFor(key(k, { kind: "text" }), view()), null, k);
  }
  assert.equal(shortcutFor(key("n", { ctrlKey: true }), view()), null);
  assert.equal(shortcutFor(key("r", { metaKey: true }), view()), null);
  assert.equal(shortcutFor(key("a", { altKey: true }), view()), null);
  assert.equal(shortcutFor(key("x"), view()), null);
  assert.equal(shortcutFor(key("Enter"), view()), null);
});

test("targetKind tells typing from buttons", () => {
  const node = (tagName, attrs = {}, extra = {}) => ({ tagName, getAttribute: (n) => attrs[n] ?? null, ...extra });
  assert.equal(targetKind(node("INPUT")), "text");
  assert.equal(targetKind(node("select")), "text");
  assert.equal(targetKind(node("TEXTAREA")), "text");
  assert.equal(targetKind(node("DIV", {}, { isContentEditable: true })), "text");
  assert.equal(targetKind(node("BUTTON")), "control");
  assert.equal(targetKind(node("DIV", { role: "button" })), "control");
  assert.equal(targetKind(node("BODY")), "other");
  assert.equal(targetKind(null), "other");
});

test("the help lists every shortcut key", () => {
  const keys = SHORTCUTS.flatMap((s) => s.keys);
  for (const k of ["→", "N", "←", "P", "O", "Espace", "+", "A", "R", "?", "Échap"]) assert.ok(keys.includes(k), k);
});

test("on a vote: no authors toggle, and a closed vote never reopens", () => {
  const votes = [
    { id: 20, position: 1, kind: "vote", title: "Vote", state: "open", columns: [], private: true, revealed: false },
    { id: 21, position: 2, kind: "rating", title: "Matrice", state: "closed", columns: [], private: false, revealed: false },
  ];
  const open = available(view({ current: 20, acts: votes }));
  assert.equal(open["workshop.show_authors"], false);
  assert.equal(open["activity.close"], true);
  assert.equal(open["activity.reveal"], true, "a private vote reveals its results");
  assert.equal(shortcutFor(key("a"), view({ current: 20, acts: votes })), null);
  assert.deepEqual(shortcutFor(key("r"), view({ current: 20, acts: votes })), {
    command: { type: "activity.reveal", activity_id: 20 },
  });
  const closed = available(view({ current: 21, acts: votes }));
  assert.equal(closed["activity.open"], false);
  assert.equal(shortcutFor(key("o"), view({ current: 21, acts: votes })), null);
  // An ideation board closed can open again.
  const board = [{ ...activities[0], state: "closed" }];
  assert.equal(available(view({ current: 10, acts: board }))["activity.open"], true);
});
