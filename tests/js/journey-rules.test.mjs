// Unit tests of the phone's journey-map rules (static/cocon/journey-rules.js) and of the
// journey part of the client's state (static/cocon/board.js): the stage shown and its
// neighbours, the participant's ratings with the outbox applied (and rolled back when a
// command leaves it refused), the cards of one cell, and what the phone says when it
// cannot add or rate. Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { WorkshopState } from "../../static/cocon/board.js";
import {
  FEELINGS,
  cardError,
  cardRefusalText,
  cardStatusText,
  cellCards,
  cellKey,
  currentStage,
  enabledLanes,
  feelingCommand,
  feelingLabel,
  feelingRefusalText,
  feelingText,
  isJourney,
  isMyFeelings,
  journeyClosedReason,
  journeyOpen,
  laneHint,
  myFeelings,
  neighbourStage,
  ratedStages,
  signed,
  stageTitle,
} from "../../static/cocon/journey-rules.js";

const live = { state: "live" };
const lanes = [
  { key: "l1", label: "Ce que fait la personne", kind: "actions", enabled: true },
  { key: "l2", label: "Canaux", kind: "touchpoints", enabled: true },
  { key: "l3", label: "Pensées", kind: "thoughts", enabled: false },
  { key: "l4", label: "Irritants", kind: "pain_points", enabled: true },
];
const journey = {
  id: 7,
  kind: "journey",
  state: "open",
  private: false,
  revealed: false,
  max_notes: 3,
  columns: [
    { key: "c1", label: "Découverte" },
    { key: "c2", label: "Dépôt du dossier" },
    { key: "c3", label: "Réponse" },
  ],
  journey: { persona: "Une mère isolée", scenario: "Obtenir une aide", horizon: "as_is", pair_id: null, lanes },
};

test("a journey is told apart from the other kinds of activity", () => {
  assert.equal(isJourney(journey), true);
  assert.equal(isJourney({ kind: "ideation" }), false);
  assert.equal(isJourney(null), false);
});

test("only the lanes left on take cards; a renamed lane says what its kind holds", () => {
  assert.deepEqual(
    enabledLanes(journey).map((lane) => lane.key),
    ["l1", "l2", "l4"],
  );
  assert.deepEqual(enabledLanes({ ...journey, journey: null }), []);
  assert.equal(laneHint(lanes[0]), ""); // the label already says it
  assert.equal(laneHint(lanes[1]), "Points de contact et canaux");
  assert.equal(laneHint({ key: "l9", label: "Divers", kind: "other" }), "");
});

test("the stage shown stays where it was while it exists, else the first", () => {
  assert.equal(currentStage(journey, "c2"), "c2");
  assert.equal(currentStage(journey, "gone"), "c1");
  assert.equal(currentStage(journey, null), "c1");
  assert.equal(currentStage({ ...journey, columns: [] }, "c1"), null);
});

test("previous and next stop at either end; the title counts the stages", () => {
  assert.equal(neighbourStage(journey, "c1", -1), null);
  assert.equal(neighbourStage(journey, "c1", 1), "c2");
  assert.equal(neighbourStage(journey, "c3", -1), "c2");
  assert.equal(neighbourStage(journey, "c3", 1), null);
  assert.equal(neighbourStage(journey, "gone", 1), null);
  assert.equal(stageTitle(journey, "c2"), "Étape 2 sur 3 : Dépôt du dossier");
  assert.equal(stageTitle(journey, "gone"), "");
});

test("the scale runs from very hard to very good, with a true minus sign", () => {
  assert.deepEqual(
    FEELINGS.map((f) => f.value),
    [-2, -1, 0, 1, 2],
  );
  assert.equal(feelingLabel(-2), "Très difficile");
  assert.equal(feelingLabel(2), "Très bien");
  assert.equal(feelingLabel(5), "");
  assert.equal(signed(-1), "−1");
  assert.equal(signed(0), "0");
  assert.equal(signed(2), "+2");
  assert.equal(feelingText(1), "Votre ressenti : Bien (+1)");
  assert.equal(feelingText(null), "Vous n'avez pas encore dit comment se passe cette étape.");
});

