// Unit tests of a journey map's layout on the big screen (static/cocon/journeylayout.js):
// cards in their cells grouped by cluster, lanes turned off, cards that have no cell,
// density, the paired map, the irritants, and the commands a move or a merge sends.
// Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  alignStages,
  cellKey,
  frameText,
  horizonLabel,
  irritantsVote,
  irritantsVoteUrl,
  mapDensity,
  mapLayout,
  mergePlan,
  painPoints,
  pairedJourney,
  placeCommand,
  shownLanes,
} from "../../static/cocon/journeylayout.js";

const lane = (key, kind, label = "", enabled = true) => ({ key, kind, label, enabled });
const journey = (id, extra = {}) => ({
  id,
  kind: "journey",
  position: id,
  title: `Parcours ${id}`,
  columns: [
    { key: "c1", label: "Découvrir" },
    { key: "c2", label: "Faire la démarche" },
  ],
  journey: {
    persona: "Une mère isolée",
    scenario: "Obtenir une place en crèche",
    horizon: "as_is",
    pair_id: null,
    lanes: [lane("l1", "actions", "Ce qu'elle fait"), lane("l2", "pain_points", "Irritants"), lane("l3", "opportunities", "", false)],
  },
  ...extra,
});
const card = (id, column, laneKey, extra = {}) => ({
  id,
  activity_id: 1,
  body: `carte ${id}`,
  column,
  lane: laneKey,
  cluster_id: null,
  status: "visible",
  ...extra,
});

test("only enabled lanes show, with a default label by kind; the pain points are marked", () => {
  assert.deepEqual(
    shownLanes(journey(1)).map((l) => [l.key, l.label, l.painPoints]),
    [["l1", "Ce qu'elle fait", false], ["l2", "Irritants", true]],
  );
  const unnamed = journey(1, { journey: { ...journey(1).journey, lanes: [lane("l9", "touchpoints")] } });
  assert.equal(shownLanes(unnamed)[0].label, "Points de contact et canaux");
  assert.deepEqual(shownLanes({ kind: "ideation", columns: [] }), []);
});

test("cards go to their cell, oldest first, grouped by cluster; the rest is counted", () => {
  const clusters = [{ id: 7, activity_id: 1, title: "Attente", position: 1 }];
  const notes = [
    card(5, "c2", "l2"),
    card(3, "c2", "l2", { cluster_id: 7 }),
    card(4, "c2", "l2"),
    card(1, "c1", "l1"),
    card(6, "c1", "l3"), // a lane turned off: kept, not shown
    card(8, "c9", "l1"), // a stage that was removed
  ];
  const layout = mapLayout(journey(1), notes, clusters);
  assert.deepEqual(layout.stages.map((s) => [s.key, s.count]), [["c1", 1], ["c2", 3]]);
  assert.deepEqual(layout.lanes.map((l) => [l.key, l.count]), [["l1", 1], ["l2", 3]]);
  assert.equal(layout.cells.size, 4, "every stage × shown lane, empty ones included");
  const pains = layout.cells.get(cellKey("c2", "l2"));
  assert.deepEqual(
    pains.groups.map((g) => [g.cluster ? g.cluster.id : null, g.notes.map((n) => n.id)]),
    [[7, [3]], [null, [4, 5]]],
  );
  assert.equal(layout.cells.get(cellKey("c1", "l2")).count, 0);
  assert.equal(layout.shown, 4);
  assert.equal(layout.offMap, 2);
  assert.equal(layout.maxPerCell, 3);
});

test("the map gets denser as its fullest cell fills, and with many stages or lanes", () => {
  assert.equal(mapDensity(0).level, 1);
  assert.equal(mapDensity(2).level, 1);
  assert.equal(mapDensity(3).level, 2);
  assert.equal(mapDensity(9).level, 4);
  assert.equal(mapDensity(40).level, 5);
  assert.equal(mapDensity(2, 8).level, 2, "eight stages: narrower cells");
  assert.equal(mapDensity(2, 5, 5).level, 2, "five lanes: shorter rows");
  assert.equal(mapDensity(2, 8, 5).level, 3, "both");
  assert.equal(mapDensity(40, 10, 6).level, 5, "never past the densest");
});

