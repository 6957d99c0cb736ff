"""Who is connected right now, counted from the `Connection` table.

Presence is not domain state: it is neither logged nor numbered. Each socket has a row,
refreshed by the client's heartbeat; rows of a crashed server stop being counted once
they are older than PRESENCE_TTL. The big screen gets a count at most every
PRESENCE_DEBOUNCE seconds per workshop and server process, so a reconnect storm of a
thousand phones costs a handful of messages, not a thousand.
"""

import asyncio
from datetime import timedelta

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db.models import Count
from django.utils import timezone

from realtime.events import Presence
from realtime.groups import screen_group
from realtime.models import Connection

PRESENCE_TTL = timedelta(seconds=90)
PRESENCE_DEBOUNCE = 0.5
SMALL_GROUP = 5


def connection_open(workshop_id: int, channel_name: str, participant_id: int | None) -> None:
    Connection.objects.update_or_create(
        channel_name=channel_name,
        defaults={
            "workshop_id": workshop_id,
            "participant_id": participant_id,
            "last_seen": timezone.now(),
        },
    )


def connection_touch(channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).update(last_seen=timezone.now())


def connection_close(channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).delete()


def presence(workshop_id: int) -> Presence:
    """Distinct participants connected, by profile; small groups are not shown exactly."""
    rows = (
        Connection.objects.filter(
            workshop_id=workshop_id,
            participant__isnull=False,
            last_seen__gte=timezone.now() - PRESENCE_TTL,
        )
        .values("participant__profile")
        .annotate(people=Count("participant", distinct=True))
    )
    counts = {row["participant__profile"]: row["people"] for row in rows}
    return Presence(
        connected=sum(counts.values()),
        by_profile={
            profile: ("<5" if people < SMALL_GROUP else people)
            for profile, people in counts.items()
        },
    )


_pending: dict[int, asyncio.Task[None]] = {}


def schedule_presence(workshop_id: int) -> None:
    """Send the workshop's presence to its screens soon, once for many changes."""
    task = _pending.get(workshop_id)
    if task is None or task.done() or task.get_loop() is not asyncio.get_running_loop():
        _pending[workshop_id] = asyncio.create_task(_send_presence_later(workshop_id))


async def _send_presence_later(workshop_id: int) -> None:
    await asyncio.sleep(PRESENCE_DEBOUNCE)
    _pending.pop(workshop_id, None)
    message = await database_sync_to_async(presence)(workshop_id)
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(
            screen_group(workshop_id),
            {"type": "workshop.event", "text": message.model_dump_json()},
        )
