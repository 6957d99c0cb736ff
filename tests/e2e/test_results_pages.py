"""The results page in Chromium: a lead reads the figures of a finished workshop, records
a decision with the keyboard-usable form beside a voted item, puts the public page on
line, and a participant opens it on a phone without logging in."""

import os

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.helpers import assert_accessible, logged_in
from tests.factories import UserFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("COCON_SCREENSHOTS")  # a folder: keep screenshots to look at


def test_a_lead_decides_and_participants_see_what_became_of_their_notes(
    browser: Browser, live_url: str
):
    lead = UserFactory(username="porteuse")
    seed = seed_evidence_workshop(lead)
    item = seed.items["papiers"]
    page = logged_in(
        browser,
        f"{live_url}/ateliers/{seed.workshop.pk}/resultats/",
        {"width": 1280, "height": 900},
        username="porteuse",
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accueil en mairie")
    expect(page.get_by_role("table", name="Participant·es par profil")).to_contain_text(
        "moins de 5"
    )
    assert_accessible(page)
    row = page.locator(f"#vote_item-{item.pk}")
    row.get_by_text("Décider").click()
    row.get_by_label("Décision").select_option(label="Retenu")
    row.get_by_label("Suite donnée dans le projet").fill("Formulaire simplifié, prototype v2")
    row.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La décision est enregistrée.")).to_be_visible()
    expect(page.locator(f"#vote_item-{item.pk}")).to_contain_text("Retenu")
    trace = page.locator(".fr-callout").first
    expect(trace).to_contain_text("Contribution « Trop de papiers à fournir »")
    expect(trace).to_contain_text("rang 1, 5 points")
    page.get_by_role("button", name="Mettre la page en ligne").click()
    link = page.locator("#page-publique ~ p a").first
    public_url = link.get_attribute("href")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/results.png", full_page=True)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="fr-FR"
    ).new_page()
    phone.goto(public_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Ce que sont devenues vos contributions"
    )
    decisions = phone.locator(".cocon-public-decisions")
    expect(decisions).to_contain_text("Trop de papiers à fournir")
    expect(decisions).to_contain_text("Formulaire simplifié, prototype v2")
    expect(phone.locator("main")).not_to_contain_text("Camille Dupont")
    assert_accessible(phone)
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/public.png", full_page=True)
