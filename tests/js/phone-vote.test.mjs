// Unit tests of the phone's voting rules (static/cocon/phone-vote-rules.js): points left
// with the outbox counted, what "+" and "−" may do and why not, the results' order, the
// rules said before voting, and what makes a rating complete. Run by `make test` as
// `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  addBlockedText,
  canAdd,
  canRemove,
  dotVotes,
  errorPlace,
  formatMean,
  isVoting,
  leftText,
  myRatings,
  pointsText,
  ranking,
  ratedCount,
  ratedText,
  ratingError,
  ratingResultText,
  ratingResults,
  validRating,
  voteRules,
  votersText,
  votingClosedReason,
  votingOpen,
} from "../../static/cocon/phone-vote-rules.js";

const live = { state: "live" };
const settings = { votes_per_person: 5, max_per_item: 2, anonymous: true, axis_x: "Impact", axis_y: "Faisabilité" };
const vote = { id: 4, kind: "vote", state: "open", private: true, revealed: false, vote: settings };
const rating = { ...vote, id: 5, kind: "rating" };
const items = [
  { id: 31, activity_id: 4, label: "Un seul guichet", position: 1 },
  { id: 32, activity_id: 4, label: "Des horaires élargis", position: 2 },
  { id: 33, activity_id: 4, label: "Moins de formulaires", position: 3 },
];
// What the server sends (MyVotesOut as JSON: object keys are strings).
const mine = (votes, left, ratings = {}) => ({ activity_id: 4, votes, left, ratings });
const add = (item_id) => ({ type: "vote.add", item_id, request_id: `r${item_id}` });
const remove = (item_id) => ({ type: "vote.remove", item_id, request_id: `r${item_id}` });

test("only votes and ratings are voting activities", () => {
  assert.equal(isVoting(vote), true);
  assert.equal(isVoting(rating), true);
  assert.equal(isVoting({ kind: "ideation" }), false);
  assert.equal(isVoting(null), false);
});

test("before any vote, the whole budget is left", () => {
  const view = dotVotes(vote, items, undefined);
  assert.equal(view.left, 5);
  assert.equal(view.budget, 5);
  assert.equal(view.maxPerItem, 2);
  assert.equal(view.votes.size, 0);
  assert.equal(leftText(view), "Il vous reste 5 points sur 5");
});

test("the server's answer gives the points per item (string keys) and what is left", () => {
  const view = dotVotes(vote, items, mine({ 31: 2, 33: 1 }, 2));
  assert.equal(view.votes.get(31), 2);
  assert.equal(view.votes.get(33), 1);
  assert.equal(view.left, 2);
  assert.equal(leftText(view), "Il vous reste 2 points sur 5");
  assert.equal(view.pendingItems.size, 0);
});

test("commands still in the outbox count at once, and mark their item as waiting", () => {
  const view = dotVotes(vote, items, mine({ 31: 1 }, 4), [add(32), add(31), remove(31)]);
  assert.equal(view.votes.get(31), 1);
  assert.equal(view.votes.get(32), 1);
  assert.equal(view.left, 3);
  assert.deepEqual([...view.pendingItems].sort(), [31, 32]);
});

test("outbox commands the server would refuse count for nothing", () => {
  // Past the per-item max, past the budget, a point that is not there.
  const view = dotVotes(vote, items, mine({ 31: 2, 32: 2 }, 1), [add(31), add(33), add(33), remove(32), remove(32), remove(32)]);
  assert.equal(view.votes.get(31), 2);
  assert.equal(view.votes.get(33), 1);
  assert.equal(view.votes.get(32), 0);
  assert.equal(view.left, 2);
});

test("commands about another vote's items are ignored", () => {
  const view = dotVotes(vote, items, undefined, [add(99), { type: "contribution.create", body: "x" }]);
  assert.equal(view.left, 5);
  assert.equal(view.pendingItems.size, 0);
});

