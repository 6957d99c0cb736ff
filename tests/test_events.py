"""The event contract: every event type is emitted by some action with exactly its
declared shape, and applying the logged events to an old snapshot gives the new one."""

import json
from collections.abc import Callable

import pytest

from ateliers import actions as workshop_actions
from ateliers.selectors import workshop_snapshot
from participation import actions
from realtime.events import (
    EVENT_TYPES,
    ActivityUpdatedEvent,
    ContributionCreatedEvent,
    SyncReply,
    WorkshopUpdatedEvent,
)
from realtime.models import WorkshopEvent
from realtime.replay import sync_reply

pytestmark = pytest.mark.django_db


def start(facilitator, workshop) -> None:
    workshop_actions.workshop_start(user=facilitator, workshop_id=workshop.pk)


def close_contributions(facilitator, workshop) -> None:
    start(facilitator, workshop)
    workshop.refresh_from_db()
    workshop_actions.activity_close(
        user=facilitator, workshop_id=workshop.pk, activity_id=workshop.current_activity_id
    )


def post_idea(facilitator, workshop) -> None:
    start(facilitator, workshop)
    workshop.refresh_from_db()
    participant = actions.participant_join(workshop=workshop, device_token="t", profile="agent")
    actions.contribution_create(
        participant=participant, activity_id=workshop.current_activity_id, body="Idée"
    )


# One action that emits each event type. A new event type without an entry fails below.
TRIGGERS: dict[type, Callable] = {
    WorkshopUpdatedEvent: start,
    ActivityUpdatedEvent: close_contributions,
    ContributionCreatedEvent: post_idea,
}


@pytest.mark.parametrize("event_class", EVENT_TYPES, ids=lambda c: c.__name__)
def test_every_event_type_is_emitted_with_its_declared_shape(facilitator, workshop, event_class):
    trigger = TRIGGERS.get(event_class)
    assert trigger is not None, f"no test triggers {event_class.__name__}: add one to TRIGGERS"
    trigger(facilitator, workshop)
    type_name = event_class.model_fields["type"].default
    logged = WorkshopEvent.objects.filter(workshop=workshop, type=type_name)
    assert logged.exists()
    for row in logged:
        event = event_class.model_validate_json(row.payload)  # extra="forbid": exact shape
        assert event.seq == row.seq


def test_sequence_numbers_are_gapless_per_workshop(facilitator, workshop):
    post_idea(facilitator, workshop)
    seqs = list(WorkshopEvent.objects.filter(workshop=workshop).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, len(seqs) + 1))


def apply(state: dict, event: dict) -> dict:
    """A reference client: what static/cocon/board.js does with each event."""
    state = json.loads(json.dumps(state))
    if event["type"] == "workshop.updated":
        state["workshop"] = event["workshop"]
    elif event["type"] == "activity.updated":
        state["activities"] = [
            event["activity"] if a["id"] == event["activity"]["id"] else a
            for a in state["activities"]
        ]
    elif event["type"] == "contribution.created" and all(
        c["id"] != event["contribution"]["id"] for c in state["contributions"]
    ):
        state["contributions"].append(event["contribution"])
    state["seq"] = event["seq"]
    return state


def test_events_applied_to_a_stale_snapshot_equal_a_fresh_snapshot(facilitator, workshop):
    stale = json.loads(workshop_snapshot(workshop.pk).model_dump_json())
    post_idea(facilitator, workshop)
    workshop.refresh_from_db()
    other = actions.participant_join(workshop=workshop, device_token="u", profile="usager")
    actions.contribution_create(
        participant=other, activity_id=workshop.current_activity_id, body="Deuxième"
    )
    workshop_actions.activity_close(
        user=facilitator, workshop_id=workshop.pk, activity_id=workshop.current_activity_id
    )
    workshop_actions.timer_start(user=facilitator, workshop_id=workshop.pk, seconds=90)

    reply = SyncReply.model_validate_json(sync_reply(workshop.pk, stale["seq"], None))
    assert reply.mode == "events"
    state = stale
    for event in reply.events:
        state = apply(state, event)
    fresh = json.loads(workshop_snapshot(workshop.pk).model_dump_json())
    del state["server_time"], fresh["server_time"]  # when each was built, not state
    assert state == fresh