test("a map's pair: the one it names, else the one naming it; stages matched by label", () => {
  const asIs = journey(1);
  const toBe = journey(2, { journey: { ...journey(2).journey, horizon: "to_be", pair_id: 1 } });
  const other = journey(3);
  const board = { id: 4, kind: "ideation", columns: [] };
  assert.equal(pairedJourney(toBe, [asIs, toBe, other, board]), asIs);
  assert.equal(pairedJourney(asIs, [asIs, toBe, other, board]), toBe);
  assert.equal(pairedJourney(other, [asIs, toBe, other]), null);
  assert.equal(pairedJourney(board, [asIs, toBe]), null);
  assert.equal(horizonLabel(toBe), "Parcours souhaité");
  assert.equal(horizonLabel(asIs), "Parcours actuel");

  const mine = [{ key: "c1", label: "Découvrir" }, { key: "c2", label: "Attendre" }, { key: "c3", label: "Recevoir" }];
  const theirs = [{ key: "c1", label: "recevoir " }, { key: "c4", label: "Découvrir" }];
  assert.deepEqual(Object.fromEntries(alignStages(mine, theirs)), { c1: "c4", c3: "c1" });
  const renamed = [{ key: "c7", label: "Autre chose" }, { key: "c8", label: "Encore" }, { key: "c9", label: "Fin" }];
  assert.deepEqual(Object.fromEntries(alignStages(mine, renamed)), { c1: "c7", c2: "c8", c3: "c9" }, "no label matches: by position");
  assert.equal(alignStages(mine, renamed.slice(0, 2)).size, 0, "nor the same count: nothing paired");
});

test("the irritants: visible cards of the pain-point lanes; the vote already sourced from the map", () => {
  const notes = [card(1, "c1", "l2"), card(2, "c1", "l2", { status: "hidden" }), card(3, "c1", "l1"), card(4, "c9", "l2")];
  assert.deepEqual(painPoints(journey(1), notes).map((n) => n.id), [1]);
  const off = journey(1, { journey: { ...journey(1).journey, lanes: [lane("l2", "pain_points", "Irritants", false)] } });
  assert.deepEqual(painPoints(off, notes), [], "a lane turned off gives no item");
  const votes = [
    { id: 5, kind: "vote", position: 2, vote: { source_id: 1 } },
    { id: 6, kind: "vote", position: 3, vote: { source_id: 99 } },
    { id: 7, kind: "vote", position: 4, vote: { source_id: 1 } },
  ];
  assert.equal(irritantsVote(journey(1), votes).id, 7, "the latest");
  assert.equal(irritantsVote(journey(2), votes), null);
  assert.equal(irritantsVoteUrl(12, 34), "/ateliers/12/activites/34/voter-irritants/");
});

test("moving a card sends contribution.place, only when its cell changes", () => {
  const note = card(4, "c1", "l1");
  assert.deepEqual(placeCommand(note, "c2", "l2"), { type: "contribution.place", contribution_id: 4, column: "c2", lane: "l2" });
  assert.equal(placeCommand(note, "c1", "l1"), null);
  assert.equal(placeCommand(note, "", "l1"), null);
});

test("dropping a card on another: it joins the other's cell and cluster, or a new cluster of both", () => {
  const target = card(9, "c2", "l2", { cluster_id: 7 });
  const dragged = card(4, "c1", "l1");
  assert.deepEqual(mergePlan(dragged, target), {
    commands: [
      { type: "contribution.place", contribution_id: 4, column: "c2", lane: "l2" },
      { type: "contribution.move", contribution_id: 4, cluster_id: 7 },
    ],
    needsTitle: false,
    clusterCreate: null,
  });
  const loose = card(10, "c1", "l1");
  const plan = mergePlan(dragged, loose);
  assert.deepEqual(plan.commands, [], "same cell: nothing to place");
  assert.equal(plan.needsTitle, true);
  assert.deepEqual(plan.clusterCreate("Même attente"), {
    type: "cluster.create",
    activity_id: 1,
    title: "Même attente",
    contribution_ids: [10, 4],
  });
  assert.deepEqual(mergePlan(dragged, dragged).commands, []);
  assert.deepEqual(mergePlan(card(4, "c2", "l2", { cluster_id: 7 }), target).commands, [], "already with it");
});

test("the header says who travels toward what goal", () => {
  assert.equal(frameText(journey(1)), "Qui : Une mère isolée · Objectif : Obtenir une place en crèche");
  assert.equal(frameText(journey(1, { journey: { ...journey(1).journey, persona: "", scenario: "" } })), "");
  assert.equal(frameText({ kind: "ideation" }), "");
});
