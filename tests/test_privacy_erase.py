"""Erasing a participant from their phone: everything they gave goes, screens are told,
and the record keeps only who erased which reference when (docs/privacy.md)."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from ateliers.errors import InvalidTransition, NotFound
from ateliers.evidence import results_document
from ateliers.models import Decision
from participation import actions as participation_actions
from participation.models import (
    Contribution,
    Erasure,
    Participant,
    Rating,
    Reaction,
    Vote,
    VoteItem,
)
from participation.privacy import (
    anonymise_workshop,
    normalise_reference,
    participant_data,
    participant_erase,
    participant_reference,
)
from realtime.models import WorkshopEvent
from tests.factories import seed_evidence_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(facilitator):
    return seed_evidence_workshop(facilitator)


def events_after(workshop, seq: int) -> list[dict]:
    return [
        json.loads(p)
        for p in WorkshopEvent.objects.filter(workshop=workshop, seq__gt=seq)
        .order_by("seq")
        .values_list("payload", flat=True)
    ]


def test_erasing_deletes_everything_the_person_gave(seed):
    """Camille's note, votes, rating and row go; others' rows stay; the item copied from
    her note keeps others' points but loses its text."""
    camille = seed.people["u1"]
    note = seed.notes["appeler"]
    item = seed.items.get("appeler")
    others_votes = Vote.objects.exclude(participant=camille).count()

    counts = participant_erase(participant=camille)

    assert counts == {"contributions": 1, "reactions": 0, "votes": 2, "ratings": 1, "feelings": 0}
    assert not Participant.objects.filter(pk=camille.pk).exists()
    assert not Contribution.objects.filter(pk=note.pk).exists()
    assert not Rating.objects.filter(participant_id=camille.pk).exists()
    assert Vote.objects.count() == others_votes
    if item is not None:
        item.refresh_from_db()
        assert item.contribution_id is None and "appeler" not in item.label
    document = json.dumps(results_document(seed.workshop), ensure_ascii=False)
    assert "On ne sait pas qui appeler" not in document


def test_erasing_tells_the_screens_and_scrubs_the_note_from_the_event_log(seed):
    """A removal event per note, the recounted tallies; the logged creation of the note
    no longer carries its text."""
    camille = seed.people["u1"]
    note_id = seed.notes["appeler"].pk
    seed.workshop.refresh_from_db()
    last = seed.workshop.last_seq

    participant_erase(participant=camille)

    new = events_after(seed.workshop, last)
    removed = [e["contribution_id"] for e in new if e["type"] == "contribution.removed"]
    assert removed == [note_id]
    assert {e["tally"]["activity_id"] for e in new if e["type"] == "vote.tally"} >= {
        seed.vote.pk,
        seed.rating.pk,
    }
    # Vote items copied the text when the vote opened: those events go with the log at
    # anonymisation; the note's own events are redacted now.
    note_events = WorkshopEvent.objects.filter(
        workshop=seed.workshop, type__startswith="contribution."
    ).values_list("payload", flat=True)
    assert not [p for p in note_events if "On ne sait pas qui appeler" in p]


def test_a_plus_one_of_an_erased_person_is_taken_off_the_note(seed):
    papiers = seed.notes["papiers"]
    before = papiers.reaction_count
    participant_erase(participant=seed.people["a5"])
    papiers.refresh_from_db()
    assert (
        papiers.reaction_count
        == before - 1
        == Reaction.objects.filter(contribution=papiers).count()
    )


def test_a_decision_on_an_erased_note_goes_with_it(seed, facilitator):
    from ateliers.decisions import decision_set

    decision_set(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="contribution",
        target_id=seed.notes["appeler"].pk,
        status="retenu",
    )
    participant_erase(participant=seed.people["u1"])
    assert not Decision.objects.filter(workshop=seed.workshop).exists()


def test_the_erasure_is_recorded_without_the_erased_data(seed, facilitator):
    camille = seed.people["u1"]
    reference = participant_reference(camille)
    participant_erase(participant=camille, by=facilitator)
    (erasure,) = Erasure.objects.all()
    assert (erasure.reference, erasure.erased_by, erasure.source) == (
        reference,
        facilitator,
        "lead",
    )
    assert "Camille" not in json.dumps(erasure.counts)


