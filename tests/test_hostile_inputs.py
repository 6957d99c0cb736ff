"""Hostile and broken input over the real socket, database and channel layer: each test
is a row of docs/hostile-inputs.md (the catalogue names the test that proves it)."""

import json
import re

import pytest
from channels.db import database_sync_to_async as db
from django.test import override_settings
from django.urls import reverse

from ateliers import actions as workshop_actions
from ateliers import agenda
from participation import actions, moderation
from participation.models import Contribution, Vote
from realtime import consumers
from tests import test_consumers_workshop as base
from tests.live import phone_communicator, receive, receive_close, send, session_cookie, synced
from tests.test_consumers_workshop import idea, open_phone, open_screen

pytestmark = pytest.mark.django_db(transaction=True)
# Two joined phones, the fixtures of the consumer tests.
phone_token, other_phone_token = base.phone_token, base.other_phone_token


async def still_answers(phone) -> None:
    """The socket survived: a ping still gets its pong."""
    await send(phone, {"type": "ping"})
    await receive(phone, "pong")


def create(activity_id, body, request_id="r-1", **extra) -> str:
    return json.dumps(
        {
            "type": "contribution.create",
            "request_id": request_id,
            "activity_id": activity_id,
            "body": body,
            **extra,
        },
        ensure_ascii=False,
    )


# Frames that are not commands --------------------------------------------------------------

# (frame, code): ACTIVITY stands for the live activity's id.
ACTIVITY = "ACTIVITY"
NOT_COMMANDS = [
    ("null", "invalid_command"),
    ("42", "invalid_command"),
    ('"sync"', "invalid_command"),
    ("true", "invalid_command"),
    ("{}", "unknown_command"),
    ('{"type": null}', "unknown_command"),
    ('{"type": ["sync"]}', "unknown_command"),
    ('{"type": "Sync"}', "unknown_command"),
    ('{"type": "contribution.created", "seq": 99}', "unknown_command"),
    ('{"type": "ack", "request_id": "r-1", "seq": 1}', "unknown_command"),
    ('{"type": "sync"} {"type": "sync"}', "bad_json"),
    ('\ufeff{"type": "sync"}', "bad_json"),
    ('{"type": "sync", "last_seq": ' + '{"a": ' * 300 + "1" + "}" * 301, "bad_json"),
    ('{"type": "sync", "last_seq": NaN}', "invalid_command"),
    # A lone surrogate cannot be stored or sent on: refused before anything looks at it.
    (
        '{"type": "contribution.create", "request_id": "r-1", "activity_id": ACTIVITY,'
        ' "body": "a\\ud800b"}',
        "bad_json",
    ),
    # Wrong types and out-of-range numbers (commands are strict: no coercion).
    ('{"type": "sync", "last_seq": -1}', "invalid_command"),
    ('{"type": "sync", "last_seq": 1.0}', "invalid_command"),
    ('{"type": "sync", "last_seq": "3"}', "invalid_command"),
    ('{"type": "sync", "last_seq": 99999999999999999999999999999}', "invalid_command"),
    ('{"type": "vote.add", "request_id": "r-1", "item_id": 0}', "invalid_command"),
    (
        '{"type": "vote.add", "request_id": "r-1", "item_id": 4611686018427387905}',
        "invalid_command",
    ),
    ('{"type": "vote.add", "request_id": "r-1", "item_id": [1]}', "invalid_command"),
    ('{"type": "vote.add", "request_id": "r-1", "item_id": {"$gt": 0}}', "invalid_command"),
    (
        '{"type": "reaction.set", "request_id": "r-1", "contribution_id": 1, "on": "true"}',
        "invalid_command",
    ),
    (
        '{"type": "reaction.set", "request_id": "r-1", "contribution_id": 1, "on": 1}',
        "invalid_command",
    ),
    (
        '{"type": "rating.set", "request_id": "r-1", "item_id": 1, "x": 6, "y": 1}',
        "invalid_command",
    ),
    (
        '{"type": "feeling.set", "request_id": "r-1", "activity_id": 1, "stage": "s1", "value": 3}',
        "invalid_command",
    ),
    (
        '{"type": "feeling.set", "request_id": "r-1", "activity_id": 1, "stage": "../x",'
        ' "value": 1}',
        "invalid_command",
    ),
    # Missing fields, and a body that is not text.
    ('{"type": "contribution.create", "request_id": "r-1"}', "invalid_command"),
    (
        '{"type": "contribution.create", "request_id": "r-1", "activity_id": ACTIVITY,'
        ' "body": ["x"]}',
        "invalid_command",
    ),
    (
        '{"type": "contribution.create", "request_id": "r-1", "activity_id": ACTIVITY,'
        ' "body": null}',
        "invalid_command",
    ),
    # A second "type" key wins (as in JSON.parse): this one then has foreign fields.
    (
        '{"type": "contribution.create", "request_id": "r-1", "activity_id": ACTIVITY,'
        ' "body": "x", "type": "vote.add"}',
        "invalid_command",
    ),
]


