"""Framing a journey map from the workshop's page: the form's stages (one per line, in
order), its lanes (renamed, turned off, one added), its pairing, and the button that
sends the irritants to a vote."""

import pytest
from django.urls import reverse

from ateliers import actions
from ateliers.models import ActivityKind
from participation import actions as participation_actions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def journey_data(**changes) -> dict:
    data = {
        "title": "Parcours RSA",
        "prompt": "",
        "persona": "Une allocataire de 58 ans",
        "scenario": "Renouveler ses droits",
        "horizon": "as_is",
        "pair_id": "",
        "stages": "Découvrir\nS'informer\nDéposer\n",
        "identity": "anonymous",
        "max_notes": "30",
    }
    for n, label in enumerate(
        ["Ce qu'elle fait", "Points de contact", "Ce qu'elle pense", "Irritants", "Opportunités"]
    ):
        data[f"lane_{n}_label"] = label
        data[f"lane_{n}_enabled"] = "on"
    return {**data, **changes}


def test_a_map_is_framed_then_reframed_from_its_form(client, facilitator, workshop):
    client.force_login(facilitator)
    page = client.get(reverse("journey_add", kwargs={"pk": workshop.pk})).content.decode()
    assert "Nouvelle activité : parcours usager" in page and "Qui voyage" in page
    assert "Découvrir le besoin" in page  # the usual stages, ready to edit
    response = client.post(reverse("journey_add", kwargs={"pk": workshop.pk}), journey_data())
    assert response["Location"] == reverse("workshop_detail", kwargs={"pk": workshop.pk})
    journey = workshop.activities.get(kind=ActivityKind.JOURNEY)
    assert [c["label"] for c in journey.columns] == ["Découvrir", "S'informer", "Déposer"]
    assert journey.persona == "Une allocataire de 58 ans"
    keys = [c["key"] for c in journey.columns]

    url = reverse("activity_edit", kwargs={"pk": workshop.pk, "activity_id": journey.pk})
    page = client.get(url).content.decode()
    assert "Ligne 4 (Irritants)" in page and "Ajouter une ligne" in page
    client.post(
        url,
        journey_data(
            stages="Déposer\nDécouvrir\nS'informer\nAttendre",
            lane_0_enabled="",  # turned off
            lane_2_label="Ce qu'elle ressent",
            lane_5_label="Émotions des agents",  # one more
            lane_5_enabled="on",
        ),
    )
    journey.refresh_from_db()
    assert [c["key"] for c in journey.columns][:3] == [keys[2], keys[0], keys[1]]
    assert [lane["enabled"] for lane in journey.lanes] == [False, True, True, True, True, True]
    assert journey.lanes[2]["label"] == "Ce qu'elle ressent"
    assert journey.lanes[5] == {
        "key": "l6",
        "label": "Émotions des agents",
        "kind": "other",
        "enabled": True,
    }


def test_a_refused_frame_is_shown_on_the_form_and_nothing_changes(client, facilitator, workshop):
    client.force_login(facilitator)
    page = client.post(
        reverse("journey_add", kwargs={"pk": workshop.pk}), journey_data(stages="Une seule")
    ).content.decode()
    assert "au moins deux étapes" in page
    assert not workshop.activities.filter(kind=ActivityKind.JOURNEY).exists()


def test_the_irritants_button_adds_a_vote_after_the_map(client, facilitator, challenge):
    workshop = actions.workshop_create(
        user=facilitator, challenge=challenge, title="Parcours", template="parcours"
    )
    actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    journey = workshop.activities.get(kind=ActivityKind.JOURNEY)
    person = participation_actions.participant_join(
        workshop=workshop, device_token="a", profile="usager"
    )
    participation_actions.contribution_create(
        participant=person, activity_id=journey.pk, body="Attente", column="c2", lane="l4"
    )
    client.force_login(facilitator)
    detail = client.get(reverse("workshop_detail", kwargs={"pk": workshop.pk})).content.decode()
    assert "Voter sur les irritants" in detail
    url = reverse("journey_vote", kwargs={"pk": workshop.pk, "activity_id": journey.pk})
    client.post(url)
    titles = list(workshop.activities.order_by("position").values_list("title", "source_id"))
    assert titles[1] == ("Irritants prioritaires", journey.pk)
    assert len(titles) == 3

    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    assert workshop.activities.count() == 3


def test_the_big_screen_gets_a_json_answer_from_the_irritants_button(
    client, facilitator, challenge
):
    workshop = actions.workshop_create(
        user=facilitator, challenge=challenge, title="Parcours", template="parcours"
    )
    journey = workshop.activities.get(kind=ActivityKind.JOURNEY)
    client.force_login(facilitator)
    url = reverse("journey_vote", kwargs={"pk": workshop.pk, "activity_id": journey.pk})
    answer = client.post(url, headers={"Accept": "application/json"})
    assert answer.status_code == 201
    assert workshop.activities.filter(pk=answer.json()["activity_id"], source=journey).exists()
    vote = workshop.activities.filter(kind=ActivityKind.VOTE).first()
    wrong = reverse("journey_vote", kwargs={"pk": workshop.pk, "activity_id": vote.pk})
    refused = client.post(wrong, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and "parcours" in refused.json()["message"]
    assert workshop.activities.count() == 3  # the refused one left nothing behind