def test_erasing_twice_is_refused_cleanly(seed):
    """A double submit (or the lead and the phone at once): the second finds nothing."""
    camille = seed.people["u1"]
    participant_erase(participant=camille)
    with pytest.raises(NotFound):
        participant_erase(participant=camille)
    assert Erasure.objects.count() == 1


def test_an_anonymised_workshop_has_nobody_left_to_erase(seed):
    anonymise_workshop(seed.workshop)
    with pytest.raises(InvalidTransition):
        participant_erase(participant=Participant.objects.filter(workshop=seed.workshop).first())


def test_the_export_holds_everything_stored_about_the_person(seed):
    data = participant_data(seed.people["u1"])
    assert data["participant"]["display_name"] == "Camille Dupont"
    assert [c["body"] for c in data["contributions"]] == ["On ne sait pas qui appeler"]
    assert data["contributions"][0]["column"] == "Irritants"
    assert len(data["votes"]) == 2 and len(data["ratings"]) == 1
    assert data["reference"] == participant_reference(seed.people["u1"])


def test_a_reference_reads_back_however_it_is_typed(seed):
    reference = participant_reference(seed.people["u1"])
    assert reference.startswith("P-") and len(reference) == 9
    assert normalise_reference(reference.lower().replace("-", " ")) == reference
    assert participant_reference(seed.people["u2"]) != reference


# Over HTTP, from the phone ----------------------------------------------------------------


@pytest.fixture
def phone(client, live_workshop):
    client.post(
        reverse("join_workshop", kwargs={"code": live_workshop.join_code}),
        {"display_name": "Alex", "organisation": "Mairie de Nevers"},
    )
    participant = Participant.objects.get()
    board = live_workshop.activities.order_by("position").first()
    column = board.columns[0]["key"] if board.columns else ""
    participation_actions.contribution_create(
        participant=participant, activity_id=board.pk, body="Mon idée à moi", column=column
    )
    return client, participant


def test_my_data_page_lists_what_is_stored_and_the_reference(phone, live_workshop):
    client, participant = phone
    page = client.get(reverse("my_data", kwargs={"workshop_id": live_workshop.pk}))
    text = page.content.decode()
    assert page.status_code == 200
    assert participant_reference(participant) in text
    assert "Alex" in text and "Mairie de Nevers" in text and "Non renseigné" in text


def test_my_data_export_is_this_phones_data_only(phone, live_workshop):
    client, _participant = phone
    response = client.get(reverse("my_data_export", kwargs={"workshop_id": live_workshop.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    assert response.json()["contributions"][0]["body"] == "Mon idée à moi"


def test_another_device_gets_no_data(live_workshop, phone):
    from django.test import Client

    stranger = Client()
    url = reverse("my_data_export", kwargs={"workshop_id": live_workshop.pk})
    assert stranger.get(url).status_code == 404
    erase = reverse("my_data_erase", kwargs={"workshop_id": live_workshop.pk})
    assert stranger.post(erase, {"confirm": "on"}).status_code == 302
    assert Participant.objects.exists()


def test_erasing_from_the_phone_needs_the_confirmation(phone, live_workshop):
    client, _participant = phone
    url = reverse("my_data_erase", kwargs={"workshop_id": live_workshop.pk})
    assert client.post(url, {}).status_code == 400
    assert Participant.objects.exists()


def test_erasing_from_the_phone_deletes_all_and_clears_the_cookie(phone, live_workshop):
    client, _participant = phone
    url = reverse("my_data_erase", kwargs={"workshop_id": live_workshop.pk})
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert "Vos données ont été effacées" in response.content.decode()
    assert not Participant.objects.exists() and not Contribution.objects.exists()
    assert response.cookies[settings.PARTICIPANT_COOKIE_NAME].value == ""
    (erasure,) = Erasure.objects.all()
    assert erasure.source == "participant" and erasure.erased_by is None


def test_erasing_needs_a_post_with_csrf(phone, live_workshop):
    from django.test import Client

    client, _participant = phone
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    url = reverse("my_data_erase", kwargs={"workshop_id": live_workshop.pk})
    assert strict.post(url, {"confirm": "on"}).status_code == 403
    assert client.get(url).status_code == 405
    assert Participant.objects.exists()
    assert not VoteItem.objects.exists()
