// Front-end review (since 19523b6): failing tests for defects found in pure logic.
// Each test states the expected behaviour; see the review report for severity and the
// DOM-level findings that cannot be tested here. Run with `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { WorkshopState } from "../../static/cocon/board.js";
import { shortcutFor, viewOf } from "../../static/cocon/commands.js";
import { wallNotes, isPrivateHidden } from "../../static/cocon/layout.js";

function screenState({ currentId }) {
  const state = new WorkshopState();
  state.loadSnapshot({
    seq: 10,
    workshop: { id: 1, state: "live", current_activity_id: currentId, timer: null, show_authors: false, spotlight_id: null },
    activities: [
      { id: 1, position: 1, kind: "ideation", title: "Privé", state: "closed", columns: [], private: true, revealed: false },
    ],
    contributions: [
      { id: 7, activity_id: 1, body: "secret", author: null, column: "", cluster_id: null, status: "visible" },
    ],
    clusters: [],
    me: null,
  });
  return state;
}

// board.js:107 falls back to *every* note when the current activity is unknown; screen.js:76-78
// then draws them, and isPrivateHidden(null) is false, so a private activity's bodies reach
// the big screen. Latent (the server refuses to remove the current activity), but the
// fallback is the only thing between the wall and private notes.
test("board() without a known current activity does not return other activities' notes", () => {
  for (const currentId of [null, 99]) {
    const state = screenState({ currentId });
    const activity = state.currentActivity();
    const shown = isPrivateHidden(activity) ? [] : wallNotes(state.board());
    assert.deepEqual(
      shown.map((n) => n.body),
      [],
      `current_activity_id=${currentId}: the wall would show a private, unrevealed note`,
    );
  }
});

// commands.js:110 maps a bare "r" to activity.reveal and controls.js:48-52 asks nothing
// before it, while closing a vote or the workshop asks first. Revealing a
// private board or a vote's results cannot be undone: one stray key press on the big screen
// (focus on any button, e.g. after a spotlight stole focus) shows every private note to the
// room. Expected: the shortcut is not a one-key, unconfirmed reveal.
test("the 'r' shortcut does not reveal a private activity without confirmation", async () => {
  const state = new WorkshopState();
  state.loadSnapshot({
    seq: 3,
    workshop: { id: 1, state: "live", current_activity_id: 1, timer: null, show_authors: false, spotlight_id: null },
    activities: [{ id: 1, position: 1, kind: "ideation", title: "Privé", state: "open", columns: [], private: true, revealed: false }],
    contributions: [],
    me: null,
  });
  const action = shortcutFor({ key: "r", kind: "control" }, viewOf(state));
  if (!action || !action.command) return; // no one-key reveal: fine
  const { confirmed } = await import("../../static/cocon/controls.js");
  let asked = false;
  globalThis.window = { confirm: () => ((asked = true), false) };
  try {
    const goesOut = confirmed(action.command, state);
    assert.ok(asked && !goesOut, "activity.reveal is sent on a single key press without asking");
  } finally {
    delete globalThis.window;
  }
});
