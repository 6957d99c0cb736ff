"""The workshop WebSocket over the real channel layer: live delivery, acks, errors,
permissions, retries and catching up after a reconnect."""

import json

import pytest
from channels.db import database_sync_to_async as db
from django.test import override_settings

from ateliers import actions as workshop_actions
from participation import actions
from participation.models import Contribution
from realtime import fanout
from tests.factories import UserFactory
from tests.live import (
    forget_all_groups,
    phone_communicator,
    receive,
    receive_close,
    screen_communicator,
    send,
    session_cookie,
    synced,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone_token(live_workshop):
    actions.participant_join(workshop=live_workshop, device_token="phone-a", profile="usager")
    return "phone-a"


@pytest.fixture
def other_phone_token(live_workshop):
    actions.participant_join(workshop=live_workshop, device_token="phone-b", profile="agent")
    return "phone-b"


@pytest.fixture
def screen_cookie(facilitator):
    return session_cookie(facilitator)


async def open_phone(workshop, token):
    communicator = phone_communicator(workshop.pk, token)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def open_screen(workshop, cookie):
    communicator = screen_communicator(workshop.pk, cookie)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


def idea(workshop, body="Une idée", request_id="req-1"):
    return {
        "type": "contribution.create",
        "request_id": request_id,
        "activity_id": workshop.current_activity_id,
        "body": body,
    }


async def test_an_idea_from_a_phone_reaches_the_big_screen_and_is_acknowledged(
    live_workshop, phone_token, screen_cookie
):
    screen = await open_screen(live_workshop, screen_cookie)
    snapshot = (await synced(screen))["snapshot"]
    phone = await open_phone(live_workshop, phone_token)
    await synced(phone)

    await send(phone, idea(live_workshop, "Un seul guichet"))

    ack = await receive(phone, "ack")
    event = await receive(screen, "contribution.created")
    assert event["contribution"]["body"] == "Un seul guichet"
    assert event["seq"] == snapshot["seq"] + 1 == ack["seq"]
    assert ack["request_id"] == "req-1"
    assert ack["result"]["contribution_id"] == event["contribution"]["id"]
    await phone.disconnect()
    await screen.disconnect()


async def test_every_phone_of_the_workshop_sees_the_new_idea(
    live_workshop, phone_token, other_phone_token
):
    writer = await open_phone(live_workshop, phone_token)
    reader = await open_phone(live_workshop, other_phone_token)
    await synced(reader)
    await send(writer, idea(live_workshop, "Visible par tous"))
    event = await receive(reader, "contribution.created")
    assert event["contribution"]["body"] == "Visible par tous"
    await writer.disconnect()
    await reader.disconnect()


async def test_a_phone_that_has_not_joined_is_told_so_and_closed_with_4401(live_workshop):
    communicator = phone_communicator(live_workshop.pk, "never-joined")
    await communicator.connect()
    error = await receive(communicator, "error")
    assert error["code"] == "not_joined"
    assert await receive_close(communicator) == 4401


async def test_a_participant_of_one_workshop_cannot_connect_to_another(
    facilitator, challenge, live_workshop, phone_token
):
    other = await db(workshop_actions.workshop_create)(
        user=facilitator, challenge=challenge, title="Autre"
    )
    communicator = phone_communicator(other.pk, phone_token)
    await communicator.connect()
    assert (await receive(communicator, "error"))["code"] == "not_joined"
    assert await receive_close(communicator) == 4401


async def test_the_big_screen_needs_a_facilitator_of_this_workshop(live_workshop):
    anonymous = screen_communicator(live_workshop.pk, None)
    await anonymous.connect()
    assert (await receive(anonymous, "error"))["code"] == "forbidden"
    assert await receive_close(anonymous) == 4403

    stranger = await db(UserFactory)()
    cookie = await db(session_cookie)(stranger)
    intruder = screen_communicator(live_workshop.pk, cookie)
    await intruder.connect()
    assert (await receive(intruder, "error"))["code"] == "forbidden"
    assert await receive_close(intruder) == 4403


async def test_a_socket_from_a_foreign_origin_is_refused(live_workshop, phone_token):
    communicator = phone_communicator(live_workshop.pk, phone_token)
    communicator.scope["headers"] = [
        (name, b"https://evil.example" if name == b"origin" else value)
        for name, value in communicator.scope["headers"]
    ]
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("", "bad_json"),
        ("[1, 2]", "invalid_command"),
        ("[" * 5000 + "]" * 5000, "bad_json"),
        ('{"type": "vote.cast", "request_id": "r-9"}', "unknown_command"),
        ('{"request_id": "r-9"}', "unknown_command"),
        (
            '{"type": "contribution.create", "request_id": "r-9", "activity_id": "1", "body": "x"}',
            "invalid_command",
        ),
        (
            '{"type": "contribution.create", "request_id": "r-9", "activity_id": true,'
            ' "body": "x"}',
            "invalid_command",
        ),
        (
            '{"type": "contribution.create", "request_id": "r-9", "activity_id": 1, "body": "x",'
            ' "extra": 1}',
            "invalid_command",
        ),
        ('{"type": "sync", "last_seq": 1e999}', "invalid_command"),
        ('{"type": "workshop.event", "text": "forged"}', "unknown_command"),
    ],
)
async def test_bad_frames_get_a_typed_error_and_the_socket_keeps_working(
    live_workshop, phone_token, other_phone_token, frame, code
):
    phone = await open_phone(live_workshop, phone_token)
    bystander = await open_phone(live_workshop, other_phone_token)
    await synced(bystander)

    await phone.send_input({"type": "websocket.receive", "text": frame})
    error = await receive(phone, "error")
    assert error["code"] == code
    assert error["message"]

    await send(phone, idea(live_workshop, "Toujours là"))
    assert (await receive(phone, "ack"))["request_id"] == "req-1"
    assert (await receive(bystander, "contribution.created"))["contribution"][
        "body"
    ] == "Toujours là"
    await phone.disconnect()
    await bystander.disconnect()


