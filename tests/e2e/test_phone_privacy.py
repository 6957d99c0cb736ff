"""A participant's data from their phone, in a real browser: the join notice says what is
kept and for how long, "Mes données" shows it with a reference for the project lead, and
erasing it takes the person's note off the big screen at once."""

import re

import pytest
from playwright.sync_api import expect

from ateliers import actions
from participation.models import Contribution, Erasure, Participant
from tests.e2e.helpers import assert_accessible, logged_in, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_participant_reads_the_notice_sees_their_data_and_erases_it(live_url, browser):
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user,
        challenge=ChallengeFactory(leads=[user]),
        title="Atelier accueil",
        template="ideation_vote",
    )
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1920, "height": 1080},
    )

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    ).new_page()
    phone.goto(f"{live_url}/rejoindre/{workshop.join_code}/")
    notice = phone.locator("#notice")
    expect(notice).to_contain_text("1 an après la fin de l'atelier")
    expect(notice).to_contain_text("Mes données")
    expect(phone.get_by_text("Je préfère ne pas le dire")).to_be_visible()
    assert_accessible(phone)
    # Every field is optional: a name only.
    phone.get_by_label("Nom ou pseudo affiché").fill("Alex")
    phone.get_by_role("button", name="J'ai lu, je participe").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Irritants et idées")
    expect(phone.get_by_text("Contributions ouvertes")).to_be_visible()
    phone.get_by_label("Votre idée").fill("Un guichet unique")
    phone.locator("[data-bind=compose]").get_by_role("group", name="Catégorie").get_by_text(
        "Idées", exact=True
    ).click()
    phone.get_by_role("button", name="Envoyer", exact=True).click()
    expect(phone.locator("[data-bind=mine] li")).to_contain_text("Reçue")
    on_screen = screen.locator("[data-bind=board] li.cocon-note", has_text="Un guichet unique")
    expect(on_screen).to_have_count(1)

    phone.get_by_role("link", name="Mes données").click()
    stored = phone.get_by_test_id("my-data")
    expect(stored).to_contain_text("Alex")
    expect(stored).to_contain_text("Non renseigné")
    expect(phone.get_by_test_id("my-reference")).to_have_text(
        re.compile(r"^P-[0-9A-Z]{4}-[0-9A-Z]{2}$")
    )
    assert_accessible(phone)
    phone.get_by_role("button", name="Effacer mes contributions et mes données").click()
    expect(phone.get_by_text("Ce champ est obligatoire.")).to_be_visible()  # not confirmed
    phone.get_by_text("Je comprends que mes contributions").click()
    phone.get_by_role("button", name="Effacer mes contributions et mes données").click()
    expect(phone.get_by_role("heading", name="Vos données ont été effacées")).to_be_visible()
    assert_accessible(phone)

    expect(on_screen).to_have_count(0)
    assert not Participant.objects.filter(workshop=workshop).exists()
    assert not Contribution.objects.filter(body="Un guichet unique").exists()
    assert Erasure.objects.filter(workshop=workshop, source="participant").count() == 1
    # The phone is no longer in the workshop.
    phone.goto(f"{live_url}/participer/{workshop.pk}/")
    expect(phone).to_have_url(f"{live_url}/rejoindre/")
