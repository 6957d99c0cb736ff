"""Editing the agenda from the workshop's page: templates, add, edit, reorder, delete,
and the rules' refusals shown on the page."""

import pytest
from django.urls import reverse

from ateliers import actions
from ateliers.models import Workshop
from participation import actions as participation_actions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def activity_data(**changes) -> dict:
    return {
        "title": "Solutions",
        "prompt": "Que proposez-vous ?",
        "columns": "Rapide\nAmbitieux\n",
        "identity": "pseudonymous",
        "reactions": "on",
        "max_notes": "5",
        **changes,
    }


def test_a_workshop_is_created_from_the_simplificathon_template(client, facilitator, challenge):
    client.force_login(facilitator)
    page = client.get(reverse("workshop_create", kwargs={"pk": challenge.pk})).content.decode()
    assert "Simplificathon" in page and "Idéation + vote" in page
    client.post(
        reverse("workshop_create", kwargs={"pk": challenge.pk}),
        {"title": "Faisons simple", "template": "simplificathon"},
    )
    workshop = Workshop.objects.get()
    assert [a.title for a in workshop.activities.order_by("position")] == [
        "Irritants",
        "Solutions",
        "Priorités",
    ]


def test_an_activity_is_added_edited_moved_and_deleted_from_the_page(client, facilitator, workshop):
    client.force_login(facilitator)
    response = client.post(reverse("activity_add", kwargs={"pk": workshop.pk}), activity_data())
    assert response["Location"] == reverse("workshop_detail", kwargs={"pk": workshop.pk})
    added = workshop.activities.get(title="Solutions")
    assert [c["label"] for c in added.columns] == ["Rapide", "Ambitieux"]
    assert added.identity == "pseudonymous" and added.reactions and added.max_notes == 5

    client.post(
        reverse("activity_edit", kwargs={"pk": workshop.pk, "activity_id": added.pk}),
        activity_data(title="Pistes", columns="Rapide", reactions=""),
    )
    added.refresh_from_db()
    assert added.title == "Pistes" and not added.reactions and len(added.columns) == 1

    client.post(reverse("activity_up", kwargs={"pk": workshop.pk, "activity_id": added.pk}))
    assert workshop.activities.order_by("position").first().pk == added.pk
    client.post(reverse("activity_delete", kwargs={"pk": workshop.pk, "activity_id": added.pk}))
    assert not workshop.activities.filter(pk=added.pk).exists()


def test_a_rule_refusal_is_shown_on_the_form_and_nothing_changes(
    client, facilitator, live_workshop
):
    client.force_login(facilitator)
    activity = live_workshop.current_activity
    person = participation_actions.participant_join(
        workshop=live_workshop, device_token="d", profile="usager"
    )
    participation_actions.contribution_create(
        participant=person, activity_id=activity.pk, body="Déjà écrit anonymement"
    )
    response = client.post(
        reverse("activity_edit", kwargs={"pk": live_workshop.pk, "activity_id": activity.pk}),
        activity_data(identity="named", columns=""),
    )
    assert response.status_code == 200
    assert "leur signature ne change plus" in response.content.decode()
    activity.refresh_from_db()
    assert activity.identity == "anonymous"


def test_someone_who_does_not_facilitate_the_workshop_cannot_touch_its_agenda(client, workshop):
    client.force_login(UserFactory())
    activity = workshop.activities.get()
    for url in (
        reverse("activity_add", kwargs={"pk": workshop.pk}),
        reverse("activity_edit", kwargs={"pk": workshop.pk, "activity_id": activity.pk}),
        reverse("workshop_moderate", kwargs={"pk": workshop.pk}),
    ):
        assert client.get(url).status_code in (403, 404)
    response = client.post(
        reverse("activity_delete", kwargs={"pk": workshop.pk, "activity_id": activity.pk})
    )
    assert response.status_code in (403, 404)
    assert workshop.activities.filter(pk=activity.pk).exists()


def test_the_workshop_page_lists_the_agenda_with_its_settings(client, facilitator, challenge):
    workshop = actions.workshop_create(
        user=facilitator, challenge=challenge, title="T", template="simplificathon"
    )
    client.force_login(facilitator)
    page = client.get(reverse("workshop_detail", kwargs={"pk": workshop.pk})).content.decode()
    assert "e-administration" in page and "mode privé" in page
    assert reverse("workshop_moderate", kwargs={"pk": workshop.pk}) in page


def test_a_dot_vote_and_a_rating_are_added_from_the_page(client, facilitator, workshop):
    client.force_login(facilitator)
    board = workshop.activities.get()
    response = client.post(
        reverse("vote_add", kwargs={"pk": workshop.pk}),
        {
            "title": "Priorités",
            "source_id": str(board.pk),
            "vote_target": "notes",
            "votes_per_person": "3",
            "max_per_item": "1",
            "private": "on",
            "anonymous_votes": "on",
        },
    )
    assert response["Location"] == reverse("workshop_detail", kwargs={"pk": workshop.pk})
    vote = workshop.activities.get(title="Priorités")
    assert (vote.kind, vote.source_id, vote.votes_per_person, vote.max_per_item) == (
        "vote",
        board.pk,
        3,
        1,
    )
    assert vote.private and vote.anonymous_votes

    client.post(
        reverse("rating_add", kwargs={"pk": workshop.pk}),
        {
            "title": "Matrice",
            "source_id": str(board.pk),
            "vote_target": "notes",
            "votes_per_person": "5",
            "max_per_item": "1",
            "axis_x": "Impact",
            "axis_y": "Coût",
        },
    )
    rating = workshop.activities.get(title="Matrice")
    assert rating.kind == "rating" and rating.axis_y == "Coût" and not rating.private
    page = client.get(reverse("workshop_detail", kwargs={"pk": workshop.pk})).content.decode()
    assert "3 points par personne, 1 au plus par élément" in page


def test_a_vote_with_more_points_per_item_than_points_is_refused_on_the_page(
    client, facilitator, workshop
):
    client.force_login(facilitator)
    response = client.post(
        reverse("vote_add", kwargs={"pk": workshop.pk}),
        {"title": "Vote", "vote_target": "notes", "votes_per_person": "2", "max_per_item": "3"},
    )
    assert response.status_code == 200
    assert "nombre de points par personne" in response.content.decode()
    assert not workshop.activities.filter(kind="vote").exists()
