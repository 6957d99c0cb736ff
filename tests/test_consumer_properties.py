"""Random commands against the real consumer (socket, PostgreSQL, Redis): whatever two
phones and a screen send, valid or not, the server answers every command once, never
fails, and its invariants hold (docs/hostile-inputs.md, row 49)."""

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async as db
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ateliers import actions as workshop_actions
from ateliers import agenda
from participation import actions
from participation.models import Contribution, Vote, VoteItem
from participation.voting import TALLY_INTERVAL
from realtime.models import WorkshopEvent
from tests.factories import ChallengeFactory, UserFactory
from tests.live import phone_communicator, screen_communicator, send, session_cookie, synced

BUDGET = 2
PHONES = 2

# One step: (who, what, a small number that picks an object or a value). The objects are
# looked up when the step runs, so that ids drawn here always mean something.
phone_step = st.tuples(
    st.integers(0, PHONES - 1),
    st.sampled_from(
        [
            "contribution.create",
            "contribution.withdraw",
            "vote.add",
            "vote.add",
            "vote.remove",
            "reaction.set",
            "replay",
            "garbage",
            "wrong_type",
            "screen_command",
        ]
    ),
    st.integers(0, 3),
)
screen_step = st.tuples(
    st.just("screen"),
    st.sampled_from(
        ["goto_board", "goto_vote", "activity.close", "activity.open", "reveal", "hide", "restore"]
    ),
    st.integers(0, 3),
)
GARBAGE = st.one_of(
    st.text(max_size=40),
    st.dictionaries(st.sampled_from(["type", "request_id", "item_id", "body"]), st.none()).map(
        json.dumps
    ),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    ).map(json.dumps),
)


