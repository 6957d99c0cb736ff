"""Who is connected right now, counted from the `Connection` table.

Presence is not domain state: it is neither logged nor numbered. Each socket has a row,
refreshed by the client's heartbeat; rows of a crashed server stop being counted once
they are older than PRESENCE_TTL. The big screen gets a count at most every
PRESENCE_DEBOUNCE seconds per workshop and server process, so a reconnect storm of a
thousand phones costs a handful of messages, not a thousand.
"""

import asyncio
import logging
import weakref
from datetime import timedelta

from channels.db import database_sync_to_async
from django.db.models import Count
from django.utils import timezone

from participation.disclosure import protect_counts
from realtime.events import Presence
from realtime.fanout import SCREENS, stopping
from realtime.groups import workshop_group
from realtime.models import Connection
from realtime.sender import send_now

logger = logging.getLogger(__name__)

PRESENCE_TTL = timedelta(seconds=90)
PRESENCE_DEBOUNCE = 0.5


def connection_open(workshop_id: int, socket_id: str, participant_id: int | None) -> None:
    Connection.objects.create(
        workshop_id=workshop_id,
        participant_id=participant_id,
        channel_name=socket_id,
        last_seen=timezone.now(),
    )


def connections_touch(channel_names: list[str]) -> None:
    Connection.objects.filter(channel_name__in=channel_names).update(last_seen=timezone.now())


TOUCH_EVERY = 10.0
_touched: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, set[str]]" = (
    weakref.WeakKeyDictionary()
)
_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task[None]]" = (
    weakref.WeakKeyDictionary()
)


def touch_soon(channel_name: str) -> None:
    """Note a heartbeat; all of a process's notes are written in one UPDATE every
    TOUCH_EVERY seconds (a thousand phones ping 40 times a second)."""
    loop = asyncio.get_running_loop()
    touched = _touched.get(loop)
    if touched is None:
        touched = _touched[loop] = set()
        _writers[loop] = loop.create_task(_write_touches(touched))
    touched.add(channel_name)


async def _write_touches(touched: set[str]) -> None:
    while not stopping():
        await asyncio.sleep(TOUCH_EVERY)
        if not touched:
            continue
        names = list(touched)
        touched.clear()
        try:
            await database_sync_to_async(connections_touch)(names)
        except Exception:
            logger.warning("presence heartbeat update failed", exc_info=True)


def connection_close(channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).delete()


def presence(workshop_id: int) -> Presence:
    """Distinct participants connected, by profile, under the small-group rule.

    Rows not refreshed within PRESENCE_TTL (a server that died with its sockets) are
    deleted on the way.
    """
    stale = timezone.now() - PRESENCE_TTL
    Connection.objects.filter(workshop_id=workshop_id, last_seen__lt=stale).delete()
    rows = (
        Connection.objects.filter(workshop_id=workshop_id, participant__isnull=False)
        .values("participant__profile")
        .annotate(people=Count("participant", distinct=True))
    )
    counts = {row["participant__profile"]: row["people"] for row in rows}
    return Presence(connected=sum(counts.values()), by_profile=protect_counts(counts))


_pending: dict[tuple[asyncio.AbstractEventLoop, int], asyncio.Task[None]] = {}


def schedule_presence(workshop_id: int) -> None:
    """Send the workshop's presence to its screens soon, once for many changes."""
    key = (asyncio.get_running_loop(), workshop_id)
    task = _pending.get(key)
    if task is None or task.done():
        _pending[key] = asyncio.create_task(_send_presence_later(key))


async def _send_presence_later(key: tuple[asyncio.AbstractEventLoop, int]) -> None:
    workshop_id = key[1]
    try:
        await asyncio.sleep(PRESENCE_DEBOUNCE)
        message = await database_sync_to_async(presence)(workshop_id)
        await send_now(workshop_group(workshop_id), message.model_dump_json(), SCREENS)
    except Exception:
        logger.warning("presence update failed for workshop %s", workshop_id, exc_info=True)
    finally:
        # Dropped only when done: the dict holds the one strong reference to the task.
        if _pending.get(key) is asyncio.current_task():
            del _pending[key]
