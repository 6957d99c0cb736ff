"""A journey map over the real socket and channel layer: phones add cards to cells and
rate stages, the big screen gets the cards and a coalesced curve, and a bad command
gets a typed error to its sender alone."""

import pytest
from channels.db import database_sync_to_async as db

from ateliers import actions as workshop_actions
from participation import actions
from participation.models import Contribution, StageFeeling
from tests.live import receive, send, session_cookie, synced
from tests.test_consumers_voting import drain
from tests.test_consumers_workshop import open_phone, open_screen

pytestmark = pytest.mark.django_db(transaction=True)
RATERS = 6


@pytest.fixture
def journey(facilitator, challenge):
    workshop = workshop_actions.workshop_create(
        user=facilitator, challenge=challenge, title="Parcours", template="parcours"
    )
    workshop_actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    for n in range(RATERS):
        actions.participant_join(workshop=workshop, device_token=f"r{n}", profile="usager")
    return workshop, workshop.current_activity


async def test_cards_and_ratings_from_phones_reach_the_big_screen(facilitator, journey):
    workshop, activity = journey
    screen = await open_screen(workshop, await db(session_cookie)(facilitator))
    snapshot = await synced(screen)
    assert snapshot["snapshot"]["curves"][0]["raters"] == 0
    phones = [await open_phone(workshop, f"r{n}") for n in range(RATERS)]
    for phone in phones:
        await synced(phone)
    for n, phone in enumerate(phones):
        value = -2 if n % 2 else 1
        await send(
            phone,
            {
                "type": "feeling.set",
                "request_id": f"f{n}",
                "activity_id": activity.pk,
                "stage": "c3",
                "value": value,
            },
        )
        ack = await receive(phone, "ack")
        assert ack["result"] == {"activity_id": activity.pk, "stages": {"c3": value}}
    await send(
        phones[0],
        {
            "type": "contribution.create",
            "request_id": "card",
            "activity_id": activity.pk,
            "body": "On ne sait pas où en est le dossier",
            "column": "c4",
            "lane": "l4",
        },
    )
    ack = await receive(phones[0], "ack")
    assert ack["result"]["contribution"]["lane"] == "l4"

    events = await drain(screen, 1.5)
    cards = [e["contribution"] for e in events if e["type"] == "contribution.created"]
    assert [(c["column"], c["lane"]) for c in cards] == [("c4", "l4")]
    curves = [e["curve"] for e in events if e["type"] == "journey.curve"]
    assert 1 <= len(curves) < RATERS  # coalesced: not one per rating
    third = curves[-1]["stages"][2]
    assert (third["n"], third["mean"], third["counts"]) == (RATERS, -0.5, [3, 0, 0, 3, 0])
    assert curves[-1]["by_profile"]["usager"]["raters"] == RATERS
    for socket in (screen, *phones):
        await socket.disconnect()


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ({"type": "feeling.set", "stage": "c1", "value": 3}, "invalid_command"),
        ({"type": "feeling.set", "stage": "c1", "value": "2"}, "invalid_command"),
        ({"type": "feeling.set", "stage": "c42", "value": 1}, "invalid_input"),
        ({"type": "feeling.clear", "stage": "<script>"}, "invalid_command"),
        (
            {"type": "contribution.create", "body": "x", "column": "c1", "lane": "l9"},
            "invalid_input",
        ),
        (
            {"type": "contribution.place", "contribution_id": 1, "column": "c1", "lane": "l1"},
            "forbidden",
        ),
    ],
)
async def test_a_bad_journey_command_gets_a_typed_error_and_changes_nothing(journey, command, code):
    workshop, activity = journey
    phone = await open_phone(workshop, "r0")
    await synced(phone)
    fields = {"request_id": "bad"} | (
        {} if "contribution_id" in command else {"activity_id": activity.pk}
    )
    await send(phone, fields | command)
    error = await receive(phone, "error")
    assert error["code"] == code and error["request_id"] in ("bad", None)
    await send(
        phone,
        {
            "type": "feeling.set",
            "request_id": "ok",
            "activity_id": activity.pk,
            "stage": "c1",
            "value": 0,
        },
    )
    assert (await receive(phone, "ack"))["request_id"] == "ok"  # the socket still works
    assert await db(lambda: list(StageFeeling.objects.values_list("stage", "value")))() == [
        ("c1", 0)
    ]
    assert not await db(Contribution.objects.exists)()
    await phone.disconnect()