@pytest.mark.parametrize(("frame", "code"), NOT_COMMANDS)
async def test_a_frame_that_is_not_a_command_gets_its_typed_error_and_changes_nothing(
    live_workshop, phone_token, frame, code
):
    """Every malformed frame gets one `error` with its code; nothing is written and the
    socket keeps working."""
    phone = await open_phone(live_workshop, phone_token)
    await phone.send_to(text_data=frame.replace(ACTIVITY, str(live_workshop.current_activity_id)))
    error = await receive(phone, "error")
    assert (error["code"], error["retryable"]) == (code, False)
    await still_answers(phone)
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()


@pytest.mark.parametrize(
    "request_id",
    ["", "x" * 65, "a b", "r\n", "<script>", "../../etc", 7, None, ["r"], "é" * 65],
)
async def test_a_malformed_request_id_is_refused_and_never_echoed(
    live_workshop, phone_token, request_id
):
    """A request_id that breaks the rule (1–64 of A-Z a-z 0-9 _ -) refuses the command;
    the error carries no request_id, so nothing the client sent is reflected."""
    phone = await open_phone(live_workshop, phone_token)
    frame = json.loads(create(live_workshop.current_activity_id, "Une idée"))
    frame["request_id"] = request_id
    await send(phone, frame)
    error = await receive(phone, "error")
    assert (error["code"], error["request_id"]) == ("invalid_command", None)
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()


async def test_an_author_or_participant_field_slipped_into_a_command_is_refused(
    live_workshop, phone_token, other_phone_token
):
    """A phone cannot write as someone else: fields the command does not define (an
    author, a participant id, a workshop id) refuse the whole command."""
    other = await db(lambda: live_workshop.participants.get(profile="agent").pk)()
    phone = await open_phone(live_workshop, phone_token)
    for n, forged in enumerate(
        [{"participant_id": other}, {"author": other}, {"workshop_id": 999}, {"seq": 1}]
    ):
        await phone.send_to(
            text_data=create(live_workshop.current_activity_id, "Usurpée", f"f-{n}", **forged)
        )
        error = await receive(phone, "error")
        assert (error["code"], error["request_id"]) == ("invalid_command", f"f-{n}")
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()


async def test_a_screen_cannot_send_a_phone_command(live_workshop, facilitator):
    """The big screen has no participant: a phone command from it is `forbidden`."""
    screen = await open_screen(live_workshop, await db(session_cookie)(facilitator))
    await send(screen, idea(live_workshop, "Depuis l'écran", request_id="s-1"))
    error = await receive(screen, "error")
    assert (error["code"], error["request_id"]) == ("forbidden", "s-1")
    assert await db(Contribution.objects.count)() == 0
    await screen.disconnect()


