"""The workshop timer: an end time kept by the server, so every screen agrees."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ateliers import actions
from ateliers.errors import Forbidden, InvalidInput, InvalidTransition, WorkshopClosed
from realtime.events import WorkshopUpdatedEvent
from realtime.models import WorkshopEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def timer_of(workshop):
    workshop.refresh_from_db()
    return workshop.timer_ends_at, workshop.timer_paused_remaining


def test_starting_sets_an_end_time_and_tells_everyone(facilitator, live_workshop):
    before = timezone.now()
    outcome = actions.timer_start(user=facilitator, workshop_id=live_workshop.pk, seconds=300)
    after = timezone.now()
    ends_at, paused = timer_of(live_workshop)
    assert before + timedelta(seconds=300) <= ends_at <= after + timedelta(seconds=300)
    assert paused is None
    event = WorkshopUpdatedEvent.model_validate_json(
        WorkshopEvent.objects.get(workshop=live_workshop, seq=outcome.seq).payload
    )
    assert event.workshop.timer.ends_at == ends_at


def test_pausing_keeps_what_is_left_and_resuming_runs_it_again(facilitator, live_workshop):
    actions.timer_start(user=facilitator, workshop_id=live_workshop.pk, seconds=300)
    actions.timer_pause(user=facilitator, workshop_id=live_workshop.pk)
    ends_at, paused = timer_of(live_workshop)
    assert ends_at is None
    assert 299 <= paused <= 300  # rounded up: a pause never steals a second
    before = timezone.now()
    actions.timer_resume(user=facilitator, workshop_id=live_workshop.pk)
    ends_at, paused = timer_of(live_workshop)
    assert paused is None
    assert ends_at >= before + timedelta(seconds=299)


def test_extending_adds_time_running_or_paused(facilitator, live_workshop):
    actions.timer_start(user=facilitator, workshop_id=live_workshop.pk, seconds=60)
    first, _ = timer_of(live_workshop)
    actions.timer_extend(user=facilitator, workshop_id=live_workshop.pk, seconds=120)
    assert timer_of(live_workshop)[0] == first + timedelta(seconds=120)
    actions.timer_pause(user=facilitator, workshop_id=live_workshop.pk)
    paused = timer_of(live_workshop)[1]
    actions.timer_extend(user=facilitator, workshop_id=live_workshop.pk, seconds=60)
    assert timer_of(live_workshop)[1] == paused + 60


def test_extending_a_finished_countdown_counts_from_now(facilitator, live_workshop):
    live_workshop.timer_ends_at = timezone.now() - timedelta(minutes=5)
    live_workshop.save(update_fields=["timer_ends_at"])
    before = timezone.now()
    actions.timer_extend(user=facilitator, workshop_id=live_workshop.pk, seconds=60)
    assert timer_of(live_workshop)[0] >= before + timedelta(seconds=60)


def test_stopping_removes_the_timer(facilitator, live_workshop):
    actions.timer_start(user=facilitator, workshop_id=live_workshop.pk, seconds=60)
    actions.timer_stop(user=facilitator, workshop_id=live_workshop.pk)
    assert timer_of(live_workshop) == (None, None)
    with pytest.raises(InvalidTransition):
        actions.timer_stop(user=facilitator, workshop_id=live_workshop.pk)


@pytest.mark.parametrize("action", [actions.timer_pause, actions.timer_resume])
def test_pause_and_resume_need_the_matching_state(facilitator, live_workshop, action):
    with pytest.raises(InvalidTransition):
        action(user=facilitator, workshop_id=live_workshop.pk)


@pytest.mark.parametrize("seconds", [0, -5, 4 * 3600 + 1])
def test_durations_out_of_range_are_refused(facilitator, live_workshop, seconds):
    with pytest.raises(InvalidInput):
        actions.timer_start(user=facilitator, workshop_id=live_workshop.pk, seconds=seconds)
    assert timer_of(live_workshop) == (None, None)


def test_only_facilitators_drive_the_timer_and_not_once_closed(facilitator, live_workshop):
    with pytest.raises(Forbidden):
        actions.timer_start(user=UserFactory(), workshop_id=live_workshop.pk, seconds=60)
    actions.workshop_close(user=facilitator, workshop_id=live_workshop.pk)
    with pytest.raises(WorkshopClosed):
        actions.timer_start(user=facilitator, workshop_id=live_workshop.pk, seconds=60)
    assert timer_of(live_workshop) == (None, None)
