"""Votes under real concurrency on PostgreSQL: one person's two devices spending the same
points at once, and votes racing the facilitator's close."""

import json

import pytest

from ateliers import actions as workshop_actions
from ateliers import agenda
from ateliers.errors import DomainError
from participation import actions, voting
from participation.models import Vote
from realtime.models import WorkshopEvent
from tests.test_concurrency_board import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_vote(facilitator, live_workshop):
    board = live_workshop.current_activity
    author = actions.participant_join(workshop=live_workshop, device_token="au", profile="agent")
    for body in ("Un", "Deux", "Trois"):
        actions.contribution_create(participant=author, activity_id=board.pk, body=body)
    made = agenda.vote_activity_add(
        user=facilitator,
        workshop_id=live_workshop.pk,
        title="Vote",
        source_id=board.pk,
        votes_per_person=4,
        max_per_item=2,
    )
    activity_id = made.result["activity_id"]
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
    )
    return list(live_workshop.activities.get(pk=activity_id).vote_items.order_by("position"))


def test_two_devices_of_one_person_cannot_spend_more_than_the_budget(live_workshop, open_vote):
    person = actions.participant_join(workshop=live_workshop, device_token="p", profile="usager")
    calls = [
        lambda item=item, n=n: voting.vote_add(
            participant=person, item_id=item.pk, request_id=f"{item.pk}-{n}"
        )
        for item in open_vote
        for n in range(3)
    ]  # 9 taps at once: at most 2 per item, 4 in all
    results, errors = in_parallel(calls)
    assert all(isinstance(e, DomainError) for e in errors), errors
    assert len(results) == 4 and len(errors) == 5
    assert {e.code for e in errors if isinstance(e, DomainError)} <= {"vote_budget", "item_limit"}
    rows = Vote.objects.filter(participant=person)
    assert rows.count() == 4
    assert max(rows.filter(item=item).count() for item in open_vote) <= 2


def test_votes_racing_the_close_are_either_counted_in_the_final_tally_or_refused(
    facilitator, live_workshop, open_vote
):
    people = [
        actions.participant_join(workshop=live_workshop, device_token=f"v{n}", profile="usager")
        for n in range(12)
    ]
    vote_activity = open_vote[0].activity
    calls = [
        lambda p=p: voting.vote_add(participant=p, item_id=open_vote[0].pk, request_id="v")
        for p in people
    ]
    calls.insert(
        6,
        lambda: workshop_actions.activity_close(
            user=facilitator, workshop_id=live_workshop.pk, activity_id=vote_activity.pk
        ),
    )
    results, errors = in_parallel(calls)
    assert all(isinstance(e, DomainError) for e in errors), errors  # no deadlock, no 500
    assert {e.code for e in errors} <= {"activity_closed"}
    accepted = len(results) - 1  # the close itself succeeded too
    assert accepted + len(errors) == 12
    assert Vote.objects.filter(activity=vote_activity).count() == accepted
    final = json.loads(
        WorkshopEvent.objects.filter(workshop=live_workshop, type="vote.tally")
        .order_by("-seq")
        .first()
        .payload
    )["tally"]
    assert final["final"] is True
    assert {t["item_id"]: t["count"] for t in final["items"]}[open_vote[0].pk] == accepted
