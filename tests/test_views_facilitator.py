"""The facilitator's and project lead's pages: login, creation, permissions, big screen."""

import pytest
from django.urls import reverse

from ateliers.models import Challenge, Workshop
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client, workshop):
    for url in (
        reverse("dashboard"),
        reverse("challenge_create"),
        reverse("workshop_screen", kwargs={"pk": workshop.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_facilitator_creates_a_challenge_then_a_workshop_from_pages(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("challenge_create"), {"title": "Mieux accueillir", "maturity": "cadrage"}
    )
    challenge = Challenge.objects.get()
    assert response["Location"] == reverse("challenge_detail", kwargs={"pk": challenge.pk})
    assert list(challenge.leads.all()) == [facilitator]

    response = client.post(
        reverse("workshop_create", kwargs={"pk": challenge.pk}),
        {
            "title": "Atelier du 3 mars",
            "place": "Nevers",
            "prompt": "Vos irritants ?",
            "template": "ideation",
        },
    )
    workshop = Workshop.objects.get()
    assert response["Location"] == reverse("workshop_detail", kwargs={"pk": workshop.pk})
    assert workshop.activities.get().prompt == "Vos irritants ?"


def test_self_financing_above_the_budget_is_refused(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("challenge_create"),
        {"title": "T", "maturity": "cadrage", "budget_total": "1000", "self_financing": "2000"},
    )
    assert response.status_code == 200
    assert "dépasse le budget total" in response.content.decode()
    assert not Challenge.objects.exists()


def test_the_big_screen_shows_the_code_and_a_qr_code_of_the_join_link(
    client, facilitator, workshop
):
    client.force_login(facilitator)
    page = client.get(reverse("workshop_screen", kwargs={"pk": workshop.pk})).content.decode()
    code = workshop.join_code
    assert f"{code[:3]}-{code[3:]}" in page
    assert f"/rejoindre/{code}/" in page
    assert "<svg" in page


def test_someone_else_cannot_open_the_big_screen_or_the_challenge(client, workshop):
    client.force_login(UserFactory())
    assert client.get(reverse("workshop_screen", kwargs={"pk": workshop.pk})).status_code == 403
    assert (
        client.get(reverse("challenge_detail", kwargs={"pk": workshop.challenge_id})).status_code
        == 403
    )
    assert client.post(reverse("workshop_start", kwargs={"pk": workshop.pk})).status_code == 403
    workshop.refresh_from_db()
    assert workshop.state == "draft"


def test_starting_and_closing_from_the_workshop_page(client, facilitator, workshop):
    client.force_login(facilitator)
    client.post(reverse("workshop_start", kwargs={"pk": workshop.pk}))
    workshop.refresh_from_db()
    assert workshop.state == "live"
    client.post(reverse("workshop_close", kwargs={"pk": workshop.pk}))
    workshop.refresh_from_db()
    assert workshop.state == "closed"


def test_the_health_check_answers(client):
    assert client.get(reverse("health")).json() == {"status": "ok", "database": True}


def test_the_demo_seed_is_idempotent_and_prints_the_urls(db, capsys):
    from django.core.management import call_command

    call_command("seed_demo", base_url="http://127.0.0.1:8000")
    call_command("seed_demo", base_url="http://127.0.0.1:8000")
    out = capsys.readouterr().out
    assert Workshop.objects.count() == 1
    workshop = Workshop.objects.get()
    assert f"http://127.0.0.1:8000/ateliers/{workshop.pk}/ecran/" in out
    assert "http://127.0.0.1:8000/rejoindre/" in out
    assert "http://127.0.0.1:8000/connexion/" in out