test("'+' is allowed until the per-item max or the budget, and says why not", () => {
  const view = dotVotes(vote, items, mine({ 31: 2, 32: 2 }, 1));
  assert.deepEqual(canAdd(view, 33, true), { allowed: true, reason: "" });
  assert.deepEqual(canAdd(view, 31, true), { allowed: false, reason: "item_max" });
  const spent = dotVotes(vote, items, mine({ 31: 2, 32: 2, 33: 1 }, 0));
  assert.deepEqual(canAdd(spent, 33, true), { allowed: false, reason: "budget" });
  // An item at its max says so even when the budget is spent too.
  assert.deepEqual(canAdd(spent, 31, true), { allowed: false, reason: "item_max" });
  assert.deepEqual(canAdd(view, 33, false), { allowed: false, reason: "closed" });
  assert.equal(addBlockedText("item_max", 2), "Maximum atteint : 2 points au plus sur un même élément.");
  assert.equal(addBlockedText("budget", 2), "Vous avez utilisé tous vos points. Retirez-en un pour voter ailleurs.");
  assert.equal(addBlockedText("", 2), "");
});

test("'−' needs a point on the item and an open vote", () => {
  const view = dotVotes(vote, items, mine({ 31: 1 }, 4));
  assert.deepEqual(canRemove(view, 31, true), { allowed: true, reason: "" });
  assert.deepEqual(canRemove(view, 32, true), { allowed: false, reason: "none" });
  assert.deepEqual(canRemove(view, 31, false), { allowed: false, reason: "closed" });
});

test("a vote is open only in a live workshop, and says why not", () => {
  assert.equal(votingOpen(vote, live), true);
  assert.equal(votingOpen({ ...vote, state: "closed" }, live), false);
  assert.equal(votingOpen(vote, { state: "closed" }), false);
  assert.equal(votingClosedReason(vote, live), "");
  assert.equal(votingClosedReason({ ...vote, state: "closed" }, live), "Le vote est clos.");
  assert.equal(votingClosedReason({ ...rating, state: "closed" }, live), "La notation est close.");
  assert.equal(votingClosedReason({ ...vote, state: "pending" }, live), "Le vote n'est pas encore ouvert.");
  assert.match(votingClosedReason(vote, { state: "closed" }), /clôturé/);
  assert.match(votingClosedReason(vote, { state: "draft" }), /pas encore commencé/);
});

test("French plurals: 0 and 1 point, 2 points", () => {
  assert.equal(pointsText(0), "0 point");
  assert.equal(pointsText(1), "1 point");
  assert.equal(pointsText(2), "2 points");
  assert.equal(leftText({ left: 0, budget: 5 }), "Il vous reste 0 point sur 5");
});

test("before voting: anonymity, the budget and the per-item max, hidden results", () => {
  const rules = voteRules(vote);
  assert.equal(rules[0], "Vos votes sont anonymes : personne ne verra qui a voté quoi.");
  assert.match(rules[1], /^Vous avez 5 points à répartir, 2 points au plus sur un même élément\./);
  assert.match(rules[2], /masqués jusqu'à ce que l'animation les révèle/);
  const named = voteRules({ ...vote, private: false, vote: { ...settings, anonymous: false } });
  assert.equal(named[0], "Les animateurs pourront voir qui a voté quoi.");
  assert.equal(named.length, 2);
  const rated = voteRules({ ...rating, vote: { ...settings, anonymous: false } });
  assert.equal(rated[0], "Les animateurs pourront voir qui a noté quoi.");
  assert.match(rated[1], /« Impact » et « Faisabilité » \(1 = faible, 5 = fort\)/);
});

test("how many voted", () => {
  assert.equal(votersText(0), "Personne n'a encore voté.");
  assert.equal(votersText(1), "1 personne a voté.");
  assert.equal(votersText(23), "23 personnes ont voté.");
  assert.equal(votersText(2, "rating"), "2 personnes ont noté.");
});