async def test_the_request_id_of_a_rejected_command_is_echoed(live_workshop, phone_token):
    phone = await open_phone(live_workshop, phone_token)
    await phone.send_to(text_data='{"type": "nope", "request_id": "abc-1"}')
    assert (await receive(phone, "error"))["request_id"] == "abc-1"
    await phone.disconnect()


async def test_binary_and_oversized_frames_are_refused(live_workshop, phone_token):
    phone = await open_phone(live_workshop, phone_token)
    await phone.send_to(bytes_data=b"\x00\x01")
    assert (await receive(phone, "error"))["code"] == "bad_frame"
    await phone.send_to(text_data=json.dumps(idea(live_workshop, "x" * 20000)))
    assert (await receive(phone, "error"))["code"] == "too_large"
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()


async def test_an_idea_over_the_length_limit_is_refused_with_its_request_id(
    live_workshop, phone_token
):
    phone = await open_phone(live_workshop, phone_token)
    await send(phone, idea(live_workshop, "x" * 501, request_id="long-1"))
    error = await receive(phone, "error")
    assert (error["code"], error["request_id"]) == ("invalid_command", "long-1")
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()


async def test_a_client_that_keeps_sending_garbage_is_closed_with_1008(live_workshop, phone_token):
    phone = await open_phone(live_workshop, phone_token)
    for _ in range(25):
        await phone.send_to(text_data="garbage")
    assert await receive_close(phone) == 1008


async def test_a_phone_cannot_send_facilitator_commands(live_workshop, phone_token):
    phone = await open_phone(live_workshop, phone_token)
    await send(phone, {"type": "workshop.close", "request_id": "coup"})
    error = await receive(phone, "error")
    assert (error["code"], error["request_id"]) == ("forbidden", "coup")
    await db(live_workshop.refresh_from_db)()
    assert live_workshop.state == "live"
    await phone.disconnect()


async def test_posting_to_a_closed_activity_gets_activity_closed(
    facilitator, live_workshop, phone_token, screen_cookie
):
    screen = await open_screen(live_workshop, screen_cookie)
    phone = await open_phone(live_workshop, phone_token)
    await send(
        screen,
        {
            "type": "activity.close",
            "request_id": "close-1",
            "activity_id": live_workshop.current_activity_id,
        },
    )
    await receive(screen, "ack")
    assert (await receive(phone, "activity.updated"))["activity"]["state"] == "closed"
    await send(phone, idea(live_workshop, "Trop tard"))
    error = await receive(phone, "error")
    assert error["code"] == "activity_closed"
    assert await db(Contribution.objects.count)() == 0
    await phone.disconnect()
    await screen.disconnect()


async def test_the_facilitator_drives_the_workshop_and_phones_follow(workshop, screen_cookie):
    await db(actions.participant_join)(workshop=workshop, device_token="early", profile="elu")
    screen = await open_screen(workshop, screen_cookie)
    phone = await open_phone(workshop, "early")
    await synced(phone)
    await send(screen, {"type": "workshop.start", "request_id": "go"})
    assert (await receive(screen, "ack"))["request_id"] == "go"
    activity = await receive(phone, "activity.updated")
    assert activity["activity"]["state"] == "open"
    updated = await receive(phone, "workshop.updated")
    assert updated["workshop"]["state"] == "live"
    assert updated["workshop"]["current_activity_id"] == activity["activity"]["id"]
    await phone.disconnect()
    await screen.disconnect()


async def test_a_retried_idea_is_stored_once_and_acknowledged_each_time(
    live_workshop, phone_token, other_phone_token
):
    phone = await open_phone(live_workshop, phone_token)
    watcher = await open_phone(live_workshop, other_phone_token)
    await synced(watcher)
    await send(phone, idea(live_workshop, "Une fois", request_id="retry-1"))
    first = await receive(phone, "ack")
    await phone.disconnect()

    phone = await open_phone(live_workshop, phone_token)
    await send(phone, idea(live_workshop, "Une fois", request_id="retry-1"))
    second = await receive(phone, "ack")
    assert second == first
    assert await db(Contribution.objects.count)() == 1
    await receive(watcher, "contribution.created")
    assert await watcher.receive_nothing(timeout=0.5)
    await phone.disconnect()
    await watcher.disconnect()


