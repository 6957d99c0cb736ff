"""Facilitator actions: permissions, state rules, events and sequence numbers."""

import pytest

from ateliers import actions
from ateliers.errors import Forbidden, InvalidTransition, WorkshopClosed
from ateliers.join_codes import ALPHABET, LENGTH
from ateliers.models import ActivityState, WorkshopState
from realtime.models import CommandReceipt, WorkshopEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_types(workshop):
    return list(
        WorkshopEvent.objects.filter(workshop=workshop).order_by("seq").values_list("type", "seq")
    )


def test_a_new_workshop_is_a_draft_with_an_ideation_board_and_a_typeable_code(workshop):
    assert workshop.state == WorkshopState.DRAFT
    assert len(workshop.join_code) == LENGTH
    assert set(workshop.join_code) <= set(ALPHABET)
    assert [a.kind for a in workshop.activities.all()] == ["ideation"]
    assert workshop.activities.get().prompt == "Vos idées ?"


def test_only_a_lead_of_the_challenge_creates_its_workshops(challenge):
    with pytest.raises(Forbidden):
        actions.workshop_create(user=UserFactory(), challenge=challenge, title="Intrus")


def test_starting_opens_the_first_activity_and_numbers_the_events(facilitator, workshop):
    outcome = actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    assert workshop.state == WorkshopState.LIVE
    assert workshop.current_activity.state == ActivityState.OPEN
    assert logged_types(workshop) == [("activity.updated", 1), ("workshop.updated", 2)]
    assert outcome.seq == workshop.last_seq == 2


def test_a_stranger_cannot_start_a_workshop_and_nothing_is_written(workshop):
    with pytest.raises(Forbidden):
        actions.workshop_start(user=UserFactory(), workshop_id=workshop.pk)
    workshop.refresh_from_db()
    assert workshop.state == WorkshopState.DRAFT
    assert workshop.last_seq == 0


def test_a_facilitator_who_is_not_a_lead_can_run_the_workshop(workshop):
    helper = UserFactory()
    workshop.facilitators.add(helper)
    actions.workshop_start(user=helper, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    assert workshop.state == WorkshopState.LIVE


def test_starting_twice_is_an_invalid_transition(facilitator, live_workshop):
    with pytest.raises(InvalidTransition):
        actions.workshop_start(user=facilitator, workshop_id=live_workshop.pk)


def test_closing_closes_every_activity_and_frees_nothing_twice(facilitator, live_workshop):
    actions.workshop_close(user=facilitator, workshop_id=live_workshop.pk)
    live_workshop.refresh_from_db()
    assert live_workshop.state == WorkshopState.CLOSED
    assert live_workshop.closed_at is not None
    assert set(live_workshop.activities.values_list("state", flat=True)) == {"closed"}
    with pytest.raises(WorkshopClosed):
        actions.workshop_close(user=facilitator, workshop_id=live_workshop.pk)


def test_closing_and_reopening_contributions(facilitator, live_workshop):
    activity = live_workshop.current_activity
    actions.activity_close(user=facilitator, workshop_id=live_workshop.pk, activity_id=activity.pk)
    activity.refresh_from_db()
    assert activity.state == ActivityState.CLOSED
    with pytest.raises(InvalidTransition):
        actions.activity_close(
            user=facilitator, workshop_id=live_workshop.pk, activity_id=activity.pk
        )
    actions.activity_open(user=facilitator, workshop_id=live_workshop.pk, activity_id=activity.pk)
    activity.refresh_from_db()
    assert activity.state == ActivityState.OPEN


def test_a_retried_command_is_applied_once_and_answered_the_same(facilitator, live_workshop):
    activity = live_workshop.current_activity
    first = actions.activity_close(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity.pk, request_id="r-1"
    )
    again = actions.activity_close(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity.pk, request_id="r-1"
    )
    assert again.replayed and again.seq == first.seq
    assert CommandReceipt.objects.filter(request_id="r-1").count() == 1
    assert WorkshopEvent.objects.filter(workshop=live_workshop).count() == first.seq


def test_join_codes_are_unique_among_open_workshops_only(facilitator, challenge, workshop):
    from django.db import IntegrityError, transaction

    from tests.factories import WorkshopFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopFactory(challenge=challenge, join_code=workshop.join_code)
    actions.workshop_close(user=facilitator, workshop_id=workshop.pk)
    reused = WorkshopFactory(challenge=challenge, join_code=workshop.join_code)
    assert reused.join_code == workshop.join_code
