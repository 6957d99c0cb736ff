"""The project lead's personal-data pages: find a person by their reference or name,
export what is stored about them, erase it on request; nobody else gets in."""

import pytest
from django.urls import reverse

from participation.models import Contribution, Erasure, Participant
from participation.privacy import participant_reference
from tests.factories import ChallengeFactory, UserFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(facilitator):
    return seed_evidence_workshop(facilitator)


@pytest.fixture
def lead_client(client, facilitator):
    client.force_login(facilitator)
    return client


def urls(seed, person: Participant) -> dict[str, str]:
    pk = seed.workshop.challenge_id
    return {
        "list": reverse("challenge_people", kwargs={"pk": pk}),
        "export": reverse("person_export", kwargs={"pk": pk, "participant_id": person.pk}),
        "erase": reverse("person_erase", kwargs={"pk": pk, "participant_id": person.pk}),
    }


def test_a_lead_of_another_challenge_gets_404_everywhere(client, seed):
    """Another challenge's lead learns nothing, not even that the person exists."""
    other = UserFactory()
    ChallengeFactory(leads=[other])
    client.force_login(other)
    for url in urls(seed, seed.people["u1"]).values():
        assert client.get(url).status_code == 404
    erase = urls(seed, seed.people["u1"])["erase"]
    assert client.post(erase, {"confirm": "on"}).status_code == 404
    assert Participant.objects.filter(pk=seed.people["u1"].pk).exists()


def test_a_facilitator_who_is_not_lead_gets_403(client, seed):
    helper = UserFactory()
    seed.workshop.facilitators.add(helper)
    client.force_login(helper)
    for url in urls(seed, seed.people["u1"]).values():
        assert client.get(url).status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client, seed):
    login = reverse("login")
    for url in urls(seed, seed.people["u1"]).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login)


def test_a_person_is_found_by_reference_however_typed_or_by_name(lead_client, seed):
    camille = seed.people["u1"]
    reference = participant_reference(camille)
    typed = reference.lower().replace("-", "")
    page = lead_client.get(urls(seed, camille)["list"], {"q": typed}).content.decode()
    assert reference in page and "Camille Dupont" in page
    assert participant_reference(seed.people["a1"]) not in page
    page = lead_client.get(urls(seed, camille)["list"], {"q": "dupont"}).content.decode()
    assert reference in page


def test_the_export_is_everything_stored_about_the_person(lead_client, seed):
    camille = seed.people["u1"]
    response = lead_client.get(urls(seed, camille)["export"])
    data = response.json()
    assert response["Content-Disposition"].startswith("attachment")
    assert data["participant"]["display_name"] == "Camille Dupont"
    assert data["participant"]["territory"] == "Roubaix"
    assert data["contributions"][0]["body"] == "On ne sait pas qui appeler"
    assert {v["item"] for v in data["votes"]} == {"Trop de papiers à fournir"}
    assert data["ratings"][0]["axes"] == {"Impact": 3, "Faisabilité": 4}


def test_the_lead_erases_on_request_after_confirming(lead_client, seed, facilitator):
    camille = seed.people["u1"]
    reference = participant_reference(camille)
    page = urls(seed, camille)
    assert lead_client.post(page["erase"], {}).status_code == 400
    assert Participant.objects.filter(pk=camille.pk).exists()
    response = lead_client.post(page["erase"], {"confirm": "on"})
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=camille.pk).exists()
    assert not Contribution.objects.filter(body="On ne sait pas qui appeler").exists()
    (erasure,) = Erasure.objects.all()
    assert (erasure.reference, erasure.erased_by) == (reference, facilitator)
    listing = lead_client.get(page["list"]).content.decode()
    assert reference in listing and "Camille Dupont" not in listing