test("the ratings shown are the server's, with the queued commands applied in order", () => {
  const saved = { c1: -1, c2: 2, bad: 9 };
  const pending = [
    { type: "feeling.set", activity_id: 7, stage: "c1", value: 1, request_id: "a" },
    { type: "feeling.set", activity_id: 8, stage: "c3", value: -2, request_id: "b" }, // another map
    { type: "feeling.clear", activity_id: 7, stage: "c2", request_id: "c" },
    { type: "vote.add", item_id: 3, request_id: "d" },
    { type: "feeling.set", activity_id: 7, stage: "c3", value: 0, request_id: "e" },
  ];
  const feelings = myFeelings(7, saved, pending);
  assert.deepEqual(feelings.get("c1"), { value: 1, pending: true });
  assert.deepEqual(feelings.get("c2"), { value: null, pending: true });
  assert.deepEqual(feelings.get("c3"), { value: 0, pending: true });
  assert.equal(feelings.has("bad"), false);
  assert.equal(ratedStages(journey, feelings), 2); // c1 and c3; c2 is being cleared
  // The server refused the first command: it left the outbox, the saved value shows again.
  const rolledBack = myFeelings(7, saved, pending.slice(1));
  assert.deepEqual(rolledBack.get("c1"), { value: -1, pending: false });
  assert.equal(myFeelings(7, undefined, []).size, 0);
});

test("tapping the value already chosen takes it back; another one replaces it", () => {
  assert.deepEqual(feelingCommand(7, "c2", null, -1), { type: "feeling.set", activity_id: 7, stage: "c2", value: -1 });
  assert.deepEqual(feelingCommand(7, "c2", 1, -1), { type: "feeling.set", activity_id: 7, stage: "c2", value: -1 });
  assert.deepEqual(feelingCommand(7, "c2", -1, -1), { type: "feeling.clear", activity_id: 7, stage: "c2" });
  // 0 is a rating like any other (not "nothing chosen").
  assert.deepEqual(feelingCommand(7, "c2", 0, 0), { type: "feeling.clear", activity_id: 7, stage: "c2" });
});

test("the map is open only while the workshop is live and the activity open", () => {
  assert.equal(journeyOpen(journey, live), true);
  assert.equal(journeyOpen({ ...journey, state: "closed" }, live), false);
  assert.equal(journeyOpen(journey, { state: "draft" }), false);
  assert.equal(journeyOpen({ ...journey, kind: "ideation" }, live), false);
  assert.equal(journeyClosedReason(journey, live), "");
  assert.match(journeyClosedReason({ ...journey, state: "closed" }, live), /^Le parcours est fermé/);
  assert.match(journeyClosedReason({ ...journey, state: "pending" }, live), /pas encore ouvert/);
  assert.match(journeyClosedReason(journey, { state: "draft" }), /pas encore commencé/);
  assert.match(journeyClosedReason(journey, { state: "closed" }), /clôturé/);
});

function note(id, fields) {
  return {
    id,
    activity_id: 7,
    column: "c2",
    lane: "l4",
    body: `Carte ${id}`,
    author: "",
    status: "visible",
    cluster_id: null,
    created_at: `2025-01-01T10:00:0${id}Z`,
    ...fields,
  };
}

test("a cell shows the room's cards, one's own (even private or hidden) and the queued ones", () => {
  const contributions = [
    note(3, { author: "Rose" }),
    note(1),
    note(2, { lane: "l1" }), // another lane
    note(4, { column: "c1" }), // another stage
    note(5, { activity_id: 8 }), // another map
  ];
  const own = [note(1), note(6, { status: "hidden" })];
  const pending = [
    { type: "contribution.create", activity_id: 7, column: "c2", lane: "l4", body: "En route", request_id: "r1" },
    { type: "contribution.create", activity_id: 7, column: "c2", lane: "l1", body: "Ailleurs", request_id: "r2" },
    { type: "feeling.set", activity_id: 7, stage: "c2", value: 1, request_id: "r3" },
  ];
  const cards = cellCards(journey, "c2", "l4", { contributions, own, pending });
  assert.deepEqual(
    cards.map((c) => [c.key, c.own, c.status]),
    [
      ["card-1", true, "visible"],
      ["card-3", false, "visible"],
      ["card-6", true, "hidden"],
      ["req-r1", true, "pending"],
    ],
  );
  assert.equal(cards[1].author, "Rose");
  assert.equal(cards[3].body, "En route");
  // Private and not revealed: one's own cards say so; nobody else's are on the phone.
  const privateMap = { ...journey, private: true, revealed: false };
  const mine = cellCards(privateMap, "c2", "l4", { own: [note(1)] });
  assert.equal(mine[0].status, "private");
  assert.equal(cardStatusText(mine[0]), "Votre carte · Masquée jusqu'à la révélation");
  assert.equal(cardStatusText(cards[1]), "");
  assert.equal(cardStatusText(cards[0]), "Votre carte");
  assert.equal(cardStatusText(cards[2]), "Votre carte · Masquée par l'animation");
  assert.equal(cardStatusText(cards[3]), "En attente d'envoi");
  assert.match(cardStatusText(cards[3], true), /^En attente du réseau/);
  assert.equal(cellKey(7, "c2", "l4"), "7:c2:l4");
});

