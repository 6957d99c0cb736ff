// Unit tests of a vote's results on the facilitator's pages (static/cocon/results.js):
// ranking and bars, the large top, the split by profile under the small-group rule,
// which vote the moderation page shows, and the shortlist.
// Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { meanText } from "../../static/cocon/geometry.js";
import {
  HIDDEN_GROUP_NOTE,
  SMALL_GROUP_NOTE,
  canShortlist,
  itemKeys,
  pointsText,
  profileRankings,
  rankEntries,
  ranking,
  resultsHidden,
  shortlistCommand,
  shortlistOptions,
  splitTop,
  voteActivityFor,
  votersText,
} from "../../static/cocon/results.js";

const item = (id, position, label = `item ${id}`) => ({ id, activity_id: 4, label, contribution_id: id + 100, cluster_id: null, position });
const items = [item(31, 1, "Un seul guichet"), item(32, 2, "Formulaire en ligne"), item(33, 3, "Rendez-vous")];
const tally = (counts, extra = {}) => ({
  activity_id: 4,
  voters: 12,
  final: false,
  items: Object.entries(counts).map(([id, count]) => ({ item_id: Number(id), count })),
  by_profile: null,
  ...extra,
});

test("the ranking puts the highest count first and breaks ties by item position", () => {
  const ranked = ranking(items, tally({ 31: 4, 32: 9, 33: 4 }));
  assert.deepEqual(
    ranked.map((e) => [e.id, e.count, e.rank, e.tied]),
    [
      [32, 9, 1, false],
      [31, 4, 2, true],
      [33, 4, 2, true],
    ],
  );
  // Same counts, items listed the other way round: still by position.
  assert.deepEqual(
    ranking(items.slice().reverse(), tally({ 31: 4, 32: 9, 33: 4 })).map((e) => e.id),
    [32, 31, 33],
  );
});

test("bars are proportional to the count, the leader's full; no votes: empty bars", () => {
  const ranked = ranking(items, tally({ 31: 5, 32: 10, 33: 0 }));
  assert.deepEqual(ranked.map((e) => e.share), [1, 0.5, 0]);
  const none = ranking(items, null);
  assert.deepEqual(none.map((e) => [e.id, e.count, e.share, e.rank]), [
    [31, 0, 0, 1],
    [32, 0, 0, 1],
    [33, 0, 0, 1],
  ]);
});

test("an item missing from the tally counts 0, and a tallied item no longer in the vote is ignored", () => {
  const ranked = ranking(items, tally({ 31: 2, 99: 50 }));
  assert.deepEqual(ranked.map((e) => [e.id, e.count]), [
    [31, 2],
    [32, 0],
    [33, 0],
  ]);
  assert.equal(ranked[0].share, 1);
});

test("competition ranks: 1, 2, 2, 4", () => {
  const entries = [5, 3, 3, 1].map((count, i) => ({ item: item(i + 1, i + 1), count }));
  assert.deepEqual(rankEntries(entries).map((e) => e.rank), [1, 2, 2, 4]);
});

test("the top ten is shown large; items tied with the tenth stay with it, within reason", () => {
  const many = (counts) => rankEntries(counts.map((count, i) => ({ item: item(i + 1, i + 1), count })));
  const plain = splitTop(many([20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9]));
  assert.equal(plain.top.length, 10);
  assert.equal(plain.rest.length, 2);
  const tiedAtTen = splitTop(many([20, 19, 18, 17, 16, 15, 14, 13, 12, 5, 5, 5, 1]));
  assert.equal(tiedAtTen.top.length, 12);
  assert.deepEqual(tiedAtTen.rest.map((e) => e.count), [1]);
  const allTied = splitTop(many(new Array(30).fill(0)));
  assert.equal(allTied.top.length, 10, "30 items at 0: only ten large");
  assert.equal(allTied.rest.length, 20);
  assert.deepEqual(splitTop(many([3, 2])), { top: many([3, 2]), rest: [] });
});

test("by profile: one ranking per profile in a fixed order, small groups not shown", () => {
  const t = tally(
    { 31: 7, 32: 5, 33: 3 },
    {
      by_profile: {
        agent: { voters: "<5", items: null },
        usager: { voters: 6, items: { 31: 2, 32: 5, 33: 1 } },
        partenaire: { voters: "hidden", items: null },
      },
    },
  );
  const profiles = profileRankings(items, t);
  assert.deepEqual(profiles.map((p) => [p.profile, p.label, p.status]), [
    ["usager", "usager·es", "shown"],
    ["agent", "agent·es", "small"],
    ["partenaire", "partenaires", "hidden"],
  ]);
  assert.equal(profiles[0].note, "6 personnes");
  assert.deepEqual(profiles[0].entries.map((e) => [e.id, e.count]), [
    [32, 5],
    [31, 2],
    [33, 1],
  ]);
  assert.equal(profiles[1].note, SMALL_GROUP_NOTE);
  assert.equal(profiles[1].note, "moins de 5 personnes : résultats non affichés");
  assert.deepEqual(profiles[1].entries, [], "no count of a small group, ever");
  assert.equal(profiles[2].note, HIDDEN_GROUP_NOTE);
  assert.equal(profiles[2].note, "effectif masqué (protection des petits groupes)");
});

