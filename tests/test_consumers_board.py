"""The board over the real socket and channel layer: what each audience receives in
private mode and after moderation, and who may send which command."""

import json

import pytest
from channels.db import database_sync_to_async as db

from ateliers import agenda
from participation import actions
from participation.selectors import participant_for_device
from tests.factories import UserFactory
from tests.live import receive, screen_communicator, send, session_cookie, synced
from tests.test_consumers_workshop import open_phone, open_screen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_board(facilitator, live_workshop):
    activity = live_workshop.current_activity
    agenda.activity_update(
        user=facilitator,
        workshop_id=live_workshop.pk,
        activity_id=activity.pk,
        title=activity.title,
        prompt=activity.prompt,
        columns=[],
        identity="anonymous",
        private=True,
        reactions=True,
        max_notes=10,
    )
    return live_workshop


@pytest.fixture
def two_phones(live_workshop):
    for token in ("author", "neighbour"):
        actions.participant_join(workshop=live_workshop, device_token=token, profile="usager")
    return "author", "neighbour"


async def test_a_private_note_reaches_the_screen_in_full_and_other_phones_redacted(
    private_board, two_phones, facilitator
):
    workshop = private_board
    screen = await open_screen(workshop, await db(session_cookie)(facilitator))
    await synced(screen)
    author = await open_phone(workshop, two_phones[0])
    neighbour = await open_phone(workshop, two_phones[1])
    await synced(author)
    await synced(neighbour)

    await send(
        author,
        {
            "type": "contribution.create",
            "request_id": "p1",
            "activity_id": workshop.current_activity_id,
            "body": "Mon irritant secret",
        },
    )
    ack = await receive(author, "ack")
    assert ack["result"]["contribution"]["body"] == "Mon irritant secret"
    on_screen = await receive(screen, "contribution.created")
    assert on_screen["contribution"]["body"] == "Mon irritant secret"
    redacted = await receive(neighbour, "redacted")
    assert redacted == {"type": "redacted", "seq": on_screen["seq"]}

    # A phone that catches up gets the redacted version from the log too.
    reply = await synced(neighbour, last_seq=on_screen["seq"] - 1)
    assert reply["events"] == [redacted]
    snapshot = (await synced(neighbour))["snapshot"]
    assert snapshot["contributions"] == []
    mine = (await synced(author))["snapshot"]["me"]["contributions"]
    assert [note["body"] for note in mine] == ["Mon irritant secret"]

    await send(
        screen,
        {
            "type": "activity.reveal",
            "request_id": "r1",
            "activity_id": workshop.current_activity_id,
        },
    )
    await receive(screen, "ack")
    revealed = await receive(neighbour, "activity.revealed")
    assert [c["body"] for c in revealed["contributions"]] == ["Mon irritant secret"]
    for communicator in (screen, author, neighbour):
        await communicator.disconnect()


@pytest.mark.parametrize(
    ("role", "command"),
    [
        ("phone", {"type": "contribution.hide", "contribution_id": 1, "reason": "x"}),
        ("phone", {"type": "cluster.create", "activity_id": 1, "title": "x"}),
        ("phone", {"type": "agenda.next"}),
        ("phone", {"type": "activity.reveal", "activity_id": 1}),
        ("screen", {"type": "contribution.update", "contribution_id": 1, "body": "x"}),
        ("screen", {"type": "reaction.set", "contribution_id": 1, "on": True}),
    ],
)
async def test_a_command_of_the_other_role_is_forbidden_and_the_socket_stays_open(
    live_workshop, two_phones, facilitator, role, command
):
    if role == "phone":
        socket = await open_phone(live_workshop, two_phones[0])
    else:
        socket = await open_screen(live_workshop, await db(session_cookie)(facilitator))
    await send(socket, {**command, "request_id": "x1"})
    error = await receive(socket, "error")
    assert error["code"] == "forbidden" and error["request_id"] == "x1"
    assert (await synced(socket))["type"] == "sync"  # still usable
    await socket.disconnect()


async def test_a_facilitator_of_another_workshop_cannot_open_its_screen(live_workshop):
    stranger = await db(UserFactory)()
    socket = screen_communicator(live_workshop.pk, await db(session_cookie)(stranger))
    connected, _ = await socket.connect()
    assert connected
    error = await receive(socket, "error")
    assert error["code"] == "forbidden"
    await socket.disconnect()


async def test_hiding_a_note_removes_it_from_phones_without_its_reason(
    live_workshop, two_phones, facilitator
):
    screen = await open_screen(live_workshop, await db(session_cookie)(facilitator))
    phone = await open_phone(live_workshop, two_phones[1])
    await synced(screen)
    await synced(phone)
    author = await db(participant_for_device)(live_workshop.pk, "author")
    note = await db(actions.contribution_create)(
        participant=author, activity_id=live_workshop.current_activity_id, body="Insultant"
    )
    note_id = note.result["contribution_id"]
    await receive(phone, "contribution.created")
    await send(
        screen,
        {
            "type": "contribution.hide",
            "request_id": "h1",
            "contribution_id": note_id,
            "reason": "Propos injurieux",
        },
    )
    assert (await receive(screen, "ack"))["request_id"] == "h1"
    full = await receive(screen, "contribution.updated")
    assert full["contribution"]["hidden_reason"] == "Propos injurieux"
    removal = await receive(phone, "contribution.removed")
    assert removal["contribution_id"] == note_id
    for communicator in (screen, phone):
        await communicator.disconnect()


async def test_the_big_screen_and_the_tablet_of_one_facilitator_stay_in_sync(
    live_workshop, facilitator
):
    cookie = await db(session_cookie)(facilitator)
    big_screen = await open_screen(live_workshop, cookie)
    tablet = await open_screen(live_workshop, cookie)
    await synced(big_screen)
    await synced(tablet)
    await send(tablet, {"type": "workshop.show_authors", "request_id": "t1", "visible": True})
    await receive(tablet, "ack")
    shown = await receive(big_screen, "workshop.updated")
    assert shown["workshop"]["show_authors"] is True
    await send(big_screen, {"type": "timer.start", "request_id": "b1", "seconds": 300})
    await receive(big_screen, "ack")
    own_change = await receive(tablet, "workshop.updated")  # the tablet's own command
    assert own_change["workshop"]["timer"] is None
    timer = (await receive(tablet, "workshop.updated"))["workshop"]["timer"]
    assert timer["ends_at"] is not None
    for socket in (big_screen, tablet):
        await socket.disconnect()


async def test_a_message_over_the_transport_limit_is_logged_not_silently_lost(
    live_workshop, facilitator, settings, caplog
):
    """Daphne drops an outgoing message over --websocket-max-message-size without a
    trace: the server checks its own messages against the same limit and logs them."""
    screen = await open_screen(live_workshop, await db(session_cookie)(facilitator))
    await synced(screen)
    settings.WS_MAX_OUTGOING_BYTES = 1000
    author = await db(participant_for_device)(live_workshop.pk, "author")
    if author is None:
        author = await db(actions.participant_join)(
            workshop=live_workshop, device_token="author", profile="usager"
        )
    await db(actions.contribution_create)(
        participant=author, activity_id=live_workshop.current_activity_id, body="é" * 500
    )
    with caplog.at_level("ERROR", logger="realtime.consumers"):
        await send(screen, {"type": "sync", "last_seq": None})
        received = []
        while not await screen.receive_nothing(0.5):
            received.append(json.loads((await screen.receive_output())["text"])["type"])
    assert "sync" not in received  # too large: not sent…
    assert "over WS_MAX_OUTGOING_BYTES" in caplog.text  # …and said
    await screen.disconnect()
