"""The big screen's last slide: once the workshop is closed, the join code gives way to a
QR code towards the public results page ("what became of your contributions"), which a
phone opens without logging in."""

import pytest
from playwright.sync_api import Browser, expect

from ateliers.decisions import public_results_set
from tests.e2e.helpers import logged_in
from tests.factories import UserFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_closed_workshops_screen_points_to_its_public_results(browser: Browser, live_url: str):
    lead = UserFactory(username="porteuse")
    seed = seed_evidence_workshop(lead)
    public_results_set(user=lead, workshop_id=seed.workshop.pk, on=True)
    screen = logged_in(
        browser,
        f"{live_url}/ateliers/{seed.workshop.pk}/ecran/",
        {"width": 1920, "height": 1080},
        username="porteuse",
    )
    closing = screen.get_by_test_id("closing")
    expect(closing).to_be_visible()
    expect(closing).to_contain_text("Merci pour vos contributions")
    expect(screen.get_by_test_id("join-code")).to_be_hidden()
    expect(closing.get_by_role("img", name="QR code vers http")).to_be_visible()
    results_url = screen.get_by_test_id("results-url").inner_text()
    assert "/resultats/" in results_url

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(results_url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Ce que sont devenues")
    expect(phone.locator("main")).to_contain_text(seed.workshop.title)


def test_without_a_public_page_the_last_slide_just_thanks_the_room(browser: Browser, live_url: str):
    lead = UserFactory(username="porteuse")
    seed = seed_evidence_workshop(lead)
    screen = logged_in(
        browser,
        f"{live_url}/ateliers/{seed.workshop.pk}/ecran/",
        {"width": 1920, "height": 1080},
        username="porteuse",
    )
    closing = screen.get_by_test_id("closing")
    expect(closing).to_contain_text("L'équipe projet vous dira")
    expect(screen.get_by_test_id("results-url")).to_have_count(0)
