"""Voting over the real socket and channel layer: acks carry the voter's own state,
tallies are coalesced (far fewer messages than votes) and hidden from phones until the
reveal."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async as db

from ateliers import actions as workshop_actions
from ateliers import agenda
from participation import actions
from participation.models import Vote
from tests.live import receive, send, session_cookie, synced
from tests.test_consumers_workshop import open_phone, open_screen

pytestmark = pytest.mark.django_db(transaction=True)
VOTERS = 8


@pytest.fixture
def hidden_vote(facilitator, live_workshop):
    board = live_workshop.current_activity
    author = actions.participant_join(workshop=live_workshop, device_token="au", profile="agent")
    for body in ("Un", "Deux"):
        actions.contribution_create(participant=author, activity_id=board.pk, body=body)
    made = agenda.vote_activity_add(
        user=facilitator,
        workshop_id=live_workshop.pk,
        title="Vote",
        source_id=board.pk,
        votes_per_person=3,
        max_per_item=3,
        private=True,
    )
    activity_id = made.result["activity_id"]
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
    )
    for n in range(VOTERS):
        actions.participant_join(workshop=live_workshop, device_token=f"v{n}", profile="usager")
    items = list(live_workshop.activities.get(pk=activity_id).vote_items.order_by("position"))
    return activity_id, [item.pk for item in items]


async def drain(socket, seconds: float) -> list[dict]:
    """Every domain event the socket receives within `seconds` (batches unpacked)."""
    events = []
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        # receive_output's own timeout would cancel the application: poll instead.
        if await socket.receive_nothing(0.05):
            continue
        message = json.loads((await socket.receive_output())["text"])
        events.extend(message["events"] if message["type"] == "batch" else [message])
    return events


async def test_a_room_voting_at_once_gets_coalesced_tallies_and_phones_no_hidden_counts(
    live_workshop, facilitator, hidden_vote
):
    activity_id, item_ids = hidden_vote
    screen = await open_screen(live_workshop, await db(session_cookie)(facilitator))
    await synced(screen)
    phones = [await open_phone(live_workshop, f"v{n}") for n in range(VOTERS)]
    for phone in phones:
        await synced(phone)

    for n, phone in enumerate(phones):
        for k in range(3):
            await send(
                phone, {"type": "vote.add", "request_id": f"v{n}-{k}", "item_id": item_ids[k % 2]}
            )
    for phone in phones:
        acks = [await receive(phone, "ack") for _ in range(3)]
        assert acks[-1]["result"]["left"] == 0

    screen_events = await drain(screen, 1.5)
    tallies = [e for e in screen_events if e["type"] == "vote.tally"]
    assert 1 <= len(tallies) < VOTERS * 3  # coalesced: not one per vote
    last = tallies[-1]["tally"]
    assert last["voters"] == VOTERS
    counts = {t["item_id"]: t["count"] for t in last["items"]}
    stored = await db(lambda: {i: Vote.objects.filter(item_id=i).count() for i in item_ids})()
    assert counts == stored and sum(counts.values()) == VOTERS * 3

    phone_events = await drain(phones[0], 1.0)
    for event in phone_events:
        if event["type"] == "vote.tally":
            assert event["tally"]["items"] is None and event["tally"]["by_profile"] is None

    await send(screen, {"type": "activity.reveal", "request_id": "r", "activity_id": activity_id})
    after = await drain(phones[1], 1.5)
    shown = [e["tally"] for e in after if e["type"] == "vote.tally" and e["tally"]["items"]]
    assert shown, "the reveal did not reach the phone"
    assert {t["item_id"]: t["count"] for t in shown[-1]["items"]} == stored
    for socket in (screen, *phones):
        await socket.disconnect()