async def test_a_request_id_reused_for_another_command_replays_the_first_answer(
    live_workshop, phone_token
):
    """A request_id names one command: sent again with other content (or another
    command), it gets the first ack again and changes nothing."""
    phone = await open_phone(live_workshop, phone_token)
    await send(phone, idea(live_workshop, "Première", request_id="same"))
    first = await receive(phone, "ack")
    await send(phone, idea(live_workshop, "Seconde", request_id="same"))
    assert await receive(phone, "ack") == first
    await send(
        phone,
        {"type": "contribution.withdraw", "request_id": "same", "contribution_id": 1},
    )
    assert await receive(phone, "ack") == first
    bodies = await db(lambda: list(Contribution.objects.values_list("body", flat=True)))()
    assert bodies == ["Première"]
    await phone.disconnect()


# Unicode -----------------------------------------------------------------------------------

KEPT_AS_WRITTEN = [
    "\u202eenilno sruop\u202c right-to-left override",  # RTL override (and its end)
    "\u05e9\u05dc\u05d5\u05dd et bonjour",  # Hebrew, mixed with French
    "zéro\u200blargeur\u200dici",  # zero-width space and joiner inside a word
    "👩\u200d👩\u200d👧 famille 🇫🇷 drapeau 👍🏽 ton",  # emoji sequences (ZWJ, flags, skin tones)
    "e" + "\u0301" * 499,  # combining marks up to the length limit
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '=HYPERLINK("http://malveillant.example","x")',
]


@pytest.mark.parametrize("body", KEPT_AS_WRITTEN)
async def test_unusual_but_visible_text_is_stored_and_sent_exactly_as_written(
    live_workshop, phone_token, other_phone_token, body
):
    """Bidi controls, zero-width characters, emoji, combining marks, markup and formulas
    are text: stored and broadcast unchanged (each client renders them as text, the CSV
    neutralises formulas)."""
    phone = await open_phone(live_workshop, phone_token)
    reader = await open_phone(live_workshop, other_phone_token)
    await synced(reader)
    await phone.send_to(text_data=create(live_workshop.current_activity_id, body))
    await receive(phone, "ack")
    event = await receive(reader, "contribution.created")
    assert event["contribution"]["body"] == body
    assert await db(lambda: Contribution.objects.get().body)() == body
    await phone.disconnect()
    await reader.disconnect()


@pytest.mark.parametrize(
    "body", ["\u200b", "\u202e", "\u200d\u200c\u2060", "\ufeff", " \u200b\u00ad\n\t "]
)
async def test_a_note_of_invisible_characters_only_is_refused_as_empty(
    live_workshop, phone_token, body
):
    """A note that would show nothing on the wall (zero-width or bidi characters only)
    counts as empty."""
    phone = await open_phone(live_workshop, phone_token)
    await phone.send_to(text_data=create(live_workshop.current_activity_id, body))
    error = await receive(phone, "error")
    assert (error["code"], error["request_id"]) == ("invalid_input", "r-1")
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()


async def test_nul_characters_in_a_note_are_dropped(live_workshop, phone_token):
    """PostgreSQL refuses NUL in text: it is dropped instead of failing the command."""
    phone = await open_phone(live_workshop, phone_token)
    await phone.send_to(text_data=create(live_workshop.current_activity_id, "a\u0000b"))
    await receive(phone, "ack")
    assert await db(lambda: Contribution.objects.get().body)() == "ab"
    await phone.disconnect()


