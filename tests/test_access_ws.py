"""Who may do what over the WebSocket, through the real ASGI application
(`config.asgi.application`: Origin check, session and device cookie, consumer), and the
join token's rules over HTTP too (docs/security.md, "Access").

Tables: who may open which socket of workshop A; which socket may send which command;
and, per object, what a phone or a screen of A gets when a command names someone else's
note or vote, or an object of workshop B. Each refusal is checked in the database too.
"""

import json
import time
from dataclasses import dataclass
from typing import Any, get_args

import pytest
from channels.db import database_sync_to_async as db
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from ateliers import actions as workshop_actions
from ateliers.models import Activity, Workshop
from config.asgi import application
from participation import actions
from participation.devices import SALT, signed_device_token
from participation.models import Cluster, Contribution, Participant, Vote, VoteItem
from realtime.commands import AnyCommand
from realtime.consumers import FACILITATOR_ACTIONS, HANDLERS, PARTICIPANT_ACTIONS
from tests.factories import ChallengeFactory, UserFactory
from tests.live import phone_communicator, receive, receive_close, send, session_cookie, synced

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = b"http://localhost"


@dataclass
class World:
    """Challenge C1 (lead `lead`) with live workshops A (`fac_a`) and B (`fac_b`);
    `lead_x` leads another challenge. In A: p_a and p_a2 joined, p_a2 wrote a note and
    put a point on an item of an open vote. In B: p_b, its note, cluster, vote item and
    journey map."""

    users: dict[str, Any]
    a: Workshop
    b: Workshop
    note_a2: Contribution
    item_a: VoteItem
    note_b: Contribution
    cluster_b: Cluster
    item_b: VoteItem
    rating_item_b: VoteItem
    journey_b: Activity
    vote_b: Activity
    fresh_vote_a: Activity


