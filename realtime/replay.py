"""Answering `sync`: the events a client missed, or a snapshot when that is cheaper.

The event log is read up to the sequence the workshop is at; if any event in the range
is missing, or the client is further behind than REPLAY_MAX_EVENTS (or ahead, after a
database restore), it gets a fresh snapshot instead.
"""

import asyncio
import time
import weakref

from channels.db import database_sync_to_async
from django.conf import settings

from ateliers.models import Workshop
from ateliers.selectors import workshop_snapshot
from participation.models import Participant
from realtime.events import SyncReply
from realtime.models import WorkshopEvent


def sync_reply(workshop_id: int, last_seq: int | None, participant: Participant | None) -> str:
    """The JSON text of the `sync` reply for a client at `last_seq`: a phone's (with its
    participant) or a facilitator's screen (without)."""
    current = Workshop.objects.values_list("last_seq", flat=True).get(pk=workshop_id)
    if last_seq is not None and last_seq <= current:
        missing = current - last_seq
        if missing <= settings.REPLAY_MAX_EVENTS:
            rows = (
                WorkshopEvent.objects.filter(
                    workshop_id=workshop_id, seq__gt=last_seq, seq__lte=current
                )
                .order_by("seq")
                .values_list("payload", "phone_payload")
            )
            # Phones get each event's phone version where it has one (realtime.broadcast).
            phone = participant is not None
            payloads = [(phone and phone_payload) or payload for payload, phone_payload in rows]
            if len(payloads) == missing:
                # Logged payloads are already the wire JSON: splice them in unchanged.
                return (
                    f'{{"type":"sync","mode":"events","seq":{current},'
                    f'"events":[{",".join(payloads)}],"snapshot":null}}'
                )
    snapshot = workshop_snapshot(workshop_id, participant)
    return SyncReply(mode="snapshot", seq=snapshot.seq, snapshot=snapshot).model_dump_json()


SEQ_FRESH_FOR = 1.0
_latest: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, tuple[float, int]]]" = (
    weakref.WeakKeyDictionary()
)


def current_seq(workshop_id: int) -> int:
    return Workshop.objects.values_list("last_seq", flat=True).get(pk=workshop_id)


async def latest_seq(workshop_id: int) -> int:
    """The workshop's sequence for `pong`, read from the database at most once a second
    per process: it must come from the database (a deaf hub would not know better), but
    not once per heartbeat of every phone."""
    cache = _latest.setdefault(asyncio.get_running_loop(), {})
    read_at, seq = cache.get(workshop_id, (0.0, 0))
    if time.monotonic() - read_at >= SEQ_FRESH_FOR:
        seq = await database_sync_to_async(current_seq)(workshop_id)
        cache[workshop_id] = (time.monotonic(), seq)
    return seq
