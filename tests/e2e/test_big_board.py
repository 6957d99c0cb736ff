"""A board of 300 notes, as a plenary produces: the big screen lays them out at its
densest level and every note is there; a phone that joins late loads them all in its
first snapshot (about 90 KB: over Daphne's old 64 KiB limit, which dropped it silently)."""

import pytest
from playwright.sync_api import expect

from ateliers import actions, agenda
from participation import actions as participation_actions
from participation.models import Contribution
from tests.e2e.helpers import assert_accessible, logged_in
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
NOTES, PER_PERSON = 300, 10


@pytest.fixture
def crowded_workshop():
    user = UserFactory(username="animatrice")
    challenge = ChallengeFactory(leads=[user])
    workshop = actions.workshop_create(user=user, challenge=challenge, title="Plénière")
    board = workshop.activities.get()
    agenda.activity_update(
        user=user,
        workshop_id=workshop.pk,
        activity_id=board.pk,
        title="Idées",
        prompt="Une idée pour l'accueil ?",
        columns=["Irritants", "Idées"],
        identity="anonymous",
        private=False,
        reactions=False,
        max_notes=PER_PERSON,
    )
    board.refresh_from_db()
    keys = [c["key"] for c in board.columns]
    actions.workshop_start(user=user, workshop_id=workshop.pk)
    for n in range(NOTES):
        person = participation_actions.participant_join(
            workshop=workshop, device_token=f"device-{n // PER_PERSON}", profile="usager"
        )
        participation_actions.contribution_create(
            participant=person,
            activity_id=board.pk,
            body=f"Note {n:03d} : une proposition assez longue pour occuper deux lignes au mur",
            column=keys[n % 2],
        )
    assert Contribution.objects.count() == NOTES
    return workshop


def test_three_hundred_notes_reach_the_big_screen_and_a_late_phone(
    live_url, browser, crowded_workshop
):
    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{crowded_workshop.pk}/ecran/",
        {"width": 1920, "height": 1080},
    )
    notes = screen.locator("[data-bind=board] li.cocon-note")
    expect(notes).to_have_count(NOTES)
    expect(screen.locator("#live")).to_have_attribute("data-density", "5")  # the densest
    expect(notes.filter(has_text="Note 299")).to_have_count(1)
    assert_accessible(screen)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    ).new_page()
    phone.goto(f"{live_url}/rejoindre/{crowded_workshop.join_code}/")
    phone.get_by_text("Agent·e public·que").click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()
    expect(phone.locator("[data-bind=board] li")).to_have_count(NOTES)
    expect(phone.locator("[data-bind=count]")).to_have_text(str(NOTES))
