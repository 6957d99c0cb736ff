"""Participants: joining, posting ideas, and every way a post is refused."""

import pytest

from ateliers import actions as workshop_actions
from ateliers.errors import (
    ActivityClosed,
    InvalidInput,
    NotFound,
    WorkshopClosed,
    WorkshopNotLive,
)
from participation import actions
from participation.devices import device_hash
from participation.models import Contribution, Participant
from realtime.events import ContributionCreatedEvent
from realtime.models import WorkshopEvent
from tests.factories import ParticipantFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(live_workshop):
    return actions.participant_join(
        workshop=live_workshop, device_token="phone-1", profile="usager", display_name=" Léa "
    )


def test_joining_stores_a_digest_of_the_device_token_never_the_token(live_workshop, participant):
    assert participant.device_hash == device_hash("phone-1")
    assert "phone-1" not in participant.device_hash
    assert participant.display_name == "Léa"


def test_rejoining_from_the_same_device_updates_the_profile_instead_of_duplicating(
    live_workshop, participant
):
    again = actions.participant_join(
        workshop=live_workshop, device_token="phone-1", profile="agent"
    )
    assert again.pk == participant.pk
    assert Participant.objects.get(pk=participant.pk).profile == "agent"


def test_a_closed_workshop_accepts_no_new_participant(facilitator, live_workshop):
    workshop_actions.workshop_close(user=facilitator, workshop_id=live_workshop.pk)
    with pytest.raises(WorkshopClosed):
        actions.participant_join(workshop=live_workshop, device_token="late", profile="usager")
    assert not Participant.objects.filter(workshop=live_workshop).exists()


def test_posting_an_idea_logs_a_typed_event_with_the_next_sequence(live_workshop, participant):
    activity = live_workshop.current_activity
    activity.identity = "named"
    activity.save()
    outcome = actions.contribution_create(
        participant=participant, activity_id=activity.pk, body="  Moins de papiers  "
    )
    contribution = Contribution.objects.get()
    assert contribution.body == "Moins de papiers"
    assert outcome.result["contribution_id"] == contribution.pk
    assert outcome.result["contribution"]["body"] == "Moins de papiers"
    event = WorkshopEvent.objects.get(workshop=live_workshop, seq=outcome.seq)
    parsed = ContributionCreatedEvent.model_validate_json(event.payload)
    assert parsed.contribution.body == "Moins de papiers"
    assert parsed.contribution.author == "Léa"


def test_an_anonymous_idea_carries_no_author(live_workshop):
    anonymous = actions.participant_join(
        workshop=live_workshop, device_token="phone-2", profile="agent"
    )
    actions.contribution_create(
        participant=anonymous, activity_id=live_workshop.current_activity_id, body="Idée"
    )
    event = WorkshopEvent.objects.filter(type="contribution.created").get()
    assert ContributionCreatedEvent.model_validate_json(event.payload).contribution.author is None


def test_the_same_request_id_twice_creates_one_idea(live_workshop, participant):
    activity_id = live_workshop.current_activity_id
    first = actions.contribution_create(
        participant=participant, activity_id=activity_id, body="Une fois", request_id="abc"
    )
    second = actions.contribution_create(
        participant=participant, activity_id=activity_id, body="Une fois", request_id="abc"
    )
    assert Contribution.objects.count() == 1
    assert second.replayed and second.result == first.result and second.seq == first.seq


def test_request_ids_are_per_participant(live_workshop, participant):
    other = ParticipantFactory(workshop=live_workshop)
    activity_id = live_workshop.current_activity_id
    actions.contribution_create(
        participant=participant, activity_id=activity_id, body="A", request_id="same"
    )
    actions.contribution_create(
        participant=other, activity_id=activity_id, body="B", request_id="same"
    )
    assert Contribution.objects.count() == 2


@pytest.mark.parametrize("body", ["", "   ", "\x00", "x" * 501])
def test_empty_or_oversized_ideas_are_refused(live_workshop, participant, body):
    with pytest.raises(InvalidInput):
        actions.contribution_create(
            participant=participant, activity_id=live_workshop.current_activity_id, body=body
        )
    assert not Contribution.objects.exists()
    assert not WorkshopEvent.objects.filter(type="contribution.created").exists()


def test_nul_characters_are_dropped_not_stored(live_workshop, participant):
    actions.contribution_create(
        participant=participant, activity_id=live_workshop.current_activity_id, body="a\x00b"
    )
    assert Contribution.objects.get().body == "ab"


def test_posting_to_a_closed_activity_is_refused(facilitator, live_workshop, participant):
    activity_id = live_workshop.current_activity_id
    workshop_actions.activity_close(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
    )
    with pytest.raises(ActivityClosed):
        actions.contribution_create(
            participant=participant, activity_id=activity_id, body="Trop tard"
        )
    assert not Contribution.objects.exists()


def test_posting_before_the_workshop_starts_is_refused(workshop):
    early = actions.participant_join(workshop=workshop, device_token="early", profile="elu")
    with pytest.raises(WorkshopNotLive):
        actions.contribution_create(
            participant=early, activity_id=workshop.activities.get().pk, body="Trop tôt"
        )


def test_a_participant_cannot_post_into_another_workshop(live_workshop, participant, facilitator):
    other = WorkshopFactory(challenge=live_workshop.challenge)
    other_activity = other.activities.create(
        position=1, kind="ideation", title="Idées", state="open"
    )
    with pytest.raises(NotFound):
        actions.contribution_create(
            participant=participant, activity_id=other_activity.pk, body="Ailleurs"
        )
    assert not Contribution.objects.exists()