def setup_workshop() -> dict[str, Any]:
    """A live workshop: a board with two notes, a vote on it (pending), two phones."""
    user = UserFactory()
    workshop = workshop_actions.workshop_create(
        user=user, challenge=ChallengeFactory(leads=[user]), title="Propriétés"
    )
    workshop_actions.workshop_start(user=user, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    board = workshop.current_activity_id
    author = actions.participant_join(
        workshop=workshop, device_token=f"author-{workshop.pk}", profile="elu"
    )
    for body in ("Un", "Deux"):
        actions.contribution_create(participant=author, activity_id=board, body=body)
    made = agenda.vote_activity_add(
        user=user,
        workshop_id=workshop.pk,
        title="Vote",
        source_id=board,
        votes_per_person=BUDGET,
        max_per_item=2,
        private=True,
    )
    tokens = [f"p{n}-{workshop.pk}" for n in range(PHONES)]
    for token in tokens:
        actions.participant_join(workshop=workshop, device_token=token, profile="usager")
    return {
        "workshop": workshop,
        "board": board,
        "vote": made.result["activity_id"],
        "tokens": tokens,
        "cookie": session_cookie(user),
    }


@pytest.fixture(scope="module")
def consumer_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop, in a thread of its own, for every example: the consumer's per-loop
    state (hubs, Redis pools, presence) is made once, not per example. Closed at the end,
    which also closes its Redis pools (channels_redis hooks loop.close), so that no later
    test meets connections of a loop that is gone."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop

    async def cancel_the_rest() -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run_coroutine_threadsafe(cancel_the_rest(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def vote_rows(activity_id: int) -> dict[int, int]:
    rows = Vote.objects.filter(activity_id=activity_id).values_list("item_id", flat=True)
    return dict(Counter(rows))


def ids(model, **filters) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


async def answer(socket, request_id: str | None, log: list[dict]) -> dict:
    """Read until the reply that carries `request_id` (a reply without one: the next
    error or pong); every message read goes to `log`."""
    while True:
        message = json.loads((await socket.receive_output(5))["text"])
        log.extend(message["events"] if message["type"] == "batch" else [message])
        replies = {"ack", "error", "pong", "sync"}
        if message["type"] in replies and message.get("request_id") == request_id:
            return message


async def run(world: dict[str, Any], steps: list[tuple], garbage: list[str]) -> None:
    workshop = world["workshop"]
    screen = screen_communicator(workshop.pk, world["cookie"])
    assert (await screen.connect())[0]
    start = (await synced(screen))["seq"]
    phones = []
    for token in world["tokens"]:
        phone = phone_communicator(workshop.pk, token)
        assert (await phone.connect())[0]
        phones.append(phone)
    logs: list[list[dict]] = [[] for _ in phones]
    screen_log: list[dict] = []
    last_sent: list[dict | None] = [None] * PHONES
    bad_frames = [0] * PHONES

    for n, (who, what, pick) in enumerate(steps):
        rid = f"s{n}"
        if who == "screen":
            command = await db(screen_command)(world, what, pick, rid)
            await send(screen, command)
            reply = await answer(screen, rid, screen_log)
            assert reply["type"] in {"ack", "error"}, reply
            assert reply.get("code") != "internal_error", reply
            continue
        phone, log = phones[who], logs[who]
        if what == "garbage":
            await phone.send_to(text_data=(garbage[n % len(garbage)] if garbage else "") or "{")
            reply = await answer(phone, None, log)
            # Garbage may happen to be a valid command (a ping, a sync…) or refused.
            bad_frames[who] += reply["type"] == "error"
            assert reply.get("code") != "internal_error", reply
            continue
        command = await db(phone_command)(world, what, pick, rid, last_sent[who])
        await send(phone, command)
        reply = await answer(phone, command.get("request_id"), log)
        assert reply["type"] in ({"pong"} if command["type"] == "ping" else {"ack", "error"})
        assert reply.get("code") != "internal_error", reply
        if what in {"wrong_type", "screen_command"}:
            assert reply["type"] == "error"
            bad_frames[who] += reply["code"] != "forbidden"
        if what != "replay":
            last_sent[who] = command
    assert max(bad_frames) <= 20  # else the socket may rightly be closed

    # Every socket is still open and answering.
    for socket, log in [*zip(phones, logs, strict=True), (screen, screen_log)]:
        await send(socket, {"type": "ping"})
        await answer(socket, None, log)
    await asyncio.sleep(2 * TALLY_INTERVAL)  # the trailing coalesced tally
    while not await screen.receive_nothing(0.2):
        screen_log.append(json.loads((await screen.receive_output())["text"]))

    # The last tally the screen got counts the vote rows.
    tallies = [m["tally"] for m in screen_log if m["type"] == "vote.tally"]
    if tallies and tallies[-1]["items"] is not None:
        shown = {i["item_id"]: i["count"] for i in tallies[-1]["items"] if i["count"]}
        assert shown == await db(vote_rows)(world["vote"])

    # The screen saw every event once, in order, without a gap; a sync from where it
    # started returns the same events.
    seqs = [m["seq"] for m in screen_log if "seq" in m and m["type"] not in {"pong", "ack"}]
    assert seqs == list(range(start + 1, start + 1 + len(seqs)))
    again = await synced(screen, last_seq=start)
    if again["mode"] == "events":
        assert [e["seq"] for e in again["events"]] == seqs
    for socket in (*phones, screen):
        await socket.disconnect()


def screen_command(world: dict[str, Any], what: str, pick: int, rid: str) -> dict:
    notes = ids(Contribution, activity_id=world["board"])
    note = notes[pick % len(notes)] if notes else 1
    activity = world["vote"] if pick % 2 else world["board"]
    return {
        "goto_board": {"type": "agenda.goto", "activity_id": world["board"]},
        "goto_vote": {"type": "agenda.goto", "activity_id": world["vote"]},
        "activity.close": {"type": "activity.close", "activity_id": activity},
        "activity.open": {"type": "activity.open", "activity_id": activity},
        "reveal": {"type": "activity.reveal", "activity_id": activity},
        "hide": {"type": "contribution.hide", "contribution_id": note, "reason": "Doublon"},
        "restore": {"type": "contribution.restore", "contribution_id": note},
    }[what] | {"request_id": rid}


def phone_command(world: dict[str, Any], what: str, pick: int, rid: str, last: dict | None) -> dict:
    if what == "replay":
        return last or {"type": "ping"}
    items = ids(VoteItem, activity_id=world["vote"])
    item = items[pick % len(items)] if items else pick + 1
    notes = ids(Contribution, activity__workshop=world["workshop"])
    note = notes[pick % len(notes)] if notes else pick + 1
    return {
        "contribution.create": {
            "type": "contribution.create",
            "activity_id": world["board"],
            "body": ["Idée", "<b>x</b>", "\u202eà l'envers", "\u200b"][pick],
        },
        "contribution.withdraw": {"type": "contribution.withdraw", "contribution_id": note},
        "vote.add": {"type": "vote.add", "item_id": item},
        "vote.remove": {"type": "vote.remove", "item_id": item},
        "reaction.set": {"type": "reaction.set", "contribution_id": note, "on": pick % 2 == 0},
        "wrong_type": {"type": "vote.add", "item_id": str(item)},
        "screen_command": {"type": "activity.close", "activity_id": world["board"]},
    }[what] | {"request_id": rid}


@pytest.mark.django_db(transaction=True)
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(st.one_of(phone_step, phone_step, screen_step), min_size=1, max_size=14),
    garbage=st.lists(GARBAGE, max_size=3),
)
def test_random_commands_never_break_the_invariants(consumer_loop, steps, garbage):
    """Whatever the phones and the screen send: no internal error, one answer per
    command, sockets stay open, no one over the vote budget, the screen's sequence is
    gap-free and a resync replays the same events."""
    world = setup_workshop()
    asyncio.run_coroutine_threadsafe(run(world, steps, garbage), consumer_loop).result(120)
    over = [
        participant
        for participant in world["workshop"].participants.all()
        if Vote.objects.filter(participant=participant).count() > BUDGET
    ]
    assert not over
    log = list(
        WorkshopEvent.objects.filter(workshop=world["workshop"])
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert log == list(range(log[0], log[0] + len(log)))
