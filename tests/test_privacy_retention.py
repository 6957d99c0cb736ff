"""Retention and anonymisation: past its retention period a closed workshop loses every
personal field, and every evidence figure stays what it was (docs/privacy.md)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ateliers.attach import attach_evidence
from ateliers.evidence import challenge_evidence, results_document
from ateliers.models import Evidence, Workshop
from participation.devices import device_hash
from participation.models import Participant
from participation.privacy import anonymise_workshop, retention_label, workshops_due
from realtime.models import CommandReceipt, WorkshopEvent
from tests.factories import ParticipantFactory, WorkshopFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(facilitator):
    seed = seed_evidence_workshop(facilitator)
    # Five more from one organisation and territory: a group the evidence names, so
    # that clearing organisations would change a figure if they were not frozen.
    for n in range(5):
        ParticipantFactory(
            workshop=seed.workshop,
            profile="agent",
            display_name=f"Agent {n}",
            organisation="Préfecture du Nord" if n else " préfecture  du nord",
            territory="Lille",
        )
    return seed


def past_retention(workshop: Workshop) -> None:
    """As if it had been held and closed a day more than its retention period ago."""
    shift = timedelta(days=workshop.personal_data_retention_days + 1)
    Workshop.objects.filter(pk=workshop.pk).update(
        opened_at=F("opened_at") - shift, closed_at=F("closed_at") - shift
    )
    workshop.refresh_from_db()


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_evidence_figures_are_the_same_before_and_after_anonymisation(seed, facilitator):
    """Results, the challenge's totals and the JSON export are equal before and after."""
    workshop = seed.workshop
    other = WorkshopFactory(challenge=workshop.challenge)
    ParticipantFactory(workshop=other, organisation="Préfecture du Nord", territory="Lille")
    past_retention(workshop)
    before = results_document(workshop)
    totals_before = challenge_evidence(workshop.challenge)
    export_before = facilitator_export(facilitator, workshop)
    named = before["participation"]["organisations"]["items"]
    assert [g["name"] for g in named] == ["Préfecture du Nord"]

    assert "anonymised workshop" in purge()

    workshop.refresh_from_db()
    assert results_document(workshop) == before
    assert challenge_evidence(workshop.challenge) == totals_before
    assert facilitator_export(facilitator, workshop) == export_before


def facilitator_export(user, workshop: Workshop) -> tuple[dict, dict]:
    """The JSON exports of the REST API: the workshop's results, the challenge's evidence."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    results = client.get(reverse("api_workshop_results", kwargs={"pk": workshop.pk}))
    totals = client.get(reverse("api_challenge_evidence", kwargs={"pk": workshop.challenge_id}))
    assert (results.status_code, totals.status_code) == (200, 200)
    return results.json(), totals.json()


def test_anonymisation_clears_every_personal_field_and_the_event_log(seed):
    """Names, pseudonyms, organisations, territories, device digests, logged events and
    receipts are gone; profiles and the rows the evidence counts stay."""
    workshop = seed.workshop
    past_retention(workshop)
    token_digest = device_hash(f"seed-{workshop.pk}-u1")
    assert WorkshopEvent.objects.filter(workshop=workshop).exists()
    count = Participant.objects.filter(workshop=workshop).count()

    purge()

    people = Participant.objects.filter(workshop=workshop)
    assert people.count() == count
    for person in people:
        assert (person.display_name, person.pseudonym) == ("", "")
        assert (person.organisation, person.territory) == ("", "")
        assert person.device_hash.startswith("-") and len(person.device_hash) == 63
    assert not people.filter(device_hash=token_digest).exists()
    assert {p.profile for p in people} == {"agent", "usager", "elu"}
    assert not WorkshopEvent.objects.filter(workshop=workshop).exists()
    assert not CommandReceipt.objects.filter(workshop=workshop).exists()
    workshop.refresh_from_db()
    assert workshop.anonymised_at is not None
    assert "Camille Dupont" not in str(workshop.frozen_groups)


def test_running_twice_is_harmless(seed):
    """The second run finds nothing to do and changes nothing."""
    past_retention(seed.workshop)
    purge()
    seed.workshop.refresh_from_db()
    first = (seed.workshop.anonymised_at, seed.workshop.frozen_groups)
    before = results_document(seed.workshop)
    assert "0 workshop(s) anonymised" in purge()
    assert anonymise_workshop(seed.workshop) is None
    seed.workshop.refresh_from_db()
    assert (seed.workshop.anonymised_at, seed.workshop.frozen_groups) == first
    assert results_document(seed.workshop) == before


def test_a_workshop_within_its_retention_period_is_untouched(seed):
    """Closed yesterday with a year of retention: nothing changes."""
    assert seed.workshop not in workshops_due()
    assert "0 workshop(s) anonymised" in purge()
    assert Participant.objects.filter(
        workshop=seed.workshop, display_name="Camille Dupont"
    ).exists()
    seed.workshop.refresh_from_db()
    assert seed.workshop.anonymised_at is None


def test_a_dry_run_lists_and_changes_nothing(seed):
    past_retention(seed.workshop)
    out = purge("--dry-run")
    assert "would anonymise workshop" in out
    assert Participant.objects.filter(
        workshop=seed.workshop, display_name="Camille Dupont"
    ).exists()


def test_an_open_workshop_past_its_retention_is_only_warned_about(live_workshop):
    """Anonymising it would cut off the phones still in it: the command warns instead."""
    ParticipantFactory(workshop=live_workshop, display_name="Encore là")
    Workshop.objects.filter(pk=live_workshop.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    err = StringIO()
    call_command("purge_personal_data", stdout=StringIO(), stderr=err)
    assert "still live past its retention period" in err.getvalue()
    assert Participant.objects.filter(display_name="Encore là").exists()


def test_attached_evidence_is_untouched_and_holds_no_name(seed, facilitator):
    """The immutable snapshot keeps its bytes, and never had a participant's name."""
    evidence = attach_evidence(user=facilitator, workshop_id=seed.workshop.pk)
    past_retention(seed.workshop)
    purge()
    again = Evidence.objects.get(pk=evidence.pk)
    assert (again.document, again.digest) == (evidence.document, evidence.digest)
    assert "Camille Dupont" not in again.document and "Agent 1" not in again.document


def test_the_retention_period_is_told_in_the_join_notice(client, live_workshop):
    Workshop.objects.filter(pk=live_workshop.pk).update(personal_data_retention_days=180)
    page = client.get(reverse("join_workshop", kwargs={"code": live_workshop.join_code}))
    text = page.content.decode()
    assert "6 mois après la fin de l" in text
    assert "Mes données" in text and "porteur du défi" in text


def test_retention_labels_read_naturally():
    assert (retention_label(365), retention_label(90), retention_label(10)) == (
        "1 an",
        "3 mois",
        "10 jours",
    )


def test_the_facilitator_sets_the_retention_within_bounds(client, facilitator, workshop):
    client.force_login(facilitator)
    url = reverse("workshop_retention", kwargs={"pk": workshop.pk})
    assert client.post(url, {"days": "3"}).status_code == 200  # under the minimum
    assert client.post(url, {"days": "90"}).status_code == 302
    workshop.refresh_from_db()
    assert workshop.personal_data_retention_days == 90