@pytest.mark.parametrize(
    ("marks", "ascii_only", "code"),
    [
        (10_000, False, "too_large"),  # 20 KB of UTF-8: over WS_MAX_MESSAGE_BYTES
        (10_000, True, "too_large"),  # the same, escaped (\u0301): 60 KB
        (2_000, False, "invalid_command"),  # 4 KB: fits the frame, not the 500-character note
    ],
)
async def test_ten_thousand_combining_marks_are_refused_before_anything_is_stored(
    live_workshop, phone_token, marks, ascii_only, code
):
    """Combining marks count as characters: a "zalgo" note is refused by the frame limit
    or the note length limit, never stored."""
    phone = await open_phone(live_workshop, phone_token)
    frame = json.dumps(
        {
            "type": "contribution.create",
            "request_id": "z-1",
            "activity_id": live_workshop.current_activity_id,
            "body": "e" + "\u0301" * marks,
        },
        ensure_ascii=ascii_only,
    )
    await phone.send_to(text_data=frame)
    assert (await receive(phone, "error"))["code"] == code
    await still_answers(phone)
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()


# Votes and closed things -------------------------------------------------------------------


@pytest.fixture
def open_vote(facilitator, live_workshop, phone_token):
    """A vote on two notes, one point each and two per person, is the current activity."""
    board = live_workshop.current_activity
    author = actions.participant_join(workshop=live_workshop, device_token="au", profile="elu")
    notes = [
        actions.contribution_create(participant=author, activity_id=board.pk, body=body).result[
            "contribution_id"
        ]
        for body in ("Un", "Deux")
    ]
    made = agenda.vote_activity_add(
        user=facilitator,
        workshop_id=live_workshop.pk,
        title="Vote",
        source_id=board.pk,
        votes_per_person=2,
        max_per_item=1,
        private=False,
    )
    activity_id = made.result["activity_id"]
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
    )
    items = list(live_workshop.activities.get(pk=activity_id).vote_items.order_by("position"))
    return activity_id, [item.pk for item in items], notes


async def vote(phone, item_id: int, request_id: str) -> dict:
    await send(phone, {"type": "vote.add", "request_id": request_id, "item_id": item_id})
    while True:
        output = json.loads((await phone.receive_output(5))["text"])
        if output.get("request_id") == request_id:
            return output


async def test_votes_over_the_budget_or_on_hidden_or_unknown_items_are_refused(
    facilitator, live_workshop, phone_token, open_vote
):
    """The budget and the per-item limit hold over the socket; an item whose note was
    hidden, or an id that is no item of this workshop, is `not_found`."""
    activity_id, (first, second), notes = open_vote
    phone = await open_phone(live_workshop, phone_token)
    assert (await vote(phone, first, "v-1"))["type"] == "ack"
    assert (await vote(phone, first, "v-2"))["code"] == "item_limit"
    await db(moderation.contribution_hide)(
        user=facilitator, workshop_id=live_workshop.pk, contribution_id=notes[1], reason="Doublon"
    )
    assert (await vote(phone, second, "v-3"))["code"] == "not_found"
    assert (await vote(phone, 2**62, "v-4"))["code"] == "not_found"
    assert (await vote(phone, activity_id, "v-5"))["code"] == "not_found"  # not an item id
    assert await db(Vote.objects.count)() == 1
    await phone.disconnect()


async def test_a_vote_beyond_the_budget_is_refused(facilitator, live_workshop, open_vote):
    """Two points, spent: the third is `vote_budget` and not stored."""
    _activity, (first, second), _notes = open_vote
    await db(actions.participant_join)(workshop=live_workshop, device_token="v", profile="elu")
    phone = await open_phone(live_workshop, "v")
    assert (await vote(phone, first, "b-1"))["type"] == "ack"
    assert (await vote(phone, second, "b-2"))["type"] == "ack"
    assert (await vote(phone, first, "b-3"))["code"] == "vote_budget"
    assert await db(Vote.objects.count)() == 2
    await phone.disconnect()


