"""The event contract: every event type is emitted by some action with exactly its
declared shape, and applying the logged events to an old snapshot gives the new one,
for a facilitator's screen and for a phone (which sees redacted events)."""

import json
from collections.abc import Callable

import pytest

from ateliers import actions as workshop_actions
from ateliers import agenda, journey_maps
from ateliers.selectors import workshop_snapshot
from participation import actions, journeys, moderation
from participation.models import Contribution
from realtime.events import (
    EVENT_TYPES,
    ActivityRemovedEvent,
    ActivityRevealedEvent,
    ActivityUpdatedEvent,
    ClusterRemovedEvent,
    ClusterUpdatedEvent,
    ContributionCreatedEvent,
    ContributionRemovedEvent,
    ContributionUpdatedEvent,
    JourneyCurveEvent,
    RedactedEvent,
    SyncReply,
    VoteItemsEvent,
    VoteTallyEvent,
    WorkshopUpdatedEvent,
)
from realtime.models import WorkshopEvent
from realtime.replay import sync_reply

pytestmark = pytest.mark.django_db


def start(facilitator, workshop) -> None:
    workshop_actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    workshop.refresh_from_db()


def close_contributions(facilitator, workshop) -> None:
    start(facilitator, workshop)
    workshop_actions.activity_close(
        user=facilitator, workshop_id=workshop.pk, activity_id=workshop.current_activity_id
    )


def post_idea(facilitator, workshop, body: str = "Idée") -> Contribution:
    if workshop.state == "draft":
        start(facilitator, workshop)
    participant = actions.participant_join(
        workshop=workshop, device_token=f"t-{body}", profile="agent"
    )
    outcome = actions.contribution_create(
        participant=participant, activity_id=workshop.current_activity_id, body=body
    )
    return Contribution.objects.get(pk=outcome.result["contribution_id"])


def remove_activity(facilitator, workshop) -> None:
    added = agenda.activity_add(user=facilitator, workshop_id=workshop.pk, title="En trop")
    agenda.activity_delete(
        user=facilitator, workshop_id=workshop.pk, activity_id=added.result["activity_id"]
    )


def reveal(facilitator, workshop) -> None:
    activity = workshop.activities.get()
    activity.private = True
    activity.save()
    post_idea(facilitator, workshop)
    moderation.activity_reveal(user=facilitator, workshop_id=workshop.pk, activity_id=activity.pk)


def hide_idea(facilitator, workshop) -> None:
    note = post_idea(facilitator, workshop)
    moderation.contribution_hide(
        user=facilitator, workshop_id=workshop.pk, contribution_id=note.pk, reason="Hors sujet"
    )


def withdraw_idea(facilitator, workshop) -> None:
    note = post_idea(facilitator, workshop)
    actions.contribution_withdraw(participant=note.participant, contribution_id=note.pk)


def make_and_delete_cluster(facilitator, workshop) -> None:
    note = post_idea(facilitator, workshop)
    made = moderation.cluster_create(
        user=facilitator,
        workshop_id=workshop.pk,
        activity_id=note.activity_id,
        title="Accueil",
        contribution_ids=[note.pk],
    )
    moderation.cluster_delete(
        user=facilitator, workshop_id=workshop.pk, cluster_id=made.result["cluster_id"]
    )


def post_private_idea(facilitator, workshop) -> None:
    activity = workshop.activities.get()
    activity.private = True
    activity.save()
    post_idea(facilitator, workshop)


def open_vote(facilitator, workshop) -> None:
    board = post_idea(facilitator, workshop).activity
    made = agenda.vote_activity_add(
        user=facilitator, workshop_id=workshop.pk, title="Vote", source_id=board.pk
    )
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=workshop.pk, activity_id=made.result["activity_id"]
    )


def close_vote(facilitator, workshop) -> None:
    open_vote(facilitator, workshop)
    workshop.refresh_from_db()
    workshop_actions.activity_close(
        user=facilitator, workshop_id=workshop.pk, activity_id=workshop.current_activity_id
    )