def build_world() -> World:
    users = {role: UserFactory(username=role) for role in ("fac_a", "fac_b", "lead", "lead_x")}
    users["super"] = UserFactory(username="super", is_superuser=True, is_staff=True)
    c1 = ChallengeFactory(leads=[users["lead"]])
    ChallengeFactory(leads=[users["lead_x"]])
    made = {}
    for key in ("a", "b"):
        workshop = workshop_actions.workshop_create(
            user=users["lead"], challenge=c1, title=f"Atelier {key}"
        )
        workshop.facilitators.add(users[f"fac_{key}"])
        workshop_actions.workshop_start(user=users["lead"], workshop_id=workshop.pk)
        workshop.refresh_from_db()
        made[key] = workshop
    a, b = made["a"], made["b"]
    actions.participant_join(workshop=a, device_token="device-a", profile="usager")
    p_a2 = actions.participant_join(workshop=a, device_token="device-a2", profile="agent")
    p_b = actions.participant_join(workshop=b, device_token="device-b", profile="usager")

    def note(participant: Participant, workshop: Workshop, body: str) -> Contribution:
        done = actions.contribution_create(
            participant=participant, activity_id=workshop.current_activity_id, body=body
        )
        return Contribution.objects.get(pk=done.result["contribution_id"])

    note_a2 = note(p_a2, a, "La note de p_a2")
    note_b = note(p_b, b, "La note de p_b")
    cluster_b = Cluster.objects.create(activity=note_b.activity, title="Groupe de B")

    def ballot(workshop: Workshop, kind: str, position: int) -> tuple[Activity, VoteItem]:
        activity = Activity.objects.create(
            workshop=workshop, position=position, kind=kind, title=kind, state="open"
        )
        return activity, VoteItem.objects.create(activity=activity, label="Un choix", position=1)

    vote_a, item_a = ballot(a, "vote", 60)
    fresh_vote_a, _item = ballot(a, "vote", 61)  # no point cast yet: its list may change
    Vote.objects.create(activity=vote_a, item=item_a, participant=p_a2)
    vote_b, item_b = ballot(b, "vote", 60)
    _rating_b, rating_item_b = ballot(b, "rating", 61)
    journey_b = Activity.objects.create(
        workshop=b,
        position=70,
        kind="journey",
        title="Parcours",
        state="open",
        columns=[{"key": "avant", "label": "Avant"}],
    )
    return World(
        users,
        a,
        b,
        note_a2,
        item_a,
        note_b,
        cluster_b,
        item_b,
        rating_item_b,
        journey_b,
        vote_b,
        fresh_vote_a,
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


# Sockets -----------------------------------------------------------------------------------


def communicator(
    path: str, *, cookies: dict[str, str] | None = None, origin: bytes | None = ORIGIN
) -> WebsocketCommunicator:
    headers = [] if origin is None else [(b"origin", origin)]
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    return WebsocketCommunicator(application, path, headers)


def old_signature(token: str, age: int) -> str:
    """The cookie a device would hold had it joined `age` seconds ago."""

    class Then(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - age)

    return Then(salt=SALT).sign(token)


def credentials(world: World, role: str) -> dict[str, str]:
    """The cookies a role's browser holds."""
    device = settings.PARTICIPANT_COOKIE_NAME
    if role == "anon":
        return {}
    if role == "p_a":
        return {device: signed_device_token("device-a")}
    if role == "p_b":
        return {device: signed_device_token("device-b")}
    if role == "p_a_tampered":
        value = signed_device_token("device-a")
        return {device: value[:-1] + ("A" if value[-1] != "A" else "B")}
    if role == "p_a_forged":  # another device's token under A's signature
        return {device: "device-a2:" + signed_device_token("device-a").split(":", 1)[1]}
    if role == "p_a_expired":
        return {device: old_signature("device-a", settings.PARTICIPANT_COOKIE_MAX_AGE + 60)}
    name, value = session_cookie(world.users[role]).split("=", 1)
    return {name: value}


async def opened(sock: WebsocketCommunicator) -> tuple[bool, str | int]:
    """(accepted, "ok"), or (False, why): "denied" (refused before accepting, as the
    Origin check does) or "<error code>/<close code>"."""
    connected, _ = await sock.connect()
    if not connected:
        return False, "denied"
    await send(sock, {"type": "sync", "last_seq": None})
    while True:
        output = await sock.receive_output(5)
        if output["type"] == "websocket.close":
            return False, output.get("code", 1000)
        message = json.loads(output["text"])
        if message["type"] == "error":
            return False, f"{message['code']}/{await receive_close(sock)}"
        if message["type"] == "sync":
            return True, "ok"


async def open_as(world: World, role: str, kind: str, workshop_id: int | None = None) -> Any:
    path = f"/ws/ateliers/{workshop_id or world.a.pk}/{kind}/"
    sock = communicator(path, cookies=await db(credentials)(world, role))
    connected, _ = await sock.connect()
    assert connected
    await synced(sock)
    return sock


# Who may open which socket of workshop A -----------------------------------------------------

SOCKET_ROLES = (
    "anon",
    "p_a",
    "p_b",
    "p_a_tampered",
    "p_a_forged",
    "p_a_expired",
    "fac_a",
    "fac_b",
    "lead",
    "lead_x",
    "super",
)
PHONE_OK, NOT_JOINED, FORBIDDEN = "ok", "not_joined/4401", "forbidden/4403"
# Columns: anon p_a p_b tampered forged expired fac_a fac_b lead lead_x super
SOCKETS = {
    "phone": "not_joined/4401 ok not_joined/4401 not_joined/4401 not_joined/4401 "
    "not_joined/4401 not_joined/4401 not_joined/4401 not_joined/4401 not_joined/4401 "
    "not_joined/4401",
    "screen": "forbidden/4403 forbidden/4403 forbidden/4403 forbidden/4403 forbidden/4403 "
    "forbidden/4403 ok forbidden/4403 ok forbidden/4403 ok",
}


@pytest.mark.parametrize(
    ("kind", "role", "expected"),
    [
        pytest.param(kind, role, word, id=f"{kind}-{role}")
        for kind, line in SOCKETS.items()
        for role, word in zip(SOCKET_ROLES, line.split(), strict=True)
    ],
)
async def test_socket_cell(world: World, kind: str, role: str, expected: str) -> None:
    """A phone socket needs a participant of this workshop (an authentic, unexpired
    device cookie); a screen socket a facilitator of it, a lead of its challenge or a
    superuser. Refusals say why, then close (4401, 4403)."""
    sock = communicator(
        f"/ws/ateliers/{world.a.pk}/{kind}/", cookies=await db(credentials)(world, role)
    )
    accepted, word = await opened(sock)
    assert word == expected
    if accepted:
        await sock.disconnect()


async def test_a_socket_to_a_workshop_that_does_not_exist_is_closed(world: World) -> None:
    """No workshop, nothing to join: not_found, then closed (4403)."""
    sock = communicator("/ws/ateliers/999999/phone/", cookies=await db(credentials)(world, "p_a"))
    assert await opened(sock) == (False, "not_found/4403")


# Which socket may send which command -------------------------------------------------------

# Listed here on purpose: a new command fails test_the_table_lists_every_command until it
# says which socket may send it.
ANY_SOCKET = ("sync", "ping")
PHONE_ONLY = (
    "contribution.create",
    "contribution.update",
    "contribution.withdraw",
    "reaction.set",
    "vote.add",
    "vote.remove",
    "rating.set",
    "rating.clear",
    "feeling.set",
    "feeling.clear",
)
SCREEN_ONLY = (
    "workshop.start",
    "workshop.close",
    "workshop.show_authors",
    "agenda.goto",
    "agenda.next",
    "agenda.previous",
    "activity.open",
    "activity.close",
    "activity.reveal",
    "timer.start",
    "timer.pause",
    "timer.resume",
    "timer.extend",
    "timer.stop",
    "contribution.hide",
    "contribution.restore",
    "contribution.spotlight",
    "contribution.move",
    "contribution.place",
    "cluster.create",
    "cluster.rename",
    "cluster.delete",
    "vote.shortlist",
)

# A valid value for every field name commands use (ids point nowhere in particular).
SAMPLE = {
    "request_id": "r-1",
    "body": "Une note",
    "title": "Un titre",
    "reason": "Une raison",
    "seconds": 60,
    "visible": True,
    "on": True,
    "x": 3,
    "y": 3,
    "value": 1,
    "stage": "avant",
    "column": "",
    "lane": "",
    "contribution_ids": [],
    "cluster_ids": [],
    "last_seq": None,
}


def command_classes() -> dict[str, Any]:
    members = get_args(get_args(AnyCommand)[0])
    return {get_args(cls.model_fields["type"].annotation)[0]: cls for cls in members}


def sample(command: str) -> dict[str, Any]:
    """A well-formed frame of this command (so that only the role gate can refuse it)."""
    fields = command_classes()[command].model_fields
    frame: dict[str, Any] = {"type": command}
    for name, info in fields.items():
        if name == "type" or not (info.is_required() or name == "request_id"):
            continue
        frame[name] = SAMPLE.get(name, 1)
    return frame


def test_the_table_lists_every_command() -> None:
    """Every command the consumer dispatches is in exactly one column of the table, and
    the consumer gates it to that socket."""
    assert set(ANY_SOCKET + PHONE_ONLY + SCREEN_ONLY) == set(HANDLERS)
    assert len(ANY_SOCKET + PHONE_ONLY + SCREEN_ONLY) == len(HANDLERS)
    assert set(PHONE_ONLY) == set(PARTICIPANT_ACTIONS)
    assert set(SCREEN_ONLY) == set(FACILITATOR_ACTIONS)
    assert {name: role for name, (role, _) in HANDLERS.items()} == {
        **dict.fromkeys(ANY_SOCKET),
        **dict.fromkeys(PHONE_ONLY, "phone"),
        **dict.fromkeys(SCREEN_ONLY, "screen"),
    }


async def workshop_seq(workshop_id: int) -> tuple[str, int]:
    found = await db(Workshop.objects.get)(pk=workshop_id)
    return found.state, found.last_seq


@pytest.mark.parametrize("command", PHONE_ONLY + SCREEN_ONLY)
async def test_a_command_from_the_wrong_socket_is_forbidden(world: World, command: str) -> None:
    """A phone cannot drive the screen and a screen cannot speak for a participant:
    `forbidden`, with the request id, and the workshop did not move (same state, same
    sequence number). From the right socket the gate lets it through (whatever the rules
    then say about its made-up ids)."""
    wrong, right = ("fac_a", "screen"), ("p_a", "phone")
    if command in SCREEN_ONLY:
        wrong, right = right, wrong
    frame = sample(command)
    sock = await open_as(world, *wrong)
    before = await workshop_seq(world.a.pk)
    await send(sock, frame)
    error = await receive(sock, "error")
    assert (error["code"], error["request_id"]) == ("forbidden", "r-1")
    assert await workshop_seq(world.a.pk) == before
    await sock.disconnect()

    sock = await open_as(world, *right)
    await send(sock, frame)
    reply = json.loads((await sock.receive_output(5))["text"])
    while reply["type"] not in ("ack", "error"):
        reply = json.loads((await sock.receive_output(5))["text"])
    assert reply.get("code") != "forbidden"
    await sock.disconnect()


# Per object: someone else's note or vote, another workshop's objects -------------------------


@dataclass
class ObjectRow:
    """A command sent from a socket of A naming an object it may not touch."""

    role: str
    kind: str
    frame: Any  # World -> dict
    code: str
    unchanged: Any  # World -> value that must not move


def note_state(pk: int) -> Any:
    return lambda w: tuple(
        Contribution.objects.filter(pk=pk).values_list("body", "status", "cluster_id", "column")
    )


def b_activities(w: World) -> Any:
    rows = Activity.objects.filter(workshop=w.b).values_list("pk", "state", "revealed_at")
    return (sorted(rows), Workshop.objects.get(pk=w.b.pk).last_seq)


def b_everything(w: World) -> Any:
    return (
        b_activities(w),
        sorted(Contribution.objects.filter(activity__workshop=w.b).values_list()),
        sorted(Cluster.objects.filter(activity__workshop=w.b).values_list()),
        sorted(VoteItem.objects.filter(activity__workshop=w.b).values_list()),
    )


def a_notes(w: World) -> Any:
    return sorted(Contribution.objects.filter(activity__workshop=w.a).values_list())


def votes_and_reactions(w: World) -> Any:
    return (
        sorted(Vote.objects.values_list("item_id", "participant_id")),
        sorted(Contribution.objects.values_list("pk", "reaction_count")),
        list(Participant.objects.values_list("pk", "feelings__value").order_by("pk")),
    )


def cmd(command: str, **fields: Any) -> dict[str, Any]:
    return {"type": command, "request_id": "r-1", **fields}


OBJECT_ROWS = {
    # A participant only changes their own notes and votes ...
    "update another's note": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("contribution.update", contribution_id=w.note_a2.pk, body="Réécrit"),
        "not_author",
        lambda w: note_state(w.note_a2.pk)(w),
    ),
    "withdraw another's note": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("contribution.withdraw", contribution_id=w.note_a2.pk),
        "not_author",
        lambda w: note_state(w.note_a2.pk)(w),
    ),
    "remove another's point": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("vote.remove", item_id=w.item_a.pk),
        "invalid_transition",
        votes_and_reactions,
    ),
    # ... and only in their own workshop.
    "write on B's board": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("contribution.create", activity_id=w.note_b.activity_id, body="Intrus"),
        "not_found",
        lambda w: (a_notes(w), b_everything(w)),
    ),
    "update B's note": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("contribution.update", contribution_id=w.note_b.pk, body="Réécrit"),
        "not_found",
        b_everything,
    ),
    "withdraw B's note": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("contribution.withdraw", contribution_id=w.note_b.pk),
        "not_found",
        b_everything,
    ),
    "+1 on B's note": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("reaction.set", contribution_id=w.note_b.pk, on=True),
        "not_found",
        votes_and_reactions,
    ),
    "vote on B's item": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("vote.add", item_id=w.item_b.pk),
        "not_found",
        votes_and_reactions,
    ),
    "unvote on B's item": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("vote.remove", item_id=w.item_b.pk),
        "not_found",
        votes_and_reactions,
    ),
    "rate B's item": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("rating.set", item_id=w.rating_item_b.pk, x=2, y=2),
        "not_found",
        b_everything,
    ),
    "clear a rating of B's item": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("rating.clear", item_id=w.rating_item_b.pk),
        "not_found",
        b_everything,
    ),
    "feel B's journey": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("feeling.set", activity_id=w.journey_b.pk, stage="avant", value=2),
        "not_found",
        votes_and_reactions,
    ),
    "clear a feeling of B's journey": ObjectRow(
        "p_a",
        "phone",
        lambda w: cmd("feeling.clear", activity_id=w.journey_b.pk, stage="avant"),
        "not_found",
        votes_and_reactions,
    ),
    # A screen acts on its own workshop only, even for a lead who also runs B.
    "open B's activity": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("activity.open", activity_id=w.vote_b.pk),
        "not_found",
        b_activities,
    ),
    "close B's activity": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("activity.close", activity_id=w.note_b.activity_id),
        "not_found",
        b_activities,
    ),
    "reveal B's board": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("activity.reveal", activity_id=w.note_b.activity_id),
        "not_found",
        b_activities,
    ),
    "go to B's activity": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("agenda.goto", activity_id=w.vote_b.pk),
        "not_found",
        lambda w: (Workshop.objects.get(pk=w.a.pk).current_activity_id, b_activities(w)),
    ),
    "hide B's note": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("contribution.hide", contribution_id=w.note_b.pk, reason="Hors sujet"),
        "not_found",
        b_everything,
    ),
    "restore B's note": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("contribution.restore", contribution_id=w.note_b.pk),
        "not_found",
        b_everything,
    ),
    "spotlight B's note": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("contribution.spotlight", contribution_id=w.note_b.pk),
        "not_found",
        lambda w: (Workshop.objects.get(pk=w.a.pk).spotlight_id, b_everything(w)),
    ),
    "move B's note": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("contribution.move", contribution_id=w.note_b.pk, cluster_id=w.cluster_b.pk),
        "not_found",
        b_everything,
    ),
    "move A's note into B's cluster": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("contribution.move", contribution_id=w.note_a2.pk, cluster_id=w.cluster_b.pk),
        "not_found",
        lambda w: (note_state(w.note_a2.pk)(w), b_everything(w)),
    ),
    "place B's note": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("contribution.place", contribution_id=w.note_b.pk, column="", lane=""),
        "not_found",
        b_everything,
    ),
    "cluster on B's board": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("cluster.create", activity_id=w.note_b.activity_id, title="Intrus"),
        "not_found",
        b_everything,
    ),
    "cluster B's note on A's board": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd(
            "cluster.create",
            activity_id=w.note_a2.activity_id,
            title="Intrus",
            contribution_ids=[w.note_b.pk],
        ),
        "not_found",
        lambda w: (sorted(Cluster.objects.values_list("pk", flat=True)), b_everything(w)),
    ),
    "rename B's cluster": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("cluster.rename", cluster_id=w.cluster_b.pk, title="Pris"),
        "not_found",
        b_everything,
    ),
    "delete B's cluster": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("cluster.delete", cluster_id=w.cluster_b.pk),
        "not_found",
        b_everything,
    ),
    "shortlist on B's vote": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd("vote.shortlist", activity_id=w.vote_b.pk, contribution_ids=[w.note_b.pk]),
        "not_found",
        b_everything,
    ),
    "shortlist B's note on A's vote": ObjectRow(
        "lead",
        "screen",
        lambda w: cmd(
            "vote.shortlist", activity_id=w.fresh_vote_a.pk, contribution_ids=[w.note_b.pk]
        ),
        "not_found",
        lambda w: (sorted(VoteItem.objects.values_list()), b_everything(w)),
    ),
}


