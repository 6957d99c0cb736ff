"""The big screen when the database cannot write (docs/reliability.md): a clear alert,
kept while nothing is written, gone once a write succeeds again; the screen's own
command is kept and sent again, and lands once."""

import pytest
from asgiref.sync import async_to_sync
from playwright.sync_api import expect

from ateliers import actions
from participation.actions import contribution_create, participant_join
from realtime import failures
from realtime.models import CommandReceipt
from tests.e2e.helpers import logged_in, on_server
from tests.factories import ChallengeFactory, UserFactory
from tests.test_faults import start_fault, stop_fault

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop():
    user = UserFactory(username="animatrice")
    challenge = ChallengeFactory(leads=[user])
    workshop = actions.workshop_create(user=user, challenge=challenge, title="Atelier en panne")
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    return workshop


def test_the_big_screen_says_when_nothing_can_be_written_and_recovers(live_url, browser, workshop):
    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1600, "height": 900},
    )
    alert = screen.locator("[data-bind=storage-alert]")
    expect(screen.locator("[data-bind=status]")).to_have_text("")  # connected
    expect(alert).to_be_hidden()

    # The screen's own command fails: the alert shows, the command is kept. Every write
    # command inserts an event: those inserts are refused as a read-only database would.
    injected = on_server(start_fault, table="realtime_workshopevent", code=failures.READ_ONLY)
    try:
        screen.get_by_role("button", name="Lancer").click()
        expect(alert).to_be_visible(timeout=10000)
        expect(alert).to_contain_text(
            "Enregistrement impossible : la base de données est en lecture seule."
        )
        expect(alert).to_contain_text("renvoyées automatiquement")
        screen.wait_for_timeout(3000)
        expect(alert).to_be_visible()  # persistent while the command keeps failing
    finally:
        # Writable again: the resent command lands (once) and the alert goes.
        on_server(stop_fault, manager=injected)
    expect(alert).to_be_hidden(timeout=15000)
    expect(screen.locator("[data-bind=timer]")).not_to_have_text("")
    assert CommandReceipt.objects.filter(workshop=workshop).count() == 1  # applied once

    # Phones' failures reach the screen even when it sends nothing: the server's notice.
    on_server(
        async_to_sync(failures.notify_screens),
        workshop_id=workshop.pk,
        failure=failures.Failure(failures.FULL, "…"),
    )
    expect(alert).to_contain_text("le disque du serveur est plein", timeout=10000)
    # … until a new write shows up (here a phone's idea).
    phone = on_server(participant_join, workshop=workshop, device_token="p1", profile="usager")
    on_server(
        contribution_create,
        participant=phone,
        activity_id=workshop.current_activity_id,
        body="Revenu",
    )
    expect(alert).to_be_hidden(timeout=10000)
