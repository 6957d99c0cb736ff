// Unit tests of the big screen's layout rules (static/cocon/layout.js): density by note
// count, hidden notes kept off the wall, columns, clusters, private counts.
// Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DENSITY_LEVELS,
  OTHER_COLUMN,
  columnCounts,
  densityFor,
  groupByCluster,
  isPrivateHidden,
  plural,
  shownAuthor,
  wallLayout,
  wallNotes,
} from "../../static/cocon/layout.js";

const note = (id, extra = {}) => ({ id, body: `note ${id}`, author: null, column: "", cluster_id: null, status: "visible", ...extra });
const ids = (notes) => notes.map((n) => n.id);

test("density levels step down as notes pile up", () => {
  assert.equal(densityFor(0).level, 1);
  assert.equal(densityFor(12).level, 1);
  assert.equal(densityFor(13).level, 2);
  assert.equal(densityFor(30).level, 2);
  assert.equal(densityFor(31).level, 3);
  assert.equal(densityFor(60).level, 3);
  assert.equal(densityFor(61).level, 4);
  assert.equal(densityFor(120).level, 4);
  assert.equal(densityFor(121).level, 5);
  assert.equal(densityFor(300).level, 5);
  assert.equal(densityFor(5000).level, 5);
  assert.equal(densityFor(-3).level, 1);
  assert.equal(densityFor(undefined).level, 1);
});

test("each level is smaller than the one before, and only the last sums clusters up", () => {
  for (let i = 1; i < DENSITY_LEVELS.length; i++) {
    const [before, level] = [DENSITY_LEVELS[i - 1], DENSITY_LEVELS[i]];
    assert.ok(level.fontSize < before.fontSize);
    assert.ok(level.noteWidth < before.noteWidth);
    assert.ok(level.upTo > before.upTo);
  }
  assert.deepEqual(
    DENSITY_LEVELS.map((d) => d.summarize),
    [false, false, false, false, true],
  );
  // Readable from the back of the room while it still fits: at least 1.5rem up to 30.
  assert.ok(densityFor(30).fontSize >= 1.5);
  // Never below 0.85rem, even at 300 notes.
  assert.ok(densityFor(300).fontSize >= 0.85);
});

test("the wall never shows hidden notes, and keeps them oldest first", () => {
  const notes = [note(3), note(1, { status: "hidden" }), note(2)];
  assert.deepEqual(ids(wallNotes(notes)), [2, 3]);
});

test("authors show only when the facilitator shows them and the note is signed", () => {
  assert.equal(shownAuthor({ show_authors: true }, note(1, { author: "Loutre" })), "Loutre");
  assert.equal(shownAuthor({ show_authors: false }, note(1, { author: "Loutre" })), null);
  assert.equal(shownAuthor({ show_authors: true }, note(1)), null);
  assert.equal(shownAuthor(null, note(1, { author: "Loutre" })), null);
});

test("a private activity is hidden until revealed", () => {
  assert.equal(isPrivateHidden({ private: true, revealed: false }), true);
  assert.equal(isPrivateHidden({ private: true, revealed: true }), false);
  assert.equal(isPrivateHidden({ private: false, revealed: false }), false);
  assert.equal(isPrivateHidden(null), false);
});

test("notes are grouped by cluster in the clusters' order, unclustered last", () => {
  const clusters = [{ id: 7, title: "Accueil" }, { id: 5, title: "Délais" }, { id: 9, title: "Vide" }];
  const notes = [note(1, { cluster_id: 5 }), note(2), note(3, { cluster_id: 7 }), note(4, { cluster_id: 99 })];
  const groups = groupByCluster(notes, clusters);
  assert.deepEqual(
    groups.map((g) => [g.cluster && g.cluster.id, ids(g.notes)]),
    [
      [7, [3]],
      [5, [1]],
      [null, [2, 4]],
    ],
  );
  const all = groupByCluster(notes, clusters, { keepEmpty: true });
  assert.deepEqual(
    all.map((g) => g.cluster && g.cluster.id),
    [7, 5, 9, null],
  );
});

test("with columns, each note goes to its column; unknown columns go to Autres", () => {
  const activity = { columns: [{ key: "c1", label: "Irritants" }, { key: "c2", label: "Idées" }] };
  const clusters = [{ id: 7, title: "Accueil" }, { id: 8, title: "Vide" }];
  const notes = [note(1, { column: "c2" }), note(2, { column: "c1", cluster_id: 7 }), note(3, { column: "c9" })];
  const layout = wallLayout(activity, notes, clusters);
  assert.equal(layout.single, false);
  assert.deepEqual(
    layout.columns.map((c) => [c.key, c.label, c.count]),
    [
      ["c1", "Irritants", 1],
      ["c2", "Idées", 1],
      [OTHER_COLUMN, "Autres", 1],
    ],
  );
  assert.deepEqual(
    layout.columns[0].groups.map((g) => [g.cluster && g.cluster.id, ids(g.notes)]),
    [
      [7, [2]],
      [null, []],
    ],
  );
  assert.deepEqual(ids(layout.emptyClusters), [8]);
});

test("without columns, one board where empty clusters still show", () => {
  const layout = wallLayout({ columns: [] }, [note(1)], [{ id: 8, title: "Vide" }]);
  assert.equal(layout.single, true);
  assert.equal(layout.columns.length, 1);
  assert.deepEqual(
    layout.columns[0].groups.map((g) => g.cluster && g.cluster.id),
    [8, null],
  );
});

test("a private activity's counts by column", () => {
  const activity = { columns: [{ key: "c1", label: "A" }, { key: "c2", label: "B" }] };
  assert.deepEqual(
    columnCounts(activity, [note(1, { column: "c1" }), note(2, { column: "c1" })]).map((c) => [c.label, c.count]),
    [
      ["A", 2],
      ["B", 0],
    ],
  );
});

test("French plurals: 0 and 1 are singular", () => {
  assert.equal(plural(0, "contribution reçue", "contributions reçues"), "0 contribution reçue");
  assert.equal(plural(1, "contribution", "contributions"), "1 contribution");
  assert.equal(plural(2, "contribution", "contributions"), "2 contributions");
});
