"""The facilitator's and project lead's pages: login, creation, permissions, big screen."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers import actions
from ateliers.errors import Forbidden, InvalidInput, NotFound
from ateliers.models import BudgetLine, Challenge, Workshop
from tests.factories import UserFactory, WorkshopFactory

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


def test_self_financing_above_a_budget_line_is_refused(client, facilitator, challenge):
    """The budget is a table of lines; a line's self-financing may not exceed its amount."""
    client.force_login(facilitator)
    url = reverse("dossier_section", kwargs={"pk": challenge.pk, "section": "budget"})
    data = {
        "lignes-TOTAL_FORMS": "2",
        "lignes-INITIAL_FORMS": "0",
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "1000",
        "lignes-0-label": "Design",
        "lignes-0-amount": "1000",
        "lignes-0-self_financed": "2000",
        "lignes-1-label": "Animation",
        "lignes-1-amount": "500",
        "lignes-1-self_financed": "100",
        "budget-budget_comment": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ne peut pas dépasser le montant de la ligne" in response.content.decode()
    assert not BudgetLine.objects.exists()

    data["lignes-0-self_financed"] = "200"
    assert client.post(url, data).status_code == 302
    assert [(line.label, line.self_financed) for line in challenge.budget_lines.all()] == [
        ("Design", Decimal("200.00")),
        ("Animation", Decimal("100.00")),
    ]


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
    """Not even its existence: 404, as for a workshop that does not exist."""
    client.force_login(UserFactory())
    assert client.get(reverse("workshop_screen", kwargs={"pk": workshop.pk})).status_code == 404
    assert (
        client.get(reverse("challenge_detail", kwargs={"pk": workshop.challenge_id})).status_code
        == 404
    )
    assert client.post(reverse("workshop_start", kwargs={"pk": workshop.pk})).status_code == 404
    workshop.refresh_from_db()
    assert workshop.state == "draft"


def test_a_facilitator_of_another_workshop_of_the_challenge_gets_403(client, workshop):
    """They see the challenge (and this workshop's title on it), but do not run it."""
    colleague = UserFactory()
    WorkshopFactory(challenge=workshop.challenge, facilitators=[colleague])
    client.force_login(colleague)
    page = client.get(reverse("challenge_detail", kwargs={"pk": workshop.challenge_id}))
    assert page.status_code == 200
    assert workshop.title in page.content.decode()
    assert reverse("workshop_detail", kwargs={"pk": workshop.pk}) not in page.content.decode()
    assert client.get(reverse("workshop_screen", kwargs={"pk": workshop.pk})).status_code == 403
    assert client.get(reverse("workshop_edit", kwargs={"pk": workshop.pk})).status_code == 403
    assert (
        client.get(reverse("workshop_create", kwargs={"pk": workshop.challenge_id})).status_code
        == 403
    )


def test_a_workshop_is_created_with_its_format_and_methods(client, facilitator, challenge):
    client.force_login(facilitator)
    form = client.get(reverse("workshop_create", kwargs={"pk": challenge.pk})).content.decode()
    assert 'value="entretiens"' in form
    assert 'value="ideation"' not in form.split('name="extra_methods"')[0][-200:]
    client.post(
        reverse("workshop_create", kwargs={"pk": challenge.pk}),
        {
            "title": "Atelier en ligne",
            "mode": "en_ligne",
            "extra_methods": ["personas", "entretiens"],
            "template": "ideation",
        },
    )
    workshop = Workshop.objects.get()
    assert workshop.mode == "en_ligne"
    assert workshop.extra_methods == ["entretiens", "personas"]  # in the order of Method


def test_a_workshop_facilitator_corrects_its_facts(client, workshop):
    """The facilitator (not a lead) of the workshop edits title, place, date, format and
    methods; the page shows them."""
    runner = UserFactory()
    workshop.facilitators.add(runner)
    client.force_login(runner)
    url = reverse("workshop_edit", kwargs={"pk": workshop.pk})
    page = client.get(url).content.decode()
    assert 'value="Atelier test"' in page
    response = client.post(
        url,
        {
            "title": "Atelier du 3 mars",
            "place": "Nevers",
            "starts_at": "2025-03-03T14:00",
            "mode": "hybride",
            "extra_methods": ["immersion"],
        },
    )
    assert response["Location"] == reverse("workshop_detail", kwargs={"pk": workshop.pk})
    workshop.refresh_from_db()
    assert (workshop.title, workshop.place, workshop.mode, workshop.extra_methods) == (
        "Atelier du 3 mars",
        "Nevers",
        "hybride",
        ["immersion"],
    )
    assert timezone.localtime(workshop.starts_at).strftime("%Y-%m-%d %H:%M") == "2025-03-03 14:00"
    detail = client.get(reverse("workshop_detail", kwargs={"pk": workshop.pk})).content.decode()
    assert "Hybride" in detail
    assert "Immersion, observation" in detail

    bad = client.post(url, {"title": "", "mode": "hybride"})
    assert bad.status_code == 200
    workshop.refresh_from_db()
    assert workshop.title == "Atelier du 3 mars"


def test_workshop_update_refuses_unknown_methods_and_strangers(facilitator, workshop):
    with pytest.raises(InvalidInput):
        actions.workshop_update(
            user=facilitator, workshop_id=workshop.pk, title="T", extra_methods=["magie"]
        )
    with pytest.raises(InvalidInput):
        actions.workshop_update(user=facilitator, workshop_id=workshop.pk, title="T", mode="x")
    with pytest.raises(NotFound):
        actions.workshop_update(user=UserFactory(), workshop_id=workshop.pk, title="T")
    colleague = UserFactory()
    WorkshopFactory(challenge=workshop.challenge, facilitators=[colleague])
    with pytest.raises(Forbidden):
        actions.workshop_update(user=colleague, workshop_id=workshop.pk, title="T")
    workshop.refresh_from_db()
    assert workshop.title == "Atelier test"


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
    assert Workshop.objects.count() == 2  # the ideation workshop and the journey map
    workshop, journey = Workshop.objects.order_by("pk")
    assert f"http://127.0.0.1:8000/ateliers/{workshop.pk}/ecran/" in out
    assert f"http://127.0.0.1:8000/ateliers/{journey.pk}/" in out
    assert journey.activities.filter(kind="journey").exists()
    assert "http://127.0.0.1:8000/rejoindre/" in out
    assert "http://127.0.0.1:8000/connexion/" in out