test("the ranking: highest count first, ties in the order of the items", () => {
  const tally = {
    activity_id: 4,
    voters: 3,
    items: [
      { item_id: 33, count: 2 },
      { item_id: 31, count: 2 },
      { item_id: 32, count: 5 },
      { item_id: 99, count: 9 }, // not an item this phone knows
    ],
  };
  const rows = ranking(items, tally);
  assert.deepEqual(
    rows.map((row) => [row.item.label, row.count]),
    [
      ["Des horaires élargis", 5],
      ["Un seul guichet", 2],
      ["Moins de formulaires", 2],
    ],
  );
});

test("no ranking while the results are hidden (or before any tally)", () => {
  assert.equal(ranking(items, { activity_id: 4, voters: 3, items: null }), null);
  assert.equal(ranking(items, undefined), null);
});

test("a rating needs a whole number from 1 to 5 on both axes", () => {
  assert.equal(validRating(1, 5), true);
  assert.equal(validRating(0, 3), false);
  assert.equal(validRating(3, null), false);
  assert.equal(validRating(2.5, 3), false);
  assert.equal(ratingError(4, 2, settings), "");
  assert.equal(ratingError(4, null, settings), "Choisissez une note de 1 à 5 pour « Faisabilité » avant de valider.");
  assert.equal(
    ratingError(null, undefined, settings),
    "Choisissez une note de 1 à 5 pour « Impact » et pour « Faisabilité » avant de valider.",
  );
});

test("my ratings: the server's, then the outbox's (last one wins)", () => {
  const server = { activity_id: 5, votes: {}, left: 5, ratings: { 31: [4, 2], 32: [1, 1] } };
  const pending = [
    { type: "rating.set", item_id: 33, x: 5, y: 5 },
    { type: "rating.clear", item_id: 32 },
    { type: "rating.set", item_id: 31, x: 3, y: 3 },
    { type: "rating.set", item_id: 31, x: 2, y: 4 },
  ];
  const ratings = myRatings(items, server, pending);
  assert.deepEqual(ratings.get(31), { x: 2, y: 4, pending: true });
  assert.deepEqual(ratings.get(32), { x: null, y: null, pending: true });
  assert.deepEqual(ratings.get(33), { x: 5, y: 5, pending: true });
  assert.equal(ratedCount(ratings), 2);
  assert.deepEqual(myRatings(items, server).get(31), { x: 4, y: 2, pending: false });
  assert.equal(ratedText(1, 3), "Vous avez noté 1 élément sur 3");
  assert.equal(ratedText(0, 3), "Vous avez noté 0 élément sur 3");
  assert.equal(ratedText(2, 3), "Vous avez noté 2 éléments sur 3");
});

test("a rating's results: means in French, one decimal, with how many rated", () => {
  assert.equal(formatMean(3.25), "3,3");
  assert.equal(formatMean(4), "4,0");
  assert.equal(formatMean(null), "");
  const tally = {
    activity_id: 5,
    voters: 2,
    items: [
      { item_id: 31, n: 2, x_mean: 3.5, y_mean: 2, x_sd: 0.5, y_sd: 0 },
      { item_id: 32, n: 0, x_mean: null, y_mean: null },
    ],
  };
  const rows = ratingResults(items, tally);
  assert.deepEqual(
    rows.map((row) => ratingResultText(row, settings)),
    ["Impact : 3,5 · Faisabilité : 2,0 · 2 personnes", "Pas encore de note.", "Pas encore de note."],
  );
  assert.equal(ratingResults(items, { activity_id: 5, voters: 2, items: null }), null);
});

test("a refusal about the whole vote goes to the top, one about an item next to it", () => {
  assert.equal(errorPlace("activity_closed"), "top");
  assert.equal(errorPlace("workshop_closed"), "top");
  assert.equal(errorPlace("vote_budget"), "item");
  assert.equal(errorPlace("item_limit"), "item");
  assert.equal(errorPlace("not_found"), "item");
});