def open_journey(facilitator, workshop) -> int:
    if workshop.state == "draft":
        start(facilitator, workshop)
    made = journey_maps.journey_add(user=facilitator, workshop_id=workshop.pk, title="Parcours")
    journey_id = made.result["activity_id"]
    workshop_actions.agenda_goto(user=facilitator, workshop_id=workshop.pk, activity_id=journey_id)
    workshop.refresh_from_db()
    return journey_id


def rate_a_stage(facilitator, workshop) -> None:
    journey_id = open_journey(facilitator, workshop)
    person = actions.participant_join(workshop=workshop, device_token="rater", profile="agent")
    journeys.feeling_set(participant=person, activity_id=journey_id, stage="c2", value=-1)
    # Live curves are paced after commit (none here: the test never commits); closing
    # the map publishes the final one in its own transaction.
    workshop_actions.activity_close(
        user=facilitator, workshop_id=workshop.pk, activity_id=journey_id
    )


# One action that emits each event type. A new event type without an entry fails below.
TRIGGERS: dict[type, Callable] = {
    WorkshopUpdatedEvent: start,
    ActivityUpdatedEvent: close_contributions,
    ActivityRemovedEvent: remove_activity,
    ActivityRevealedEvent: reveal,
    ContributionCreatedEvent: post_idea,
    ContributionUpdatedEvent: hide_idea,
    ContributionRemovedEvent: withdraw_idea,
    ClusterUpdatedEvent: make_and_delete_cluster,
    ClusterRemovedEvent: make_and_delete_cluster,
    RedactedEvent: post_private_idea,
    VoteItemsEvent: open_vote,
    VoteTallyEvent: close_vote,
    JourneyCurveEvent: rate_a_stage,
}


@pytest.mark.parametrize("event_class", EVENT_TYPES, ids=lambda c: c.__name__)
def test_every_event_type_is_emitted_with_its_declared_shape(facilitator, workshop, event_class):
    trigger = TRIGGERS.get(event_class)
    assert trigger is not None, f"no test triggers {event_class.__name__}: add one to TRIGGERS"
    trigger(facilitator, workshop)
    type_name = event_class.model_fields["type"].default
    rows = WorkshopEvent.objects.filter(workshop=workshop)
    texts = [(r.seq, t) for r in rows for t in (r.payload, r.phone_payload) if t]
    found = [(seq, t) for seq, t in texts if json.loads(t)["type"] == type_name]
    assert found, f"{type_name} was not emitted"
    for seq, text in found:
        event = event_class.model_validate_json(text)  # extra="forbid": exact shape
        assert event.seq == seq


def test_sequence_numbers_are_gapless_per_workshop(facilitator, workshop):
    post_idea(facilitator, workshop)
    seqs = list(WorkshopEvent.objects.filter(workshop=workshop).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, len(seqs) + 1))


def _upsert(items: list[dict], item: dict) -> list[dict]:
    if any(i["id"] == item["id"] for i in items):
        return [item if i["id"] == item["id"] else i for i in items]
    return [*items, item]