async def test_nothing_is_accepted_once_the_workshop_is_closed(
    facilitator, live_workshop, phone_token, open_vote
):
    """After the workshop closes, a note or a vote is refused with a typed error and
    nothing is written; the socket stays open."""
    _activity_id, (first, _second), _notes = open_vote
    phone = await open_phone(live_workshop, phone_token)
    await db(workshop_actions.workshop_close)(user=facilitator, workshop_id=live_workshop.pk)
    assert (await vote(phone, first, "c-1"))["code"] == "workshop_closed"
    board = await db(lambda: live_workshop.activities.order_by("position").first().pk)()
    await phone.send_to(text_data=create(board, "Trop tard", "c-2"))
    error = await receive(phone, "error")
    assert error["code"] in {"workshop_closed", "activity_closed"}
    assert await db(Vote.objects.count)() == 0
    assert await db(Contribution.objects.filter(body="Trop tard").count)() == 0
    await still_answers(phone)
    await phone.disconnect()


# Floods ------------------------------------------------------------------------------------


def probe(request_id: str) -> dict:
    """A cheap command that the rules refuse (no such note): it still spends a token."""
    return {"type": "reaction.set", "request_id": request_id, "contribution_id": 2**61, "on": True}


async def answer_code(socket, request_id: str) -> str:
    await send(socket, probe(request_id))
    reply = await receive(socket, "error")
    assert reply["request_id"] == request_id
    return reply["code"]


async def test_a_participants_sockets_share_one_command_rate_and_others_are_unaffected(
    live_workshop, phone_token, other_phone_token, monkeypatch
):
    """Opening more tabs gives no more commands: the participant's sockets draw on one
    bucket. Another phone, meanwhile, is answered at its normal pace."""
    monkeypatch.setattr(consumers.PARTICIPANT_BUCKETS, "burst", 4)
    monkeypatch.setattr(consumers.PARTICIPANT_BUCKETS, "rate", 0.001)
    tab1 = await open_phone(live_workshop, phone_token)
    tab2 = await open_phone(live_workshop, phone_token)
    other = await open_phone(live_workshop, other_phone_token)
    codes = [await answer_code(tab, f"t-{n}") for n, tab in enumerate([tab1, tab2] * 2)]
    assert codes == ["not_found"] * 4
    assert await answer_code(tab1, "t-5") == "rate_limited"
    assert await answer_code(tab2, "t-6") == "rate_limited"
    assert [await answer_code(other, f"o-{n}") for n in range(4)] == ["not_found"] * 4
    for socket in (tab1, tab2, other):
        await socket.disconnect()


async def test_a_flood_from_one_phone_is_rate_limited_while_another_is_served(
    live_workshop, phone_token, other_phone_token
):
    """One phone sending 60 commands at once gets `rate_limited` (retryable) after its
    burst; every command is answered once; a second phone's idea is acknowledged."""
    flooder = await open_phone(live_workshop, phone_token)
    other = await open_phone(live_workshop, other_phone_token)
    for n in range(60):
        await send(flooder, probe(f"f-{n}"))
    replies = [await receive(flooder, "error") for _ in range(60)]
    assert sorted(r["request_id"] for r in replies) == sorted(f"f-{n}" for n in range(60))
    limited = [r for r in replies if r["code"] == "rate_limited"]
    assert len(limited) >= 60 - consumers.COMMAND_BURST - 5
    assert all(r["retryable"] for r in limited)
    await send(other, idea(live_workshop, "Servie", request_id="calm"))
    assert (await receive(other, "ack"))["request_id"] == "calm"
    await still_answers(other)
    for socket in (flooder, other):
        await socket.disconnect()


# Connections -------------------------------------------------------------------------------


async def refused(communicator) -> int:
    """Connect, expect `too_many_connections`, return the close code."""
    connected, _ = await communicator.connect()
    assert connected  # accepted so that the typed error can be said
    error = await receive(communicator, "error")
    assert (error["code"], error["retryable"]) == ("too_many_connections", True)
    return await receive_close(communicator)