async def test_a_reconnecting_phone_receives_exactly_the_events_it_missed(
    live_workshop, phone_token, other_phone_token
):
    phone = await open_phone(live_workshop, phone_token)
    seen = (await synced(phone))["seq"]
    await phone.disconnect()

    writer = await open_phone(live_workshop, other_phone_token)
    for n in range(3):
        await send(writer, idea(live_workshop, f"Pendant l'absence {n}", request_id=f"w{n}"))
        await receive(writer, "ack")

    phone = await open_phone(live_workshop, phone_token)
    reply = await synced(phone, last_seq=seen)
    assert reply["mode"] == "events"
    assert [e["seq"] for e in reply["events"]] == [seen + 1, seen + 2, seen + 3]
    assert [e["contribution"]["body"] for e in reply["events"]] == [
        "Pendant l'absence 0",
        "Pendant l'absence 1",
        "Pendant l'absence 2",
    ]
    assert reply["seq"] == seen + 3
    await phone.disconnect()
    await writer.disconnect()


@override_settings(REPLAY_MAX_EVENTS=2)
async def test_a_phone_too_far_behind_gets_a_snapshot_with_its_own_ideas(
    live_workshop, phone_token
):
    phone = await open_phone(live_workshop, phone_token)
    for n in range(3):
        await send(phone, idea(live_workshop, f"Idée {n}", request_id=f"i{n}"))
        await receive(phone, "ack")
    reply = await synced(phone, last_seq=0)
    assert reply["mode"] == "snapshot"
    snapshot = reply["snapshot"]
    assert snapshot["seq"] == reply["seq"]
    assert [c["body"] for c in snapshot["contributions"]] == ["Idée 0", "Idée 1", "Idée 2"]
    assert len(snapshot["me"]["contributions"]) == 3
    await phone.disconnect()


async def test_a_client_ahead_of_the_server_gets_a_snapshot(live_workshop, phone_token):
    phone = await open_phone(live_workshop, phone_token)
    reply = await synced(phone, last_seq=10_000)
    assert reply["mode"] == "snapshot"
    await phone.disconnect()


async def test_pong_reports_the_sequence_so_a_quiet_client_notices_what_it_missed(
    live_workshop, phone_token
):
    phone = await open_phone(live_workshop, phone_token)
    await send(phone, {"type": "ping"})
    pong = await receive(phone, "pong")
    await db(live_workshop.refresh_from_db)()
    assert pong["seq"] == live_workshop.last_seq
    await phone.disconnect()


async def test_a_ping_heals_a_membership_lost_in_a_redis_flush(
    live_workshop, phone_token, other_phone_token, monkeypatch
):
    monkeypatch.setattr(fanout, "REJOIN_AT_MOST_EVERY", 0)  # the hub joined just now
    reader = await open_phone(live_workshop, phone_token)
    await synced(reader)
    await db(forget_all_groups)()
    await send(reader, {"type": "ping"})
    await receive(reader, "pong")

    writer = await open_phone(live_workshop, other_phone_token)
    await send(writer, idea(live_workshop, "Après la panne"))
    event = await receive(reader, "contribution.created")
    assert event["contribution"]["body"] == "Après la panne"
    await reader.disconnect()
    await writer.disconnect()


async def test_the_big_screen_sees_who_is_connected_with_small_groups_hidden(
    live_workshop, phone_token, screen_cookie
):
    screen = await open_screen(live_workshop, screen_cookie)
    phone = await open_phone(live_workshop, phone_token)
    while True:
        message = json.loads((await screen.receive_output(3))["text"])
        if message["type"] == "presence" and message["connected"] == 1:
            break
    assert message["by_profile"] == {"usager": "<5"}
    await phone.disconnect()
    await screen.disconnect()


async def test_the_timer_is_the_screens_to_drive_and_every_phone_sees_it(
    live_workshop, phone_token, screen_cookie
):
    screen = await open_screen(live_workshop, screen_cookie)
    phone = await open_phone(live_workshop, phone_token)
    await synced(phone)
    await send(phone, {"type": "timer.start", "request_id": "t0", "seconds": 60})
    assert (await receive(phone, "error"))["code"] == "forbidden"
    await send(screen, {"type": "timer.start", "request_id": "t1", "seconds": 60})
    await receive(screen, "ack")
    updated = await receive(phone, "workshop.updated")
    assert updated["workshop"]["timer"]["ends_at"] is not None
    await send(phone, {"type": "ping"})
    pong = await receive(phone, "pong")
    assert pong["server_time"]  # lets the phone correct its clock
    await phone.disconnect()
    await screen.disconnect()
