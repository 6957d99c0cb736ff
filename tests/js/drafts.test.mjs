// Unit tests of the phone's drafts (static/cocon/drafts.js): a draft is bound to the
// activity it was typed for, survives a reload and a change of activity, and offers only
// what the workshop allows. Run by `make test` as `node --test tests/js/`.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  UNBOUND,
  adoptUnbound,
  bodyError,
  columnError,
  contributionCounts,
  discardDraft,
  draftActions,
  draftNotice,
  draftStorageKey,
  draftTitle,
  emptyStore,
  getDraft,
  identityNotice,
  joinBodies,
  loadDrafts,
  parkedDrafts,
  privacyNotice,
  rebindDraft,
  saveDrafts,
  sendBlockedReason,
  updateDraft,
} from "../../static/cocon/drafts.js";

const live = { state: "live" };
const A = { id: 1, title: "Irritants", state: "open", max_notes: 3, columns: [{ key: "c1", label: "Accueil" }] };
const B = { id: 2, title: "Solutions", state: "open", max_notes: 10, columns: [] };
const activities = (...list) => new Map(list.map((a) => [a.id, a]));

function memoryStorage() {
  const data = new Map();
  return {
    data,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

test("the storage key is per workshop", () => {
  assert.equal(draftStorageKey(42), "cocon.phone.draft.42");
});

test("a draft is bound to its activity and its column, and survives a reload", () => {
  let store = updateDraft(emptyStore(), A, { body: "Trop d'attente" }, 10);
  store = updateDraft(store, A, { column: "c1" }, 11);
  store = { ...store, current: A.id };
  const storage = memoryStorage();
  saveDrafts(storage, "k", store);
  const loaded = loadDrafts(storage, "k");
  assert.equal(loaded.current, A.id);
  assert.deepEqual(getDraft(loaded, A.id), {
    activityId: 1,
    activityTitle: "Irritants",
    body: "Trop d'attente",
    column: "c1",
    updatedAt: 11,
  });
  assert.equal(getDraft(loaded, B.id).body, "");
});

test("corrupted or foreign storage gives an empty store, never an exception", () => {
  const storage = memoryStorage();
  for (const text of ["{", "null", "[]", '{"drafts": 3}', '{"drafts": {"1": {"body": 5}}}']) {
    storage.setItem("k", text);
    const store = loadDrafts(storage, "k");
    assert.deepEqual(store.drafts, {}, text);
  }
  const full = { ...memoryStorage(), setItem: () => { throw new Error("QuotaExceededError"); } };
  assert.equal(saveDrafts(full, "k", updateDraft(emptyStore(), A, { body: "x" })), false);
});

test("an emptied draft is dropped, and an empty store leaves nothing in storage", () => {
  let store = updateDraft(emptyStore(), B, { body: "x" });
  store = updateDraft(store, B, { body: "" });
  assert.deepEqual(store.drafts, {});
  const storage = memoryStorage();
  storage.setItem("k", "old");
  saveDrafts(storage, "k", store);
  assert.equal(storage.getItem("k"), null);
});

test("changing activity parks the draft of the one left, the current one is not parked", () => {
  let store = updateDraft(emptyStore(), A, { body: "Pour A" }, 1);
  store = updateDraft(store, B, { body: "Pour B" }, 2);
  store = updateDraft(store, { id: 3, title: "Vide" }, { body: "   " }, 3);
  assert.deepEqual(parkedDrafts(store, B.id).map((d) => d.body), ["Pour A"]);
  assert.deepEqual(parkedDrafts(store, null).map((d) => d.body), ["Pour A", "Pour B"]);
});

test("a draft for an activity still open can be sent there or used for the current one", () => {
  const draft = getDraft(updateDraft(emptyStore(), A, { body: "Idée" }), A.id);
  const decision = draftActions(draft, activities(A, B), B.id, { workshop: live });
  assert.equal(decision.status, "open");
  assert.deepEqual(decision.actions, ["send", "rebind", "discard"]);
  assert.equal(decision.target, A);
  assert.equal(decision.current, B);
});

test("a draft for a closed activity is kept: it can only be moved or erased", () => {
  const closed = { ...A, state: "closed" };
  const draft = getDraft(updateDraft(emptyStore(), closed, { body: "Idée" }), A.id);
  const decision = draftActions(draft, activities(closed, B), B.id, { workshop: live });
  assert.equal(decision.status, "closed");
  assert.deepEqual(decision.actions, ["rebind", "discard"]);
  assert.match(draftNotice(draft, decision.status), /« Irritants » est fermée : votre texte est conservé/);
});

test("nothing can be sent when the current activity is closed too: the text is just kept", () => {
  const closedA = { ...A, state: "closed" };
  const closedB = { ...B, state: "closed" };
  const draft = getDraft(updateDraft(emptyStore(), A, { body: "Idée" }), A.id);
  assert.deepEqual(draftActions(draft, activities(closedA, closedB), B.id, { workshop: live }).actions, ["discard"]);
  // A still open, B closed: send to A, no use for B.
  assert.deepEqual(draftActions(draft, activities(A, closedB), B.id, { workshop: live }).actions, ["send", "discard"]);
});

test("a vote takes no notes: a draft is kept for it, not moved into it", () => {
  const vote = { id: 5, title: "Vote", kind: "vote", state: "open", max_notes: 10, columns: [] };
  const draft = getDraft(updateDraft(emptyStore(), A, { body: "Idée" }), A.id);
  const decision = draftActions(draft, activities(A, vote), vote.id, { workshop: live });
  assert.deepEqual(decision.actions, ["send", "discard"]);
  assert.match(sendBlockedReason(live, vote, 0), /ne reçoit pas de contributions écrites/);
  const early = updateDraft(emptyStore(), null, { body: "Tôt" });
  assert.equal(adoptUnbound(early, vote, live), early);
  // Text typed for the vote itself (before the page knew it was one) is shown apart too.
  const forVote = getDraft(updateDraft(emptyStore(), vote, { body: "Oups" }), vote.id);
  const own = draftActions(forVote, activities(A, vote), vote.id, { workshop: live });
  assert.equal(own.status, "no-notes");
  assert.deepEqual(own.actions, ["discard"]);
  assert.match(draftNotice(forVote, own.status), /« Vote » ne reçoit pas de contributions écrites/);
  const both = updateDraft(updateDraft(emptyStore(), vote, { body: "Oups" }, 2), A, { body: "Idée" }, 1);
  assert.deepEqual(parkedDrafts(both, vote.id).map((d) => d.body), ["Idée"]);
  assert.deepEqual(parkedDrafts(both, vote.id, { includeCurrent: true }).map((d) => d.body), ["Idée", "Oups"]);
});

test("a draft for an activity whose limit is reached cannot be sent there", () => {
  const draft = getDraft(updateDraft(emptyStore(), A, { body: "Idée" }), A.id);
  const counts = new Map([[A.id, 3]]);
  const decision = draftActions(draft, activities(A, B), B.id, { workshop: live, counts });
  assert.equal(decision.status, "limit");
  assert.deepEqual(decision.actions, ["rebind", "discard"]);
});

test("a closed workshop, a removed activity, an unbound draft", () => {
  const draft = getDraft(updateDraft(emptyStore(), A, { body: "Idée" }), A.id);
  const closedWorkshop = draftActions(draft, activities(A, B), B.id, { workshop: { state: "closed" } });
  assert.equal(closedWorkshop.status, "workshop-closed");
  assert.deepEqual(closedWorkshop.actions, ["discard"]);

  const removed = draftActions(draft, activities(B), B.id, { workshop: live });
  assert.equal(removed.status, "removed");
  assert.deepEqual(removed.actions, ["rebind", "discard"]);
  assert.match(draftNotice(draft, "removed"), /« Irritants » a été retirée/);

  const unbound = getDraft(updateDraft(emptyStore(), null, { body: "Avant" }), null);
  assert.equal(draftTitle(unbound), "Brouillon");
  const decision = draftActions(unbound, [A, B], B.id, { workshop: live });
  assert.equal(decision.status, "unbound");
  assert.deepEqual(decision.actions, ["rebind", "discard"]);
});

test("the draft of the current activity offers neither sending elsewhere nor moving", () => {
  const draft = getDraft(updateDraft(emptyStore(), A, { body: "Idée" }), A.id);
  assert.deepEqual(draftActions(draft, activities(A), A.id, { workshop: live }).actions, ["discard"]);
});

test("using a draft for another activity moves it, after any text there, without its column", () => {
  let store = updateDraft(emptyStore(), A, { body: "Texte A", column: "c1" }, 1);
  store = rebindDraft(store, A.id, B, 2);
  assert.equal(getDraft(store, A.id).body, "");
  assert.deepEqual(getDraft(store, B.id), {
    activityId: 2,
    activityTitle: "Solutions",
    body: "Texte A",
    column: "",
    updatedAt: 2,
  });
  store = updateDraft(store, A, { body: "Autre texte A" }, 3);
  store = rebindDraft(store, A.id, B, 4);
  assert.equal(getDraft(store, B.id).body, "Texte A\n\nAutre texte A");
  assert.equal(rebindDraft(store, B.id, B), store);
});

test("a draft typed before the workshop started joins the first activity that accepts it", () => {
  let store = updateDraft(emptyStore(), null, { body: "Tôt" });
  assert.equal(adoptUnbound(store, A, { state: "draft" }), store);
  assert.equal(adoptUnbound(store, { ...A, state: "closed" }, live), store);
  store = adoptUnbound(store, A, live);
  assert.equal(store.drafts[UNBOUND], undefined);
  assert.equal(getDraft(store, A.id).body, "Tôt");
});

test("erasing a draft keeps the others", () => {
  let store = updateDraft(emptyStore(), A, { body: "a" });
  store = updateDraft(store, B, { body: "b" });
  store = discardDraft(store, A.id);
  assert.deepEqual(Object.keys(store.drafts), ["2"]);
});

test("notes counted per activity: own notes, queued creations, queued withdrawals", () => {
  const own = [
    { id: 7, activity_id: 1 },
    { id: 8, activity_id: 1 },
    { id: 9, activity_id: 2 },
  ];
  const pending = [
    { type: "contribution.create", activity_id: 1 },
    { type: "contribution.withdraw", contribution_id: 9 },
    { type: "contribution.withdraw", contribution_id: 999 },
    { type: "reaction.set", contribution_id: 3, on: true },
  ];
  const counts = contributionCounts(own, pending);
  assert.equal(counts.get(1), 3);
  assert.equal(counts.get(2), 0);
  assert.equal(counts.get(3), undefined);
});

test("texts and columns are checked before sending", () => {
  assert.match(bodyError("   "), /Écrivez/);
  assert.equal(bodyError(" ok "), "");
  assert.equal(bodyError("x".repeat(500)), "");
  assert.match(bodyError("x".repeat(501)), /501 caractères : 500 au plus/);
  assert.equal(columnError(B, ""), "");
  assert.match(columnError(A, ""), /Choisissez une catégorie/);
  assert.match(columnError(A, "c9"), /Choisissez une catégorie/);
  assert.equal(columnError(A, "c1"), "");
});

test("joining texts never loses either", () => {
  assert.equal(joinBodies("", " b "), "b");
  assert.equal(joinBodies("a \n", ""), "a");
  assert.equal(joinBodies("a", "b"), "a\n\nb");
});

test("sending is blocked, with the reason, until the workshop and the activity accept notes", () => {
  assert.match(sendBlockedReason(null, null, 0), /Chargement/);
  assert.match(sendBlockedReason({ state: "draft" }, null, 0), /pas encore commencé/);
  assert.match(sendBlockedReason({ state: "closed" }, A, 0), /clôturé/);
  assert.match(sendBlockedReason(live, null, 0), /Aucune activité/);
  assert.match(sendBlockedReason(live, { ...A, state: "closed" }, 0), /reste en brouillon/);
  assert.equal(sendBlockedReason(live, A, 2), "");
  assert.match(sendBlockedReason(live, A, 3), /Vous avez envoyé 3 contributions, le maximum/);
  assert.match(sendBlockedReason(live, { ...A, max_notes: 1 }, 1), /envoyé 1 contribution, le maximum/);
});

test("participants are told how their notes are signed before they write", () => {
  const me = { pseudonym: "Loutre", display_name: "" };
  assert.equal(
    identityNotice("anonymous", me),
    "Vos contributions sont anonymes : personne ne verra qui les a écrites.",
  );
  assert.equal(identityNotice("pseudonymous", me), "Vos contributions seront signées de votre pseudonyme « Loutre ».");
  assert.equal(
    identityNotice("named", me),
    "Vous n'avez pas donné de nom : vos contributions seront signées de votre pseudonyme « Loutre ».",
  );
  assert.equal(
    identityNotice("named", { ...me, display_name: "Camille" }),
    "Vos contributions seront signées de votre nom « Camille ».",
  );
  assert.equal(identityNotice("pseudonymous", null), "Vos contributions seront signées d'un pseudonyme.");
  assert.equal(identityNotice("a-future-mode", me), "");
});

test("private mode is explained until the notes are revealed", () => {
  assert.equal(privacyNotice(A), "");
  assert.equal(privacyNotice(null), "");
  assert.match(privacyNotice({ ...A, private: true, revealed: false }), /^Mode privé : vos contributions restent masquées/);
  assert.match(privacyNotice({ ...A, private: true, revealed: true }), /révélées à tous/);
});
