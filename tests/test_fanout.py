"""Fan-out inside a server process (realtime.fanout): one subscription per workshop,
screens served event by event, phones in batches, audiences respected."""

import json

import pytest
import redis
from channels.db import database_sync_to_async as db
from django.conf import settings

from participation import actions
from realtime.events import Batch, ContributionCreatedEvent
from tests.live import (
    phone_communicator,
    receive,
    screen_communicator,
    send,
    session_cookie,
    synced,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tokens(live_workshop):
    for token, profile in (("writer", "usager"), ("reader", "agent")):
        actions.participant_join(workshop=live_workshop, device_token=token, profile=profile)
    return "writer", "reader"


async def connect(communicator):
    connected, _ = await communicator.connect()
    assert connected
    await synced(communicator)
    return communicator


async def raw_messages(communicator, timeout=1.5):
    """Every text frame until the socket stays quiet for `timeout` seconds."""
    frames = []
    while not await communicator.receive_nothing(timeout=timeout):
        output = await communicator.receive_output()
        frames.append(json.loads(output["text"]))
    return frames


async def post_three(live_workshop, writer):
    for n in range(3):
        await send(
            writer,
            {
                "type": "contribution.create",
                "request_id": f"b{n}",
                "activity_id": live_workshop.current_activity_id,
                "body": f"Idée {n}",
            },
        )


async def test_phones_get_a_burst_in_fewer_messages_than_events_with_every_seq(
    live_workshop, tokens
):
    writer = await connect(phone_communicator(live_workshop.pk, tokens[0]))
    reader = await connect(phone_communicator(live_workshop.pk, tokens[1]))
    await post_three(live_workshop, writer)
    frames = await raw_messages(reader)
    assert {f["type"] for f in frames} == {"batch"}
    assert len(frames) < 3
    for frame in frames:
        Batch.model_validate(frame)
        for event in frame["events"]:
            ContributionCreatedEvent.model_validate(event)
    events = [event for frame in frames for event in frame["events"]]
    assert [e["contribution"]["body"] for e in events] == ["Idée 0", "Idée 1", "Idée 2"]
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    await writer.disconnect()
    await reader.disconnect()


async def test_the_big_screen_gets_every_event_as_it_happens(live_workshop, tokens, facilitator):
    cookie = await db(session_cookie)(facilitator)
    screen = await connect(screen_communicator(live_workshop.pk, cookie))
    writer = await connect(phone_communicator(live_workshop.pk, tokens[0]))
    await post_three(live_workshop, writer)
    frames = [f for f in await raw_messages(screen) if f["type"] != "presence"]
    assert [f["type"] for f in frames] == ["contribution.created"] * 3
    await screen.disconnect()
    await writer.disconnect()


async def test_presence_goes_to_screens_only(live_workshop, tokens, facilitator):
    cookie = await db(session_cookie)(facilitator)
    reader = await connect(phone_communicator(live_workshop.pk, tokens[1]))
    screen = await connect(screen_communicator(live_workshop.pk, cookie))
    writer = phone_communicator(live_workshop.pk, tokens[0])
    await writer.connect()  # a change of presence
    assert (await receive(screen, "presence"))["connected"] >= 1
    assert [f["type"] for f in await raw_messages(reader)] == []
    for communicator in (reader, screen, writer):
        await communicator.disconnect()


async def test_a_process_joins_the_workshop_group_once_whatever_its_sockets(
    live_workshop, tokens, facilitator
):
    cookie = await db(session_cookie)(facilitator)
    sockets = [
        await connect(phone_communicator(live_workshop.pk, tokens[0])),
        await connect(phone_communicator(live_workshop.pk, tokens[1])),
        await connect(screen_communicator(live_workshop.pk, cookie)),
    ]
    assert settings.REDIS_URL, "this test counts members of a Redis group: run `make test`"
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    members = redis.Redis.from_url(settings.REDIS_URL).zcard(
        f"{prefix}:group:workshop.{live_workshop.pk}"
    )
    assert members == 1
    for communicator in sockets:
        await communicator.disconnect()


class Phone:
    """A receiver that keeps what a hub sends it."""

    def __init__(self) -> None:
        self.frames: list[dict] = []

    async def send_text(self, text: str) -> None:
        self.frames.append(json.loads(text))

    def seqs(self) -> list[int]:
        return [event["seq"] for frame in self.frames for event in frame["events"]]


def three_logged_events(user, workshop) -> list[tuple[int, str]]:
    """Three real events in the workshop's log, as (seq, text) pairs."""
    from ateliers import actions as workshop_actions
    from realtime.models import WorkshopEvent

    for show in (True, False, True):
        workshop_actions.workshop_show_authors(user=user, workshop_id=workshop.pk, visible=show)
    rows = WorkshopEvent.objects.filter(workshop=workshop).order_by("-seq")[:3]
    return sorted((row.seq, row.payload) for row in rows)


async def test_a_hub_puts_events_crossed_in_redis_back_in_order_for_phones(
    live_workshop, facilitator
):
    from realtime.fanout import EVERYONE, WorkshopHub

    (s1, t1), (s2, t2), (s3, t3) = await db(three_logged_events)(facilitator, live_workshop)
    hub, phone = WorkshopHub(live_workshop.pk), Phone()
    hub.attach(phone, screen=False)
    await hub.deliver(t1, EVERYONE, seq=s1)
    await hub.flush_task
    # Two processes published s2 and s3; s3 crossed Redis first.
    await hub.deliver(t3, EVERYONE, seq=s3)
    await hub.deliver(t2, EVERYONE, seq=s2)
    await hub.flush_task
    assert phone.seqs() == [s1, s2, s3]


async def test_a_hub_reads_an_event_lost_by_the_channel_layer_from_the_log(
    live_workshop, facilitator
):
    from realtime.fanout import EVERYONE, WorkshopHub

    (s1, t1), (s2, _), (s3, t3) = await db(three_logged_events)(facilitator, live_workshop)
    hub, phone = WorkshopHub(live_workshop.pk), Phone()
    hub.attach(phone, screen=False)
    await hub.deliver(t1, EVERYONE, seq=s1)
    await hub.flush_task
    await hub.deliver(t3, EVERYONE, seq=s3)  # s2 never arrives through Redis
    await hub.flush_task
    assert phone.seqs() == [s1, s2, s3]
    events = [event for frame in phone.frames for event in frame["events"]]
    assert events[1]["type"] == "workshop.updated"