def apply(state: dict, event: dict) -> dict:
    """A reference client: what static/cocon/board.js does with each event."""
    state = json.loads(json.dumps(state))
    kind = event["type"]
    if kind == "workshop.updated":
        state["workshop"] = event["workshop"]
    elif kind in ("activity.updated", "activity.revealed"):
        state["activities"] = _upsert(state["activities"], event["activity"])
        for note in event.get("contributions", []):
            state["contributions"] = _upsert(state["contributions"], note)
    elif kind == "activity.removed":
        state["activities"] = [a for a in state["activities"] if a["id"] != event["activity_id"]]
    elif kind in ("contribution.created", "contribution.updated"):
        state["contributions"] = _upsert(state["contributions"], event["contribution"])
    elif kind == "contribution.removed":
        state["contributions"] = [
            c for c in state["contributions"] if c["id"] != event["contribution_id"]
        ]
    elif kind == "cluster.updated":
        state["clusters"] = _upsert(state["clusters"], event["cluster"])
    elif kind == "cluster.removed":
        state["clusters"] = [c for c in state["clusters"] if c["id"] != event["cluster_id"]]
    elif kind == "vote.items":
        others = [i for i in state["vote_items"] if i["activity_id"] != event["activity_id"]]
        state["vote_items"] = others + event["items"]
    elif kind == "vote.tally":
        tally = event["tally"]
        others = [t for t in state["tallies"] if t["activity_id"] != tally["activity_id"]]
        state["tallies"] = [*others, tally]
    elif kind == "journey.curve":
        curve = event["curve"]
        others = [c for c in state["curves"] if c["activity_id"] != curve["activity_id"]]
        state["curves"] = [*others, curve]
    state["seq"] = event["seq"]
    return state


def _normalise(snapshot: dict) -> dict:
    """Order-free comparison: a client keys everything by id."""
    del snapshot["server_time"]  # when it was built, not state
    snapshot.pop("me", None)  # the phone's own notes come from acks, checked elsewhere
    for key in ("activities", "contributions", "clusters", "vote_items"):
        snapshot[key] = sorted(snapshot[key], key=lambda item: item["id"])
    snapshot["tallies"] = sorted(snapshot["tallies"], key=lambda t: t["activity_id"])
    snapshot["curves"] = sorted(snapshot["curves"], key=lambda c: c["activity_id"])
    return snapshot


def a_busy_session(facilitator, workshop) -> None:
    """Every kind of change: notes posted, edited, hidden, restored, withdrawn, +1'd,
    clustered; a private activity filled then revealed; the agenda edited."""
    first = post_idea(facilitator, workshop, "Première")
    second = post_idea(facilitator, workshop, "Deuxième")
    third = post_idea(facilitator, workshop, "Troisième")
    activity = first.activity
    agenda.activity_update(
        user=facilitator,
        workshop_id=workshop.pk,
        activity_id=activity.pk,
        title=activity.title,
        prompt=activity.prompt,
        columns=[],
        identity=activity.identity,
        private=False,
        reactions=True,
        max_notes=activity.max_notes,
    )
    actions.contribution_update(
        participant=first.participant, contribution_id=first.pk, body="Première, revue"
    )
    actions.reaction_set(participant=second.participant, contribution_id=first.pk, on=True)
    moderation.contribution_hide(
        user=facilitator, workshop_id=workshop.pk, contribution_id=second.pk, reason="Doublon"
    )
    moderation.contribution_hide(
        user=facilitator, workshop_id=workshop.pk, contribution_id=third.pk, reason="Erreur"
    )
    moderation.contribution_restore(
        user=facilitator, workshop_id=workshop.pk, contribution_id=third.pk
    )
    made = moderation.cluster_create(
        user=facilitator,
        workshop_id=workshop.pk,
        activity_id=activity.pk,
        title="Accueil",
        contribution_ids=[first.pk, third.pk],
    )
    moderation.cluster_rename(
        user=facilitator,
        workshop_id=workshop.pk,
        cluster_id=made.result["cluster_id"],
        title="Hall",
    )
    moderation.contribution_spotlight(
        user=facilitator, workshop_id=workshop.pk, contribution_id=third.pk
    )
    withdrawn = post_idea(facilitator, workshop, "Retirée")
    actions.contribution_withdraw(participant=withdrawn.participant, contribution_id=withdrawn.pk)
    private = agenda.activity_add(
        user=facilitator, workshop_id=workshop.pk, title="Privé", private=True
    ).result["activity_id"]
    workshop_actions.agenda_goto(user=facilitator, workshop_id=workshop.pk, activity_id=private)
    workshop.refresh_from_db()
    secret = post_idea(facilitator, workshop, "Secrète")
    post_idea(facilitator, workshop, "Masquée avant révélation")
    actions.contribution_update(
        participant=secret.participant, contribution_id=secret.pk, body="Secrète, revue"
    )
    moderation.activity_reveal(user=facilitator, workshop_id=workshop.pk, activity_id=private)
    spare = agenda.activity_add(user=facilitator, workshop_id=workshop.pk, title="En trop")
    agenda.activity_move(user=facilitator, workshop_id=workshop.pk, activity_id=private, offset=1)
    agenda.activity_delete(
        user=facilitator, workshop_id=workshop.pk, activity_id=spare.result["activity_id"]
    )
    workshop_actions.timer_start(user=facilitator, workshop_id=workshop.pk, seconds=90)
    # A journey map: cards in cells, one moved by the facilitator, stages rated, the map
    # reframed (a stage renamed, a lane turned off), then closed.
    journey_id = open_journey(facilitator, workshop)
    walker = actions.participant_join(workshop=workshop, device_token="walker", profile="usager")
    made = actions.contribution_create(
        participant=walker, activity_id=journey_id, body="Dossier perdu", column="c1", lane="l4"
    )
    journeys.contribution_place(
        user=facilitator,
        workshop_id=workshop.pk,
        contribution_id=made.result["contribution_id"],
        column="c3",
        lane="l4",
    )
    for stage, value in (("c1", 1), ("c3", -2), ("c1", 2)):
        journeys.feeling_set(participant=walker, activity_id=journey_id, stage=stage, value=value)
    journey = workshop.activities.get(pk=journey_id)
    journey_maps.journey_update(
        user=facilitator,
        workshop_id=workshop.pk,
        activity_id=journey_id,
        title="Parcours renommé",
        prompt="",
        stages=["Découvrir", *[c["label"] for c in journey.columns[1:]]],
        lanes=[{**lane, "enabled": lane["key"] != "l1"} for lane in journey.lanes],
        persona="Une allocataire",
        scenario="Renouveler ses droits",
        horizon="as_is",
        pair_id=None,
        private=False,
        identity=journey.identity,
        max_notes=journey.max_notes,
    )
    workshop_actions.activity_close(
        user=facilitator, workshop_id=workshop.pk, activity_id=journey_id
    )


