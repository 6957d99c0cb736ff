"""Fan-out inside a server process: one channel-layer subscription per workshop, not
one per socket, and phones served in batches.

A straightforward Channels design puts every socket in the workshop's group, so each
event costs one Redis message and one consumer wake-up per socket. Here each process
has one `WorkshopHub` per workshop with sockets on it: the hub's single channel is the
only member the process adds to the group, so an event crosses Redis once per process.
The hub then hands the event text, unchanged, to its sockets:

- big screens get every event at once: they show the room what it is doing;
- phones get a batch (`{"type": "batch", "events": [...]}`) at most every
  PHONE_BATCH_INTERVAL: the first event after a quiet spell goes out at once, the rest
  of a burst is coalesced, so a thousand phones cost one send each per interval
  whatever the rate of ideas or votes.

Events keep their sequence numbers inside batches, and the hub puts them in order
first: events published by two processes can cross in Redis, and a channel-layer message
can be lost. A hub that sees a hole waits HOLE_WAIT for the late event, then reads the
missing ones from the event log itself (one query for the process, not one `sync` per
phone: under load, a thousand phones resyncing at once is what turned a late event into
an overload). Clients still detect gaps and resync, so nothing is ever silent. The hub
re-joins its group periodically (and when a client pings), which heals a Redis restart
that erased memberships.
"""

import asyncio
import contextlib
import logging
import time
import weakref
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from realtime.groups import workshop_group
from realtime.models import WorkshopEvent

logger = logging.getLogger(__name__)

PHONE_BATCH_INTERVAL = 0.4
HOLE_WAIT = 0.3  # how long a hub waits for a late event before reading it from the log
HOLE_FILL_MAX = 200  # a larger hole is the clients' to repair (they get a snapshot)
REJOIN_EVERY = 30.0
REJOIN_AT_MOST_EVERY = 5.0
IDLE_GRACE = 30.0  # keep a hub this long after its last socket left (reconnect storms)
SCREENS, EVERYONE = "screens", "all"


def stopping() -> bool:
    """Has the running task been asked to stop? A background loop checks it before each
    turn: Python 3.11's `asyncio.wait_for` can swallow a cancellation that lands as its
    inner call completes (bpo-42130), and a loop that went on waiting would then never
    end, leaking the task and holding up its event loop's shutdown."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


class Receiver(Protocol):
    async def send_text(self, text: str) -> None: ...


class WorkshopHub:
    """The sockets of one workshop in this process, and their single subscription."""

    def __init__(self, workshop_id: int) -> None:
        self.workshop_id = workshop_id
        self.group = workshop_group(workshop_id)
        self.screens: set[Receiver] = set()
        self.phones: set[Receiver] = set()
        # Phones' events not sent yet, by sequence (and any without one, in arrival order);
        # `sent_seq` is the last sequence sent to phones with none missing before it.
        self.pending: dict[int, str] = {}
        self.unnumbered: list[str] = []
        self.sent_seq: int | None = None
        self.last_flush = 0.0
        self.flush_task: asyncio.Task[None] | None = None
        self.last_join = 0.0
        self.channel = ""
        self.tasks: list[asyncio.Task[None]] = []
        self.idle_since: float | None = None

    async def start(self) -> None:
        layer = get_channel_layer()
        # The default "specific." prefix: channels-redis reads all of a process's specific
        # channels through one blocking pop, which a channel of another prefix would
        # have to queue behind.
        self.channel = await layer.new_channel()
        await self.join()
        loop = asyncio.get_running_loop()
        self.tasks = [loop.create_task(self.read()), loop.create_task(self.keep_joined())]

    async def stop(self) -> None:
        for task in [*self.tasks, self.flush_task]:
            if task is not None:
                task.cancel()
        with contextlib.suppress(Exception):
            await get_channel_layer().group_discard(self.group, self.channel)

    # Membership of the channel layer group ---------------------------------------------

    async def join(self) -> None:
        self.last_join = time.monotonic()
        try:
            await asyncio.wait_for(get_channel_layer().group_add(self.group, self.channel), 2.0)
        except Exception:  # Redis down or slow: retried by read(), keep_joined and pings
            logger.warning("hub of workshop %s could not join its group", self.workshop_id)

    async def keep_joined(self) -> None:
        while not stopping():
            await asyncio.sleep(REJOIN_EVERY)
            await self.join()

    async def heal(self) -> None:
        """A client's ping: re-join now unless done very recently."""
        if time.monotonic() - self.last_join >= REJOIN_AT_MOST_EVERY:
            await self.join()

    # Sockets ---------------------------------------------------------------------------

    def attach(self, receiver: Receiver, *, screen: bool) -> None:
        (self.screens if screen else self.phones).add(receiver)
        self.idle_since = None

    def detach(self, receiver: Receiver) -> None:
        self.screens.discard(receiver)
        self.phones.discard(receiver)
        if not self.screens and not self.phones:
            self.idle_since = time.monotonic()

    # Delivery --------------------------------------------------------------------------

    async def read(self) -> None:
        layer = get_channel_layer()
        while not stopping():
            try:
                message = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis is down or restarting: when it is back, its memberships may be
                # gone, so join again (retrying each second) before reading on.
                logger.warning("hub of workshop %s: receive failed", self.workshop_id)
                await asyncio.sleep(1.0)
                await self.join()
                continue
            await self.deliver(
                message.get("text", ""),
                message.get("audience", EVERYONE),
                message.get("phone_text"),
                message.get("seq"),
            )

    async def deliver(
        self, text: str, audience: str, phone_text: str | None = None, seq: int | None = None
    ) -> None:
        """Screens get `text` at once; phones (everyone's events only) get `phone_text` if
        the event has a phone version (a private note redacted), else the same text, in
        the next batch."""
        for screen in list(self.screens):
            await _send(screen, text)
        if audience != EVERYONE:
            return
        if not self.phones:
            self.sent_seq = None  # nobody to keep in step: start afresh with the next phone
            return
        if seq is None:
            self.unnumbered.append(phone_text or text)
        else:
            self.pending[seq] = phone_text or text
        self._schedule()

    def _schedule(self) -> None:
        if self.flush_task is None or self.flush_task.done():
            wait = self.last_flush + PHONE_BATCH_INTERVAL - time.monotonic()
            self.flush_task = asyncio.get_running_loop().create_task(self.flush_after(wait))

    def take_ready(self) -> list[str]:
        """The pending events that can go out in order: up to the first hole."""
        ready, self.unnumbered = self.unnumbered, []
        if self.pending and self.sent_seq is None:
            self.sent_seq = min(self.pending) - 1
        for seq in sorted(self.pending):
            assert self.sent_seq is not None
            if seq > self.sent_seq + 1:
                break
            ready.append(self.pending.pop(seq))
            self.sent_seq = max(self.sent_seq, seq)
        return ready

    async def fill_hole(self) -> None:
        """Read the events missing before the pending ones from the log (committed before
        them, since sequence order is commit order)."""
        assert self.sent_seq is not None
        wanted = [s for s in range(self.sent_seq + 1, min(self.pending)) if s not in self.pending]
        if not wanted or len(wanted) > HOLE_FILL_MAX:
            return
        try:
            found = await database_sync_to_async(logged_phone_events)(self.workshop_id, wanted)
        except Exception:  # the database is down: the clients' own resync will repair
            logger.warning("hub of workshop %s: could not read missing events", self.workshop_id)
            return
        self.pending.update(found)

    async def flush_after(self, wait: float) -> None:
        if wait > 0:
            await asyncio.sleep(wait)
        events = self.take_ready()
        if self.pending:  # a hole: the late event is usually on its way
            await asyncio.sleep(HOLE_WAIT)
            events += self.take_ready()
            if self.pending:
                await self.fill_hole()
                events += self.take_ready()
            if self.pending:  # cannot be filled: send as is, clients resync by sequence
                self.sent_seq = max(self.pending)
                events += [self.pending.pop(seq) for seq in sorted(self.pending)]
        self.last_flush = time.monotonic()
        if events:
            # Encoded once for every phone: the logged texts spliced into one message.
            batch = '{"type":"batch","events":[' + ",".join(events) + "]}"
            for phone in list(self.phones):
                await _send(phone, batch)
        if self.pending or self.unnumbered:  # arrived while this batch was being made
            self._schedule()