@override_settings(WS_MAX_SOCKETS_PER_PARTICIPANT=2)
async def test_a_participant_over_its_socket_cap_is_refused_with_4429(
    live_workshop, phone_token, other_phone_token
):
    """The third socket of one participant is refused (4429); its first two keep working,
    another participant connects, and a closed socket frees its slot."""
    first = await open_phone(live_workshop, phone_token)
    second = await open_phone(live_workshop, phone_token)
    assert await refused(phone_communicator(live_workshop.pk, phone_token)) == 4429
    await still_answers(first)
    other = await open_phone(live_workshop, other_phone_token)
    await still_answers(other)
    await first.disconnect()
    again = await open_phone(live_workshop, phone_token)
    await still_answers(again)
    for socket in (second, other, again):
        await socket.disconnect()


def from_address(communicator, address: str):
    communicator.scope["client"] = (address, 40000)
    return communicator


@override_settings(WS_MAX_SOCKETS_PER_ADDRESS=3)
async def test_an_address_over_its_socket_cap_is_refused_and_other_addresses_are_not(
    live_workshop, phone_token, other_phone_token
):
    """One address holding the cap of sockets gets 4429 for the next, whoever it claims
    to be; a phone from another address connects as usual."""
    address = "203.0.113.7"
    held = []
    for token in (phone_token, phone_token, other_phone_token):
        communicator = from_address(phone_communicator(live_workshop.pk, token), address)
        assert (await communicator.connect())[0]
        held.append(communicator)
    over = from_address(phone_communicator(live_workshop.pk, other_phone_token), address)
    assert await refused(over) == 4429
    stranger = from_address(phone_communicator(live_workshop.pk, "never-joined"), address)
    assert await refused(stranger) == 4429  # refused before any database work
    elsewhere = from_address(
        phone_communicator(live_workshop.pk, other_phone_token), "198.51.100.9"
    )
    assert (await elsewhere.connect())[0]
    await still_answers(elsewhere)
    await still_answers(held[0])
    for socket in (*held, elsewhere):
        await socket.disconnect()
    assert address not in consumers.ADDRESS_SOCKETS.counts  # every slot given back


async def test_refused_and_closed_sockets_give_their_slots_back(live_workshop, phone_token):
    """Slots are released on every path out: a refused socket (not joined), a socket
    closed for garbage (1008) and a normal disconnect."""
    never = from_address(phone_communicator(live_workshop.pk, "never-joined"), "192.0.2.1")
    await never.connect()
    assert await receive_close(never) == 4401
    garbage = from_address(phone_communicator(live_workshop.pk, phone_token), "192.0.2.1")
    await garbage.connect()
    for _ in range(consumers.MAX_ERRORS + 1):
        await garbage.send_to(text_data="garbage")
    assert await receive_close(garbage) == 1008
    assert "192.0.2.1" not in consumers.ADDRESS_SOCKETS.counts
    participant = await db(lambda: live_workshop.participants.get().pk)()
    assert participant not in consumers.PARTICIPANT_SOCKETS.counts
    assert participant not in consumers.PARTICIPANT_BUCKETS.entries


# Join codes --------------------------------------------------------------------------------


def join_answer(client, code: str) -> tuple[int, str]:
    response = client.post(reverse("join"), {"code": code})
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)
    return response.status_code, main.replace(code, "CODE")


def test_a_closed_workshops_code_answers_exactly_like_a_wrong_code(client, facilitator, workshop):
    """No oracle: the code of a closed workshop gets the same status and page as a code
    that never existed, and counts as a wrong guess."""
    from django.core.cache import cache

    from participation.throttle import _key

    workshop_actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    workshop_actions.workshop_close(user=facilitator, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    closed = join_answer(client, workshop.join_code)
    never = join_answer(client, "ZZZZZZ" if workshop.join_code != "ZZZZZZ" else "YYYYYY")
    assert closed[0] == never[0] == 404
    assert closed[1] == never[1]
    assert cache.get(_key(client.get(reverse("join")).wsgi_request)) == 2