@pytest.mark.parametrize("row", OBJECT_ROWS.values(), ids=OBJECT_ROWS.keys())
async def test_an_object_out_of_reach_is_refused_and_unchanged(
    world: World, row: ObjectRow
) -> None:
    """Someone else's note or point, or anything of workshop B named from A's socket:
    the typed error, and nothing changed."""
    before = await db(row.unchanged)(world)
    sock = await open_as(world, row.role, row.kind)
    await send(sock, row.frame(world))
    error = await receive(sock, "error")
    assert (error["code"], error["request_id"]) == (row.code, "r-1")
    await sock.disconnect()
    assert await db(row.unchanged)(world) == before


async def test_a_facilitator_removed_from_the_workshop_loses_the_open_screen(world: World) -> None:
    """Rights are checked on every command, not only at connection: once fac_a no longer
    runs A, its open screen's commands are forbidden."""
    sock = await open_as(world, "fac_a", "screen")
    await db(world.a.facilitators.remove)(world.users["fac_a"])
    await send(sock, cmd("timer.start", seconds=60))
    assert (await receive(sock, "error"))["code"] == "forbidden"
    found = await db(Workshop.objects.get)(pk=world.a.pk)
    assert found.timer_ends_at is None
    await sock.disconnect()


@pytest.mark.parametrize("frame", [{"type": "ping"}, {"type": "sync", "last_seq": None}])
async def test_a_removed_facilitators_screen_is_closed_at_its_next_heartbeat(
    world: World, frame: dict[str, Any]
) -> None:
    """Nor does the open screen keep reading the board: its next ping (every few seconds)
    or sync gets `forbidden` and the socket is closed (4403), so no more events reach it."""
    sock = await open_as(world, "fac_a", "screen")
    await db(world.a.facilitators.remove)(world.users["fac_a"])
    await send(sock, frame)
    assert (await receive(sock, "error"))["code"] == "forbidden"
    assert await receive_close(sock) == 4403


