"""Handing committed events to the channel layer without ever blocking a writer.

Actions run on Django's database thread, which every socket and page of a server
process shares. Sending to Redis from there would make every write of the process wait
for Redis, and wait forever if Redis hangs. Instead `enqueue` passes the pre-encoded
message to the process's event loop, where one task per loop sends the queue in order,
each send bounded by SEND_TIMEOUT. A full queue or a failed send drops the message with
a (rate-limited) warning: the event is in the log, and clients fetch it by sequence.
"""

import asyncio
import logging
import time
import weakref

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

from realtime.fanout import EVERYONE, message, stopping

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 2.0
Outgoing = tuple[str, str, str | None, int | None]  # group, text, phone text, sequence
QUEUE_LIMIT = 10_000
WARN_EVERY = 10.0


class _DropCounter:
    """Counts dropped sends and says so at most every WARN_EVERY seconds."""

    def __init__(self) -> None:
        self.dropped = 0
        self.last_warning = 0.0

    def drop(self, reason: str) -> None:
        self.dropped += 1
        now = time.monotonic()
        if now - self.last_warning >= WARN_EVERY:
            logger.warning(
                "channel layer: %d message(s) not sent (%s); clients will resync by sequence",
                self.dropped,
                reason,
            )
            self.dropped, self.last_warning = 0, now


drops = _DropCounter()


async def send_now(
    group: str,
    text: str,
    audience: str = EVERYONE,
    phone_text: str | None = None,
    seq: int | None = None,
) -> None:
    """One bounded send to the hubs of a group; failures are counted, never raised."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await asyncio.wait_for(
            layer.group_send(group, message(text, audience, phone_text, seq)), SEND_TIMEOUT
        )
    except Exception as exc:  # Redis down, hung or full: resync heals it
        drops.drop(type(exc).__name__)


class _LoopSender:
    """The ordered send queue of one event loop."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Outgoing] = asyncio.Queue(QUEUE_LIMIT)
        self.task: asyncio.Task[None] | None = None

    def put(self, outgoing: "Outgoing") -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())
        try:
            self.queue.put_nowait(outgoing)
        except asyncio.QueueFull:
            drops.drop("send queue full")

    async def run(self) -> None:
        while not stopping():
            group, text, phone_text, seq = await self.queue.get()
            await send_now(group, text, EVERYONE, phone_text, seq)


_senders: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopSender]" = (
    weakref.WeakKeyDictionary()
)


def _put(loop: asyncio.AbstractEventLoop, outgoing: "Outgoing") -> None:
    sender = _senders.get(loop)
    if sender is None:
        sender = _senders[loop] = _LoopSender()
    sender.put(outgoing)


def event_loop_for_this_thread() -> asyncio.AbstractEventLoop | None:
    """The loop this code runs for: its own, or the one that called it through
    sync_to_async (the same lookup asgiref's async_to_sync makes)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() else None


def enqueue(group: str, text: str, phone_text: str | None = None, seq: int | None = None) -> None:
    """Send an event to a group soon, in order, without waiting for the channel layer."""
    loop = event_loop_for_this_thread()
    if loop is None:  # no event loop at all: a management command or a plain script
        async_to_sync(send_now)(group, text, EVERYONE, phone_text, seq)
        return
    loop.call_soon_threadsafe(_put, loop, (group, text, phone_text, seq))
