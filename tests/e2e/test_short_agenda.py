"""A short agenda run end to end, as a facilitator runs it: the big screen and two
phones in Chromium. The facilitator starts, the phones post and react, the facilitator
moves on with the keyboard while a participant is typing (the draft survives and is
still sent to the activity it was written for), closes contributions, runs the timer,
and comes back; every phone follows by itself."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ateliers import actions, agenda
from participation.models import Contribution
from tests.e2e.helpers import assert_accessible, logged_in
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop():
    """Two boards: ideas with +1s, then a board in two columns, pseudonymous."""
    user = UserFactory(username="animatrice")
    challenge = ChallengeFactory(leads=[user])
    workshop = actions.workshop_create(
        user=user, challenge=challenge, title="Atelier accueil", prompt="Qu'est-ce qui bloque ?"
    )
    board = workshop.activities.get()
    agenda.activity_update(
        user=user,
        workshop_id=workshop.pk,
        activity_id=board.pk,
        title="Irritants",
        prompt="Qu'est-ce qui bloque ?",
        columns=[],
        identity="anonymous",
        private=False,
        reactions=True,
        max_notes=10,
    )
    agenda.activity_add(
        user=user,
        workshop_id=workshop.pk,
        title="Solutions",
        prompt="Que proposez-vous ?",
        columns=["Rapide", "Ambitieux"],
        identity="pseudonymous",
    )
    return workshop


def join(browser: Browser, live_url: str, code: str, profile: str) -> Page:
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    ).new_page()
    phone.goto(f"{live_url}/rejoindre/{code}/")
    phone.get_by_text(profile).click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()
    return phone


def post(phone: Page, text: str) -> None:
    phone.get_by_label("Votre idée").fill(text)
    phone.get_by_role("button", name="Envoyer", exact=True).click()
    expect(phone.locator("[data-bind=mine] li").filter(has_text=text)).to_contain_text("Reçue")


def test_a_short_agenda_with_a_big_screen_and_two_phones(live_url, browser, workshop):
    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1600, "height": 900},
    )
    screen.get_by_role("button", name="Démarrer l'atelier").click()
    expect(screen.locator("[aria-current=step]")).to_contain_text("Irritants")

    lea = join(browser, live_url, workshop.join_code, "Usager·e")
    sam = join(browser, live_url, workshop.join_code, "Agent·e public·que")
    for phone in (lea, sam):
        expect(phone.get_by_role("heading", level=1)).to_have_text("Irritants")
        expect(phone.get_by_text("Contributions ouvertes")).to_be_visible()

    # Léa posts; the big screen and Sam's phone show it; Sam gives it a +1.
    post(lea, "Trop d'attente au guichet")
    wall = screen.locator("[data-bind=board]")
    expect(wall.locator("li", has_text="Trop d'attente au guichet")).to_have_count(1)
    on_sam = sam.locator("[data-bind=board] li", has_text="Trop d'attente au guichet")
    on_sam.get_by_role("button", name="+1").click()
    expect(on_sam.get_by_role("button", name="+1")).to_have_attribute("aria-pressed", "true")
    expect(lea.locator("[data-bind=board] li", has_text="Trop d'attente")).to_contain_text("+1 (1)")

    # Sam is typing when the facilitator moves on (→): the text is kept for "Irritants",
    # which stays open, and is sent there.
    sam.get_by_label("Votre idée").fill("Les horaires ne conviennent pas")
    screen.locator("body").click(position={"x": 5, "y": 5})
    screen.keyboard.press("ArrowRight")
    expect(screen.locator("[aria-current=step]")).to_contain_text("Solutions")
    for phone in (lea, sam):
        expect(phone.get_by_role("heading", level=1)).to_have_text("Solutions")
    draft = sam.get_by_role("region", name="Brouillon pour « Irritants »")
    expect(draft).to_contain_text("Les horaires ne conviennent pas")
    draft.get_by_role("button", name="Envoyer dans « Irritants »").click()
    expect(draft).to_have_count(0)
    expect(
        sam.locator("[data-bind=mine] li").filter(has_text="Les horaires ne conviennent pas")
    ).to_contain_text("Reçue")

    # On the second board Léa picks a column and signs with her pseudonym.
    expect(lea.get_by_text("signées de votre pseudonyme")).to_be_visible()
    lea.locator("[data-bind=compose]").get_by_role("group", name="Catégorie").get_by_text(
        "Rapide", exact=True
    ).click()
    post(lea, "Prise de rendez-vous en ligne")
    expect(wall.locator("li", has_text="Prise de rendez-vous en ligne")).to_have_count(1)

    # The facilitator closes contributions (O) and starts the timer: phones follow.
    screen.keyboard.press("o")
    for phone in (lea, sam):
        expect(phone.get_by_text("Contributions fermées")).to_be_visible()
        expect(phone.get_by_role("button", name="Envoyer", exact=True)).to_be_disabled()
    screen.get_by_label("Durée du minuteur").select_option("2")
    screen.get_by_role("button", name="Lancer").click()
    for phone in (screen, lea, sam):
        expect(phone.get_by_role("timer")).to_have_text(re.compile(r"^0[12]:\d\d$"))

    # Back to the first board (←): still open, everyone's notes there.
    screen.keyboard.press("ArrowLeft")
    for phone in (lea, sam):
        expect(phone.get_by_role("heading", level=1)).to_have_text("Irritants")
        expect(phone.locator("[data-bind=board] li")).to_have_count(2)
    expect(wall.locator("li.cocon-note")).to_have_count(2)
    assert_accessible(screen)
    assert_accessible(lea)

    stored = dict(Contribution.objects.values_list("body", "activity__title"))
    assert stored == {
        "Trop d'attente au guichet": "Irritants",
        "Les horaires ne conviennent pas": "Irritants",
        "Prise de rendez-vous en ligne": "Solutions",
    }