async def test_a_facilitators_screen_answers_pings_while_they_run_the_workshop(
    world: World,
) -> None:
    """The check above does not close a screen whose facilitator still runs it."""
    sock = await open_as(world, "fac_a", "screen")
    await send(sock, {"type": "ping"})
    assert (await receive(sock, "pong"))["seq"] >= 0
    await sock.disconnect()


# Origin: no cross-site WebSocket hijacking -------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        pytest.param(b"http://localhost", True, id="own-origin"),
        pytest.param(b"http://127.0.0.1:8000", True, id="own-host-other-port"),
        pytest.param(b"https://evil.example", False, id="foreign"),
        pytest.param(b"http://localhost.evil.example", False, id="lookalike-suffix"),
        pytest.param(b"http://evil-localhost", False, id="lookalike-prefix"),
        pytest.param(b"null", False, id="null-sandboxed"),
        pytest.param(None, False, id="missing"),
    ],
)
async def test_the_origin_decides_before_anything_else(
    world: World, origin: bytes | None, accepted: bool
) -> None:
    """A page of another site cannot open a socket with the visitor's cookies: only an
    Origin among ALLOWED_HOSTS gets through. No Origin at all is refused too: browsers
    always send one, and non-browser clients (the bench) send the site's."""
    cookies = await db(credentials)(world, "p_a")
    sock = communicator(f"/ws/ateliers/{world.a.pk}/phone/", cookies=cookies, origin=origin)
    connected, _ = await sock.connect()
    assert connected is accepted
    await sock.disconnect()