def logged_phone_events(workshop_id: int, seqs: list[int]) -> dict[int, str]:
    """Phones' version of the logged events `seqs` (realtime.broadcast.publish)."""
    rows = WorkshopEvent.objects.filter(workshop_id=workshop_id, seq__in=seqs).values_list(
        "seq", "payload", "phone_payload"
    )
    return {seq: phone_payload or payload for seq, payload, phone_payload in rows}


async def _send(receiver: Receiver, text: str) -> None:
    try:
        await receiver.send_text(text)
    except Exception:  # a socket closing under us: its own disconnect cleans up
        logger.debug("send to a closing socket failed", exc_info=True)


# Per event loop (one per server process; one per test): hubs, hubs being started, and
# the task that stops idle hubs.
Loop = asyncio.AbstractEventLoop
_hubs: "weakref.WeakKeyDictionary[Loop, dict[int, WorkshopHub]]" = weakref.WeakKeyDictionary()
_starting: "weakref.WeakKeyDictionary[Loop, dict[int, asyncio.Future[WorkshopHub]]]" = (
    weakref.WeakKeyDictionary()
)
_sweepers: "weakref.WeakKeyDictionary[Loop, asyncio.Task[None]]" = weakref.WeakKeyDictionary()


async def hub_for(workshop_id: int) -> WorkshopHub:
    """This process's hub for a workshop, started on first use."""
    loop = asyncio.get_running_loop()
    hubs = _hubs.setdefault(loop, {})
    hub = hubs.get(workshop_id)
    if hub is not None:
        return hub
    starting = _starting.setdefault(loop, {})
    if workshop_id in starting:  # another socket of the storm is starting it
        return await asyncio.shield(starting[workshop_id])
    future: asyncio.Future[WorkshopHub] = loop.create_future()
    starting[workshop_id] = future
    try:
        hub = WorkshopHub(workshop_id)
        await hub.start()
        hubs[workshop_id] = hub
        future.set_result(hub)
        _sweep_later(loop)
        return hub
    except BaseException as exc:
        future.set_exception(exc)
        raise
    finally:
        del starting[workshop_id]


def _sweep_later(loop: Loop) -> None:
    """Stop hubs that have had no socket for IDLE_GRACE (checked lazily)."""

    async def sweep() -> None:
        while _hubs.get(loop) and not stopping():
            await asyncio.sleep(IDLE_GRACE)
            now = time.monotonic()
            for workshop_id, hub in list(_hubs.get(loop, {}).items()):
                if hub.idle_since is not None and now - hub.idle_since >= IDLE_GRACE:
                    del _hubs[loop][workshop_id]
                    await hub.stop()

    sweeper = _sweepers.get(loop)
    if sweeper is None or sweeper.done():
        _sweepers[loop] = loop.create_task(sweep())


def message(
    text: str, audience: str = EVERYONE, phone_text: str | None = None, seq: int | None = None
) -> dict[str, Any]:
    """The channel-layer message a hub understands."""
    body: dict[str, Any] = {"type": "hub.event", "text": text, "audience": audience}
    if phone_text is not None:
        body["phone_text"] = phone_text
    if seq is not None:
        body["seq"] = seq
    return body