test("a card is refused on the phone with a reason that keeps its text", () => {
  assert.equal(cardError(journey, live, "Trop d'attente au guichet", 0), "");
  assert.equal(cardError(journey, live, "   ", 0), "Écrivez le texte de votre carte avant de l'envoyer.");
  assert.match(cardError(journey, live, "x".repeat(501), 0), /^Votre carte fait 501 caractères : 500 au plus/);
  assert.equal(
    cardError(journey, live, "Texte", 3),
    "Vous avez envoyé 3 cartes, le maximum pour ce parcours : votre texte reste ici.",
  );
  assert.match(cardError({ ...journey, state: "closed" }, live, "Texte", 0), /n'accepte pas de cartes.*reste en brouillon/);
  assert.match(cardError(journey, { state: "closed" }, "Texte", 0), /clôturé/);
  assert.match(cardError(journey, { state: "draft" }, "Texte", 0), /pas encore commencé/);
});

test("the server's refusals are said in words that tell what happened to the text", () => {
  assert.match(cardRefusalText({ code: "activity_closed", message: "x" }), /n'accepte plus de cartes.*texte reste ici/);
  assert.equal(
    cardRefusalText({ code: "note_limit", message: "Vous avez déjà envoyé 3 contributions, le maximum pour cette activité." }),
    "Vous avez déjà envoyé 3 contributions, le maximum pour cette activité. Votre texte reste ici.",
  );
  assert.equal(
    cardRefusalText({ code: "invalid_input", message: "Cette ligne ne prend plus de cartes." }),
    "Votre carte n'a pas été envoyée : Cette ligne ne prend plus de cartes.",
  );
  assert.equal(feelingRefusalText({ code: "activity_closed", message: "x" }), "Le parcours est fermé : votre ressenti n'a pas été enregistré.");
  assert.match(feelingRefusalText({ code: "invalid_input", message: "Étape inconnue." }), /Étape inconnue\.$/);
});

test("a feelings ack is told apart from a votes ack and a curve", () => {
  assert.equal(isMyFeelings({ activity_id: 7, stages: { c1: 1 } }), true);
  assert.equal(isMyFeelings({ activity_id: 7, stages: {} }), true);
  assert.equal(isMyFeelings({ activity_id: 7, left: 2, votes: {} }), false);
  assert.equal(isMyFeelings({ activity_id: 7, raters: 3, stages: [] }), false); // a CurveOut
  assert.equal(isMyFeelings(null), false);
});

test("the state keeps the curves and the phone's ratings from the snapshot, events and acks", () => {
  const state = new WorkshopState();
  const curve = (raters) => ({ activity_id: 7, raters, stages: [], by_profile: null });
  state.loadSnapshot({
    workshop: { id: 1, state: "live", current_activity_id: 7 },
    activities: [journey],
    contributions: [],
    curves: [curve(2)],
    me: { contributions: [], reacted_ids: [], votes: [], feelings: [{ activity_id: 7, stages: { c1: -2 } }] },
  });
  assert.equal(state.curves.get(7).raters, 2);
  assert.deepEqual(state.feelings.get(7), { c1: -2 });
  state.apply({ type: "journey.curve", seq: 5, curve: curve(3) });
  state.apply({ type: "journey.curve", seq: 5, curve: curve(3) }); // twice: the same
  assert.equal(state.curves.get(7).raters, 3);
  assert.equal(state.curves.size, 1);
  state.setFeelings({ activity_id: 7, stages: { c1: -2, c2: 1 } });
  assert.deepEqual(state.feelings.get(7), { c1: -2, c2: 1 });
  // A screen's snapshot (no `me`) leaves no ratings behind it; an older server sends no curves.
  const screen = new WorkshopState();
  screen.loadSnapshot({ workshop: { id: 1, state: "live" }, activities: [], contributions: [] });
  assert.equal(screen.curves.size, 0);
  assert.equal(screen.feelings.size, 0);
});
