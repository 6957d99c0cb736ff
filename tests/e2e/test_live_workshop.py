"""A workshop in a real browser: the big screen and a phone, joined by code, an idea
posted live, then posted while offline and delivered once on reconnect; accessibility
checked with axe-core on every page the two meet."""

import re

import pytest
from playwright.sync_api import expect

from ateliers import actions
from participation.models import Contribution
from tests.e2e.helpers import assert_accessible, logged_in
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop():
    user = UserFactory(username="animatrice")
    challenge = ChallengeFactory(leads=[user])
    return actions.workshop_create(
        user=user, challenge=challenge, title="Atelier accueil", prompt="Qu'est-ce qui bloque ?"
    )


def test_a_phone_joins_by_code_and_its_ideas_reach_the_big_screen_even_after_going_offline(
    live_url, browser, workshop
):
    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1600, "height": 900},
    )
    code = screen.get_by_test_id("join-code").inner_text()
    assert code.replace("-", "") == workshop.join_code
    screen.get_by_role("button", name="Démarrer l'atelier").click()
    expect(screen.get_by_text("Contributions ouvertes")).to_be_visible()
    assert_accessible(screen)

    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    phone = phone_context.new_page()
    phone.goto(f"{live_url}/rejoindre/")
    assert_accessible(phone)
    phone.get_by_label("Code de l'atelier").fill(code.lower())
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.get_by_text("Vos données")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_text("Agent·e public·que").click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()
    expect(phone.get_by_text("Contributions ouvertes")).to_be_visible()

    phone.get_by_label("Votre idée").fill("Un rendez-vous en ligne")
    phone.get_by_role("button", name="Envoyer").click()
    mine = phone.locator("[data-bind=mine] li")
    expect(mine.filter(has_text="Un rendez-vous en ligne")).to_contain_text("Reçue")
    board = screen.locator("[data-bind=board] li")
    expect(board.filter(has_text="Un rendez-vous en ligne")).to_have_count(1)
    expect(screen.locator("[data-bind=connected]")).to_have_text("1")

    # The facilitator starts a 2-minute timer: both screens count down the same end time.
    screen.get_by_label("Durée du minuteur").select_option("2")
    screen.get_by_role("button", name="Lancer").click()
    expect(screen.get_by_role("timer")).to_have_text(re.compile(r"^0[12]:\d\d$"))
    expect(phone.get_by_role("timer")).to_have_text(re.compile(r"^0[12]:\d\d$"))
    assert_accessible(phone)
    assert_accessible(screen)

    # The phone loses the network: its idea waits, visibly, and is sent once on return.
    phone_context.set_offline(True)
    expect(phone.get_by_role("status")).to_contain_text("Hors connexion")
    phone.get_by_label("Votre idée").fill("Écrite dans le métro")
    phone.get_by_role("button", name="Envoyer").click()
    expect(mine.filter(has_text="Écrite dans le métro")).to_contain_text("En attente d'envoi")
    expect(board.filter(has_text="Écrite dans le métro")).to_have_count(0)

    phone_context.set_offline(False)
    expect(mine.filter(has_text="Écrite dans le métro")).to_contain_text("Reçue")
    expect(board.filter(has_text="Écrite dans le métro")).to_have_count(1)
    expect(board).to_have_count(2)

    # A reload shows the same thing: nothing lost, nothing doubled.
    phone.reload()
    expect(phone.locator("[data-bind=board] li")).to_have_count(2)
    expect(mine.filter(has_text="Reçue")).to_have_count(2)
    assert Contribution.objects.filter(activity__workshop=workshop).count() == 2

    # Written offline, refused on return (the facilitator closed contributions meanwhile):
    # the text stays on the phone, even after a reload.
    phone_context.set_offline(True)
    expect(phone.get_by_role("status")).to_contain_text("Hors connexion")
    phone.get_by_label("Votre idée").fill("Arrivée trop tard")
    phone.get_by_role("button", name="Envoyer").click()
    screen.get_by_role("button", name="Fermer les contributions").click()
    expect(screen.get_by_text("Contributions fermées")).to_be_visible()
    phone_context.set_offline(False)
    refused = mine.filter(has_text="Arrivée trop tard")
    expect(refused).to_contain_text("Non envoyée")
    phone.reload()
    expect(refused).to_contain_text("Non envoyée")
    assert Contribution.objects.filter(activity__workshop=workshop).count() == 2
    screen.context.close()
    phone_context.close()