async def test_a_foreign_origin_cannot_ride_a_facilitators_session(world: World) -> None:
    """The screen socket, the one that drives a workshop, is refused from another site
    even with a valid session cookie."""
    cookies = await db(credentials)(world, "fac_a")
    sock = communicator(
        f"/ws/ateliers/{world.a.pk}/screen/", cookies=cookies, origin=b"https://evil.example"
    )
    connected, _ = await sock.connect()
    assert not connected


# Cookies ------------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(world: World) -> None:
    """Another site's page cannot read the session, nor send it along a cross-site POST."""
    client = Client()
    response = client.post(
        reverse("login"), {"username": "fac_a", "password": "mot-de-passe-solide"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]


def test_the_device_cookie_is_signed_httponly_samesite_and_expires(world: World) -> None:
    """Joining sets the device cookie: a signed token (not the stored digest), HttpOnly,
    SameSite=Lax, and it lives PARTICIPANT_COOKIE_MAX_AGE."""
    response = Client().post(
        reverse("join_workshop", args=[world.a.join_code]), {"profile": "usager"}
    )
    cookie = response.cookies[settings.PARTICIPANT_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.PARTICIPANT_COOKIE_MAX_AGE
    token = signing.TimestampSigner(salt=SALT).unsign(cookie.value)
    assert Participant.objects.filter(workshop=world.a).count() == 3
    assert not Participant.objects.filter(device_hash=token).exists()


# Join tokens over HTTP ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["p_a_tampered", "p_a_forged", "p_a_expired", "p_b"])
def test_a_bad_device_cookie_reads_as_not_joined_on_the_phone_page(world: World, role: str) -> None:
    """Tampered, re-signed for another token, expired, or of another workshop: the phone
    page of A sends the device to the code form."""
    client = Client()
    for name, value in credentials(world, role).items():
        client.cookies[name] = value
    response = client.get(reverse("participate", args=[world.a.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("join"))


def test_a_cookie_just_within_its_lifetime_still_works(world: World) -> None:
    """The boundary of the expiry above: a day short of the limit, still joined."""
    client = Client()
    client.cookies[settings.PARTICIPANT_COOKIE_NAME] = old_signature(
        "device-a", settings.PARTICIPANT_COOKIE_MAX_AGE - 24 * 3600
    )
    assert client.get(reverse("participate", args=[world.a.pk])).status_code == 200


def test_an_expired_cookie_rejoins_as_a_new_participant(world: World) -> None:
    """An expired cookie is no cookie: joining again draws a new device token, so the old
    participant (and its notes) are not handed to whoever holds the stale cookie."""
    client = Client()
    client.cookies[settings.PARTICIPANT_COOKIE_NAME] = old_signature(
        "device-a", settings.PARTICIPANT_COOKIE_MAX_AGE + 60
    )
    client.post(reverse("join_workshop", args=[world.a.join_code]), {"profile": "elu"})
    assert Participant.objects.filter(workshop=world.a).count() == 3
    assert Participant.objects.filter(workshop=world.a, profile="elu").count() == 1
    assert Participant.objects.filter(workshop=world.a, profile="usager").count() == 1


# A closed workshop -------------------------------------------------------------------------


@pytest.fixture
def closed(world: World) -> World:
    workshop_actions.workshop_close(user=world.users["lead"], workshop_id=world.a.pk)
    world.a.refresh_from_db()
    return world


def test_a_closed_workshop_takes_no_new_join_by_code(closed: World) -> None:
    """The code of a closed workshop is unknown to the join form: 404, no participant."""
    response = Client().post(reverse("join"), {"code": closed.a.join_code})
    assert response.status_code == 404
    assert Participant.objects.filter(workshop=closed.a).count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_closed_workshop_takes_no_new_join_by_its_link(closed: World, method: str) -> None:
    """The join link (the QR code's) of a closed workshop answers 404 and sets no cookie."""
    client = Client()
    response = getattr(client, method)(
        reverse("join_workshop", args=[closed.a.join_code]), {"profile": "usager"}
    )
    assert response.status_code == 404
    assert settings.PARTICIPANT_COOKIE_NAME not in response.cookies
    assert Participant.objects.filter(workshop=closed.a).count() == 2


def test_a_participant_of_a_closed_workshop_cannot_rejoin_to_change_their_profile(
    closed: World,
) -> None:
    """Even a device that joined cannot re-join (and change its profile) once closed."""
    client = Client()
    client.cookies[settings.PARTICIPANT_COOKIE_NAME] = signed_device_token("device-a")
    response = client.post(reverse("join_workshop", args=[closed.a.join_code]), {"profile": "elu"})
    assert response.status_code == 404
    assert not Participant.objects.filter(workshop=closed.a, profile="elu").exists()


def test_a_device_that_never_joined_a_closed_workshop_is_told_it_is_closed(closed: World) -> None:
    """Its phone page says the workshop is closed (410) instead of sending it to join."""
    response = Client().get(reverse("participate", args=[closed.a.pk]))
    assert response.status_code == 410


async def test_a_device_that_never_joined_a_closed_workshop_gets_no_socket(closed: World) -> None:
    sock = phone_communicator(closed.a.pk, "never-joined")
    assert await opened(sock) == (False, "not_joined/4401")


async def test_a_participant_of_a_closed_workshop_reads_it_but_writes_nothing(
    closed: World,
) -> None:
    """Who joined keeps their phone page and socket (the board, read only, and where to
    find the results); every write is refused with workshop_closed."""
    client = Client()
    client.cookies[settings.PARTICIPANT_COOKIE_NAME] = signed_device_token("device-a")
    page = await db(client.get)(reverse("participate", args=[closed.a.pk]))
    assert page.status_code == 200

    sock = await open_as(closed, "p_a", "phone")
    await send(sock, {"type": "sync", "last_seq": None})
    snapshot = (await receive(sock, "sync"))["snapshot"]
    assert snapshot["workshop"]["state"] == "closed"
    await send(
        sock, cmd("contribution.create", activity_id=closed.note_a2.activity_id, body="Tard")
    )
    assert (await receive(sock, "error"))["code"] == "workshop_closed"
    assert not await db(Contribution.objects.filter(body="Tard").exists)()
    await sock.disconnect()
