"""The dossier in a real browser: the lead sees what is missing, fills a section, types a
budget line whose self-financing exceeds its amount, reads the error beside it, fixes it
and sees the totals; a facilitator of the challenge reads it without edit buttons.
axe-core on every page, on a desk and a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from ateliers.models import BudgetLine
from tests.e2e.helpers import assert_accessible, logged_in
from tests.factories import ChallengeFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def challenge():
    lead = UserFactory(username="porteuse")
    return ChallengeFactory(
        leads=[lead], title="Simplifier la demande d'aide au logement", problem="Abandons"
    )


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_lead_completes_the_dossier(browser, live_url, challenge, viewport):
    page = logged_in(browser, f"{live_url}/defis/{challenge.pk}/dossier/", viewport, "porteuse")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dossier du défi")
    alert = page.locator("#completude")
    expect(alert).to_contain_text("Solutions à développer : à renseigner.")
    expect(alert).to_contain_text("ajoutez au moins une ligne de dépense")
    assert_accessible(page)

    # A missing item's link leads to its field.
    alert.get_by_role("link", name=re.compile("Solutions à développer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Présenter vos intentions")
    page.get_by_label("Solutions à développer").fill("Une liste de pièces adaptée.")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Section « Présenter vos intentions » enregistrée.")).to_be_visible()
    expect(alert).not_to_contain_text("Solutions à développer")

    page.get_by_role("link", name="Modifier la section « Budget prévisionnel »").click()
    page.get_by_label("Poste de dépense, ligne 1").fill("Design de service")
    page.get_by_label("Montant (€), ligne 1").fill("1 000")
    page.get_by_label("Dont autofinancement (€), ligne 1").fill("2 000")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("ne peut pas dépasser le montant de la ligne")).to_be_visible()
    expect(page.get_by_label("Dont autofinancement (€), ligne 1")).to_have_value("2 000")
    assert_accessible(page)
    assert not BudgetLine.objects.exists()

    page.get_by_label("Dont autofinancement (€), ligne 1").fill("250")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    budget = page.locator("#budget")
    expect(budget.get_by_role("table")).to_contain_text("1\u00a0000,00 €")
    expect(budget).to_contain_text("Part d'autofinancement : 25,0 %")
    expect(budget).to_contain_text("750,00 €")
    assert_accessible(page)


def test_a_facilitator_of_the_challenge_reads_it_only(browser, live_url, challenge):
    reader = UserFactory(username="animateur-lecture")
    WorkshopFactory(challenge=challenge, facilitators=[reader])
    page = logged_in(
        browser, f"{live_url}/defis/{challenge.pk}/dossier/", DESK, "animateur-lecture"
    )
    expect(page.get_by_text("Lecture seule")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Modifier"))).to_have_count(0)
    assert_accessible(page)


def test_challenge_and_workshop_pages_are_accessible(browser, live_url, challenge):
    """The challenge page, the dashboard, and the workshop's creation and facts pages,
    where the format and the methods are chosen."""
    page = logged_in(browser, f"{live_url}/defis/{challenge.pk}/", DESK, "porteuse")
    expect(page.get_by_role("link", name="Compléter le dossier")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nouvel atelier").click()
    page.get_by_label("Titre de l'atelier").fill("Atelier en ligne")
    page.locator("label[for=id_mode_1]").click()  # the DSFR draws the radio on its label
    page.locator("label", has_text="Entretiens").click()
    assert_accessible(page)
    page.get_by_role("button", name="Créer l'atelier").click()
    expect(page.get_by_text("Format : En ligne")).to_be_visible()
    expect(page.get_by_text("Autres méthodes : Entretiens")).to_be_visible()
    page.get_by_role("link", name="Modifier les informations de l'atelier").click()
    expect(page.get_by_label("Entretiens")).to_be_checked()
    page.locator("label", has_text="Personas").click()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Autres méthodes : Entretiens, Personas")).to_be_visible()
    page.goto(f"{live_url}/tableau-de-bord/")
    assert_accessible(page)