@pytest.mark.parametrize("audience", ["screen", "phone"])
def test_events_applied_to_a_stale_snapshot_equal_a_fresh_snapshot(
    facilitator, workshop, audience, django_capture_on_commit_callbacks
):
    watcher = actions.participant_join(workshop=workshop, device_token="watch", profile="usager")
    viewer = watcher if audience == "phone" else None
    stale = json.loads(workshop_snapshot(workshop.pk, viewer).model_dump_json())
    with django_capture_on_commit_callbacks(execute=True):  # coalesced tallies included
        a_busy_session(facilitator, workshop)

    reply = SyncReply.model_validate_json(sync_reply(workshop.pk, stale["seq"], viewer))
    assert reply.mode == "events"
    state = stale
    for event in reply.events:
        state = apply(state, event)
    fresh = json.loads(workshop_snapshot(workshop.pk, viewer).model_dump_json())
    assert _normalise(state) == _normalise(fresh)


def test_a_phone_never_receives_a_private_or_hidden_note_or_a_hiding_reason(facilitator, workshop):
    watcher = actions.participant_join(workshop=workshop, device_token="watch", profile="usager")
    a_busy_session(facilitator, workshop)
    reply = sync_reply(workshop.pk, 0, watcher)
    assert "Doublon" not in reply and "Erreur" not in reply  # hiding reasons
    events = SyncReply.model_validate_json(reply).events
    bodies = [e["contribution"]["body"] for e in events if "contribution" in e]
    # Posted while private, edited before the reveal: only the revealed text shows.
    assert "Secrète" not in bodies
    assert "Secrète, revue" in json.dumps(events, ensure_ascii=False)
    screen_reply = sync_reply(workshop.pk, 0, None)
    assert "Doublon" in screen_reply and '"Secrète"' in screen_reply
