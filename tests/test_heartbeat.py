"""Heartbeats stay cheap: a process writes its phones' presence in one UPDATE, and
answers pongs from a sequence read at most once a second."""

import asyncio

import pytest
from channels.db import database_sync_to_async as db
from django.utils import timezone

from realtime import presence, replay
from realtime.models import Connection

pytestmark = pytest.mark.django_db(transaction=True)


async def test_heartbeats_are_written_together(live_workshop, monkeypatch):
    monkeypatch.setattr(presence, "TOUCH_EVERY", 0.05)
    old = timezone.now() - presence.PRESENCE_TTL
    for name in ("a", "b", "c"):
        await db(Connection.objects.create)(
            workshop=live_workshop, channel_name=name, last_seen=old
        )
    writes: list[list[str]] = []
    write = presence.connections_touch

    def recording_write(names: list[str]) -> None:
        writes.append(sorted(names))
        write(names)

    monkeypatch.setattr(presence, "connections_touch", recording_write)
    for name in ("a", "b", "a", "c"):
        presence.touch_soon(name)
    for _ in range(100):
        if writes:
            break
        await asyncio.sleep(0.05)
    assert writes == [["a", "b", "c"]]
    assert await db(Connection.objects.filter(last_seen__gt=old).count)() == 3


async def test_the_pong_sequence_is_read_once_per_second_at_most(live_workshop, monkeypatch):
    reads: list[int] = []
    read = replay.current_seq

    def recording_read(workshop_id: int) -> int:
        reads.append(workshop_id)
        return read(workshop_id)

    monkeypatch.setattr(replay, "current_seq", recording_read)
    first = await replay.latest_seq(live_workshop.pk)
    second = await replay.latest_seq(live_workshop.pk)
    assert first == second == live_workshop.last_seq
    assert len(reads) == 1
    monkeypatch.setattr(replay, "SEQ_FRESH_FOR", 0)
    await replay.latest_seq(live_workshop.pk)
    assert len(reads) == 2