test("by profile: none for a rating or a phone's redacted tally; unknown profiles last", () => {
  assert.deepEqual(profileRankings(items, tally({})), []);
  assert.deepEqual(profileRankings(items, null), []);
  const odd = profileRankings(items, tally({}, { by_profile: { zzz: { voters: 5, items: {} }, elu: { voters: 5, items: { 31: 1 } } } }));
  assert.deepEqual(odd.map((p) => [p.profile, p.label]), [
    ["elu", "élu·es"],
    ["zzz", "zzz"],
  ]);
  assert.deepEqual(odd[1].entries.map((e) => e.count), [0, 0, 0]);
});

test("texts: voters and points in French", () => {
  assert.equal(votersText(23), "23 personnes ont voté");
  assert.equal(votersText(1), "1 personne a voté");
  assert.equal(votersText(0), "Personne n'a encore voté");
  assert.equal(votersText(undefined), "Personne n'a encore voté");
  assert.equal(votersText(4, "rating"), "4 personnes ont noté");
  assert.equal(pointsText(0), "0 point");
  assert.equal(pointsText(1), "1 point");
  assert.equal(pointsText(14), "14 points");
  assert.equal(meanText(3.456, 0.8), "3,5 ± 0,8");
  assert.equal(meanText(null, null), "—");
});

test("results are hidden only for a private vote not revealed", () => {
  assert.equal(resultsHidden({ kind: "vote", private: true, revealed: false }), true);
  assert.equal(resultsHidden({ kind: "rating", private: true, revealed: false }), true);
  assert.equal(resultsHidden({ kind: "vote", private: true, revealed: true }), false);
  assert.equal(resultsHidden({ kind: "vote", private: false, revealed: false }), false);
  assert.equal(resultsHidden({ kind: "ideation", private: true, revealed: false }), false);
  assert.equal(resultsHidden(null), false);
});

test("the moderation page shows the current vote, else the chosen one, else the next one open or pending", () => {
  const agenda = [
    { id: 1, kind: "ideation", state: "closed" },
    { id: 2, kind: "vote", state: "closed" },
    { id: 3, kind: "ideation", state: "open" },
    { id: 4, kind: "vote", state: "pending" },
    { id: 5, kind: "rating", state: "pending" },
  ];
  assert.equal(voteActivityFor(agenda, 3).id, 4, "the next vote to prepare");
  assert.equal(voteActivityFor(agenda, 3, 2).id, 2, "the one chosen in the select");
  assert.equal(voteActivityFor(agenda, 5, 2).id, 5, "the current vote wins");
  assert.equal(voteActivityFor(agenda, 1).id, 4, "the closed vote 2 is skipped");
  const over = agenda.map((a) => ({ ...a, state: "closed" }));
  assert.equal(voteActivityFor(over, 3).id, 5, "all closed: the last one");
  assert.equal(voteActivityFor([{ id: 1, kind: "ideation", state: "open" }], 1), null);
  assert.equal(voteActivityFor(agenda, null).id, 4);
});

test("the shortlist may change until the first vote", () => {
  const vote = { kind: "vote", state: "pending" };
  assert.equal(canShortlist(vote, null), true);
  assert.equal(canShortlist({ ...vote, state: "open" }, null), true);
  assert.equal(canShortlist({ ...vote, state: "open" }, { voters: 0 }), true);
  assert.equal(canShortlist({ ...vote, state: "open" }, { voters: 3 }), false);
  assert.equal(canShortlist({ ...vote, state: "closed" }, null), false);
  assert.equal(canShortlist({ kind: "ideation", state: "open" }, null), false);
});

test("the shortlist offers the source board's visible notes, or its clusters, and sends them in order", () => {
  const vote = { id: 9, kind: "vote", vote: { source_id: 1, target: "notes" } };
  const notes = [
    { id: 12, activity_id: 1, body: "B", status: "visible" },
    { id: 11, activity_id: 1, body: "A", status: "visible" },
    { id: 13, activity_id: 1, body: "masquée", status: "hidden" },
    { id: 14, activity_id: 2, body: "ailleurs", status: "visible" },
  ];
  const clusters = [
    { id: 3, activity_id: 1, title: "Z", position: 2 },
    { id: 2, activity_id: 1, title: "Y", position: 1 },
    { id: 4, activity_id: 2, title: "X", position: 0 },
  ];
  const options = shortlistOptions(vote, notes, clusters);
  assert.deepEqual(options, [
    { key: "n11", id: 11, label: "A" },
    { key: "n12", id: 12, label: "B" },
  ]);
  assert.deepEqual(shortlistCommand(vote, options, new Set(["n12", "n11"])), {
    type: "vote.shortlist",
    activity_id: 9,
    contribution_ids: [11, 12],
    cluster_ids: [],
  });
  assert.equal(shortlistCommand(vote, options, new Set()), null);
  const byCluster = { ...vote, vote: { source_id: 1, target: "clusters" } };
  const clusterOptions = shortlistOptions(byCluster, notes, clusters);
  assert.deepEqual(clusterOptions.map((o) => o.key), ["c2", "c3"]);
  assert.deepEqual(shortlistCommand(byCluster, clusterOptions, new Set(["c3"])).cluster_ids, [3]);
  assert.deepEqual(shortlistOptions({ ...vote, vote: { source_id: null, target: "notes" } }, notes, clusters), []);
  assert.deepEqual(Array.from(itemKeys([{ contribution_id: 11, cluster_id: null }, { contribution_id: null, cluster_id: 3 }])), ["n11", "c3"]);
});
