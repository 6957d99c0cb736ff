"""Markup in a note is text on the big screen and on the phone: shown literally, never
run, whether it arrives in the first snapshot or live (docs/hostile-inputs.md, row 21)."""

import pytest
from playwright.sync_api import expect

from ateliers import actions
from participation import actions as participation_actions
from tests.e2e.helpers import logged_in, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"
LIVE = '<svg onload="window.__pwned=1"></svg> <a href="javascript:window.__pwned=1">lien</a>'


def test_markup_in_a_note_is_shown_as_text_on_the_screen_and_the_phone(live_url, browser):
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user, challenge=ChallengeFactory(leads=[user]), title="Atelier piégé"
    )
    actions.workshop_start(user=user, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    author = participation_actions.participant_join(
        workshop=workshop, device_token="auteur", profile="usager"
    )
    for body in (IMG, SCRIPT):
        participation_actions.contribution_create(
            participant=author, activity_id=workshop.current_activity_id, body=body
        )

    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1920, "height": 1080},
    )
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    ).new_page()
    phone.goto(f"{live_url}/rejoindre/{workshop.join_code}/")
    phone.get_by_text("Agent·e public·que").click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()

    screen_board = screen.locator("[data-bind=board]")
    phone_board = phone.locator("[data-bind=board]")
    for board in (screen_board, phone_board):
        for body in (IMG, SCRIPT):
            expect(board.get_by_text(body, exact=True)).to_be_visible()

    # A note that arrives live goes through the event path, not the snapshot's.
    on_server(
        participation_actions.contribution_create,
        participant=author,
        activity_id=workshop.current_activity_id,
        body=LIVE,
    )
    for board in (screen_board, phone_board):
        expect(board.get_by_text(LIVE, exact=True)).to_be_visible()
        # No element was made from a note: the markup is only text.
        injected = board.locator("img[src='x'], script, svg[onload], a[href^='javascript']")
        assert injected.count() == 0
    for page in (screen, phone):
        assert page.evaluate("typeof window.__pwned") == "undefined"
