"""Load client for the live path: N phones post ideas, a big screen must show every one.

It drives a running Cocon exactly as browsers do, over loopback only: each phone joins
over HTTP (CSRF form, device cookie), opens its WebSocket with that cookie and an Origin
header, syncs, then ideas are posted at a fixed total rate from random phones. Every
socket, phone or big screen, behaves like `static/cocon/live.js`: events applied in
sequence order, a jump waits a short grace then triggers `sync` from the last applied
sequence, a lost connection is re-opened with exponential backoff and full jitter (to
the next `--url`, like a proxy routing around a dead worker) and followed by `sync`, and
ideas go through an outbox: resent with the same `request_id` until acked, retried
after a retryable error. Every idea carries a unique id in its body, so the report can
say which acknowledged idea never reached the screen or a phone, and how long each took.

    python bench/live_ideas.py --url http://127.0.0.1:8001 --url http://127.0.0.1:8002 \
        --workshop-id 1 --join-code ACDEFG --activity-id 1 --user bench --password secret \
        --phones 300 --rate 5 --duration 30 --json out.json

`--storm-at S` makes every phone drop its socket S seconds into the posting and come
back at a random moment within `--storm-window`; `--fault AT=NAME` runs
`--fault-command NAME` AT seconds into the posting (bench/faults.sh uses it to restart
Redis and kill a server process). Times are taken with one monotonic clock in this one
process, so latencies need no clock sync; they include the load client's own scheduling
delays (its CPU time is reported so that cost stays visible).
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import resource
import secrets
import shlex
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from moderator import Moderator  # bench/moderator.py: this script's folder is on the path
from votes import VotePlan, feeling_command, send_votes, vote_command, vote_report
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Origin

DEVICE_COOKIE = "cocon_device"  # settings.PARTICIPANT_COOKIE_NAME
SESSION_COOKIE = "sessionid"  # settings.SESSION_COOKIE_NAME (Django's default)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEA_KEY = re.compile(r"^\[([\w-]+)\]")  # every body starts with "[<key>]"
DOMAIN_EVENTS = frozenset(
    {
        "workshop.updated",
        "activity.updated",
        "activity.removed",
        "activity.revealed",
        "contribution.created",
        "contribution.updated",
        "contribution.removed",
        "cluster.updated",
        "cluster.removed",
        "redacted",
        "vote.items",
        "vote.tally",
        "journey.curve",
    }
)
CREATED, UPDATED = "contribution.created", "contribution.updated"
REVEALED, REMOVED = "activity.revealed", "contribution.removed"
# Events whose notes are not at the head of the text: phones parse these in full.
PARSED_EVENTS = re.compile(r'"type": ?"(?:activity\.revealed|contribution\.removed)"')
# Phones outside the sample do not parse events: pydantic writes `type`, then `seq`, then
# the contribution's `id` first (the reference server adds spaces). A body cannot fake a
# match: its quotes are escaped.
MESSAGE_TYPE = re.compile(r'\{"type": ?"([a-z.]+)"')
EVENT_HEAD = re.compile(
    r'\{"type": ?"([a-z.]+)", ?"seq": ?(\d+)(?:, ?"contribution": ?\{"id": ?(\d+))?'
)

HTTP_TIMEOUT = 30.0
OPEN_TIMEOUT = 30.0  # WebSocket opening handshake
CLOSE_TIMEOUT = 5.0
SHUTDOWN_TIMEOUT = 30.0
CONNECT_PHASE_TIMEOUT = 600.0  # every phone's first connection, all together
POLL = 0.05
LOGIN_ATTEMPTS, LOGIN_RETRY_S = 3, 2.0
PING = json.dumps({"type": "ping"})
WINDOW_S = 5.0  # screen latency is also reported per window of this many seconds
FAULT_TIMEOUT = 60.0  # a fault command taking longer is killed
RECOVERED_WITHIN = 1.0  # a fault is over once ideas reach the screen this fast again
# live.js's constants (static/cocon/live.js), in seconds.
SYNC_TIMEOUT = 10.0  # silent this long while syncing: the socket is dead (live.js)
SYNC_GIVE_UP = 60.0  # busy but unanswered this long: start over anyway
GAP_GRACE = 0.5
RETRY_S = 2.0
BACKOFF_BASE, BACKOFF_CAP = 0.5, 15.0
MAX_BUFFERED = 2000
CLOSE_NOT_JOINED, CLOSE_FORBIDDEN, CLOSE_POLICY = 4401, 4403, 1008
MAX_CONNECTIONS = 200  # per socket and run: a bound on reconnections, never reached

now = time.perf_counter

# An event as a connection keeps it: (seq, type, payload). The payload is the event's
# dict for the big screen, (contribution id, idea key or None) for phones.
Event = tuple[int, str, Any]


# State -----------------------------------------------------------------------------------


@dataclass
class Idea:
    """One posted idea and what became of it."""

    key: str
    phone: int
    sent_at: float  # created and queued in the phone's outbox, as when a person taps send
    command: str
    acked_at: float | None = None
    seq: int | None = None
    contribution_id: int | None = None
    error: str | None = None
    screen_at: float | None = None  # applied to the big screen's board
    screen_via_sync: bool = False  # applied from a `sync` reply rather than live
    sent_on: int | None = None  # the socket (its number) it was last transmitted on
    transmissions: int = 0
    retries: int = 0  # retryable errors received for it
    queued_offline: bool = False  # created while its phone had no synced socket
    in_flight_at_drop: bool = False  # storm: sent just before its phone dropped
    fault_burst: bool = False  # sent just before a fault
    vote_item: int | str | None = None  # a vote or a stage rating (bench/votes.py), not an idea


@dataclass
class Run:
    """Everything shared by the phones, the screen and the sender."""

    tag: str
    rng: random.Random
    heartbeat: float
    max_beats: int
    ideas: dict[str, Idea] = field(default_factory=dict)
    votes: dict[str, Idea] = field(default_factory=dict)
    acked_ids: set[int] = field(default_factory=set)  # contribution ids of acked ideas
    max_acked_seq: int = 0
    errors: Counter[str] = field(default_factory=Counter)  # final: nothing will retry
    retried: Counter[str] = field(default_factory=Counter)  # retryable errors, retried
    screen_notices: Counter[str] = field(default_factory=Counter)  # storage.alert, by code
    failures: Counter[str] = field(default_factory=Counter)
    sync_modes: Counter[str] = field(default_factory=Counter)
    sync_reply_s: list[float] = field(default_factory=list)
    duplicate_acks: int = 0  # a second ack for an idea (a resend answered from its receipt)
    ack_conflicts: int = 0  # ... naming another contribution: a duplicate row
    stopping: bool = False
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    max_send_lag: float = 0.0
    pings: int = 0
    pongs: int = 0
    sync_timeouts: int = 0
    sync_waits: int = 0  # sync timers re-armed because the socket was still hearing the server
    offline_at_end: int = 0
    storm_at: float | None = None
    storm_closed_s: float | None = None
    faults: list[dict[str, Any]] = field(default_factory=list)
    cells: list[tuple[str, str]] = field(default_factory=list)  # a journey's (stage, lane)

    def spawn(self, coroutine: Awaitable[Any], tasks: set[asyncio.Task]) -> None:
        task = asyncio.ensure_future(coroutine)
        tasks.add(task)
        task.add_done_callback(tasks.discard)


def idea_key(body: str) -> str | None:
    match = IDEA_KEY.match(body)
    return match.group(1) if match else None


def jitter(rng: random.Random, seconds: float) -> float:
    return seconds + rng.random() * seconds  # live.js: ms + Math.random() * ms


# One live connection, as static/cocon/live.js keeps it ----------------------------------


class Link:
    """A socket that stays in step with the workshop's event log, like `LiveClient`.

    Subclasses say how to read a message and what applying an event means."""

    role = "phone"

    def __init__(self, run: Run, index: int, urls: list[str], home: int, workshop_id: int):
        self.run, self.index, self.urls, self.url_index = run, index, urls, home
        self.workshop_id = workshop_id
        self.cookie = ""
        self.ws: ClientConnection | None = None
        self.socket_id = 0
        self.attempt = 0  # backoff exponent; reset when a socket opens
        self.last_seq: int | None = None  # last seq applied, in order
        self.known_seq = 0  # highest seq known to exist (events, pongs)
        self.syncing = False
        self.sync_id: str | None = None
        self.sync_number = 0
        self.sync_sent_at = 0.0
        self.sync_target: int | None = None  # a gap sync must reach this seq
        self.buffered: dict[int, Event] = {}
        self.gap_timer: asyncio.TimerHandle | None = None
        self.sync_timer: asyncio.TimerHandle | None = None
        self.last_heard = 0.0
        self.retry_timer: asyncio.TimerHandle | None = None
        self.outbox: dict[str, Idea] = {}
        self.tasks: set[asyncio.Task] = set()
        # Life of the link, for the report.
        self.limit: asyncio.Semaphore | None = None  # held during the first connection
        self.first_done = asyncio.Event()
        self.started = 0.0
        self.connect_s: float | None = None
        self.connections = 0
        self.connect_failures: Counter[str] = Counter()
        self.failovers = 0
        self.gap_syncs = 0
        self.gaps_repaired = 0
        self.stopped = False  # refused for good (4401/4403)
        self.dropping = False  # closing on purpose (storm)
        self.hold_until: float | None = None  # storm: reconnect at this moment
        self.down: list[Any] | None = None  # [kind, closed_at, back_at] until synced again
        self.outages: list[list[Any]] = []  # every [kind, closed_at, back_at]
        self.lost_closes: list[float] = []  # when a socket closed that nobody closed on purpose
        self.storm_target: int | None = None
        self.storm_caught_up_at: float | None = None
        self.storm_reconnect_at: float | None = None

    # To be provided by subclasses ----------------------------------------------------------

    async def on_raw(self, raw: str, at: float) -> None:
        raise NotImplementedError

    def apply(self, event: Event, at: float, via_sync: bool) -> None:
        raise NotImplementedError

    def apply_snapshot(self, snapshot: dict[str, Any], at: float) -> None:
        raise NotImplementedError

    def event_of(self, event: dict[str, Any]) -> Event:
        raise NotImplementedError

    # Connection --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.urls[self.url_index]

    async def supervise(self, limit: asyncio.Semaphore) -> None:
        """Keep a socket open until the run stops: the first connection under `limit`
        (the join stampede's bound), then reconnections as live.js makes them."""
        await limit.acquire()
        self.limit, self.started = limit, now()
        try:
            for number in range(MAX_CONNECTIONS):
                if self.run.stopping or self.stopped:
                    return
                if number > 0 and not await self.pause_before_reconnect():
                    return
                try:
                    ws = await open_socket(self.url, self.workshop_id, self.role, self.cookie)
                except (OSError, InvalidHandshake, TimeoutError) as exc:
                    if self.connect_s is None:
                        self.first_failed("connect", exc)
                        return
                    self.connect_failures[type(exc).__name__] += 1
                    self.fail_over()
                    continue
                await self.serve(ws)
                if self.connect_s is None:  # closed before its first sync reply
                    self.first_failed("connect", RuntimeError(f"closed ({ws.close_code})"))
                    return
                self.after_close(ws)
        finally:
            self.release_limit()

    def first_failed(self, what: str, exc: BaseException) -> None:
        first_line = (str(exc).splitlines() or [""])[0]
        self.run.failures[f"{what}: {type(exc).__name__}: {first_line}"[:200]] += 1
        self.run.errors[f"{what}_failed"] += 1

    def release_limit(self) -> None:
        if self.limit is not None:
            self.limit.release()
            self.limit = None
        self.first_done.set()

    def fail_over(self) -> None:
        """The next connection goes to the next server, as a proxy would route it."""
        if len(self.urls) > 1:
            self.url_index = (self.url_index + 1) % len(self.urls)
            self.failovers += 1

    async def pause_before_reconnect(self) -> bool:
        """Wait for the storm's chosen moment, else live.js's backoff with full jitter.
        False when the run stops meanwhile."""
        if self.hold_until is not None:
            delay, self.hold_until = self.hold_until - now(), None
            self.storm_reconnect_at = max(now(), now() + delay)
        else:
            ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2**self.attempt)
            self.attempt += 1
            delay = self.run.rng.random() * ceiling
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.run.stop.wait(), delay)
        return not self.run.stopping

    async def serve(self, ws: ClientConnection) -> None:
        """One socket's life: sync, then read until it closes."""
        self.ws, self.socket_id, self.attempt = ws, self.socket_id + 1, 0
        self.connections += 1
        self.syncing, self.sync_id = False, None
        first_ping = (
            self.run.rng.uniform(0, self.run.heartbeat)
            if self.connections == 1
            else self.run.heartbeat
        )
        beats = asyncio.ensure_future(self.beat(ws, first_ping)) if self.run.heartbeat > 0 else None
        try:
            await self.request_sync()
            async for raw in ws:
                assert isinstance(raw, str)
                self.last_heard = now()
                await self.on_raw(raw, now())
        except ConnectionClosed:
            pass
        finally:
            if beats is not None:
                beats.cancel()
            for timer in (self.gap_timer, self.sync_timer, self.retry_timer):
                if timer is not None:
                    timer.cancel()
            self.gap_timer = self.sync_timer = self.retry_timer = None
            self.ws, self.syncing, self.sync_id, self.sync_target = None, False, None, None

    def after_close(self, ws: ClientConnection) -> None:
        code = ws.close_code
        if code in (CLOSE_NOT_JOINED, CLOSE_FORBIDDEN):
            self.stopped = True
            self.run.errors[f"{self.role}_closed_{code}"] += 1
            return
        if self.run.stopping:
            return
        kind = "storm" if self.dropping else "lost"
        if self.dropping:  # the storm: the hold is already set
            self.dropping = False
        else:
            self.lost_closes.append(now())
            if code == CLOSE_POLICY:
                self.attempt = max(self.attempt, 5)  # told off: slow down
            self.fail_over()
        if self.down is None:  # an outage lasts until a sync reply, over failed attempts
            self.down = [kind, now(), None]
            self.outages.append(self.down)

    async def beat(self, ws: ClientConnection, first: float) -> None:
        """The app-level `ping` live.js sends every 25 s: the server touches presence,
        re-joins the hub's group and reads the sequence, so it belongs to the load."""
        await asyncio.sleep(first)
        for _beat in range(self.run.max_beats):
            if self.run.stopping or self.ws is not ws:
                return
            try:
                await ws.send(PING)
            except ConnectionClosed:
                return
            self.run.pings += 1
            await asyncio.sleep(self.run.heartbeat)

    async def drop(self, hold_until: float) -> None:
        """The storm: lose the connection now, come back at `hold_until`."""
        self.hold_until = hold_until
        ws = self.ws
        if ws is None:
            return
        self.dropping = True
        with contextlib.suppress(Exception):
            await ws.close()

    # Sync ----------------------------------------------------------------------------------

    async def request_sync(self, gap: bool = False) -> None:
        ws = self.ws
        if ws is None or self.syncing or self.dropping:
            return
        if self.gap_timer is not None:
            self.gap_timer.cancel()
            self.gap_timer = None
        self.syncing = True
        self.sync_number += 1
        self.sync_id = f"sync-{self.role}-{self.index}-{self.sync_number}"
        self.sync_sent_at = now()
        if gap:
            self.gap_syncs += 1
            self.sync_target = self.known_seq
        self.arm_sync_timer(ws, self.sync_id, now())
        with contextlib.suppress(ConnectionClosed):
            await ws.send(
                json.dumps({"type": "sync", "last_seq": self.last_seq, "request_id": self.sync_id})
            )

    def arm_sync_timer(self, ws: ClientConnection, sync_id: str, sent_at: float) -> None:
        loop = asyncio.get_running_loop()
        self.sync_timer = loop.call_later(SYNC_TIMEOUT, self.sync_timed_out, ws, sync_id, sent_at)

    def sync_timed_out(self, ws: ClientConnection, sync_id: str, sent_at: float) -> None:
        if self.ws is not ws or not self.syncing or self.sync_id != sync_id:
            return
        # As live.js: a socket that still hears the server waits (up to SYNC_GIVE_UP).
        busy = now() - self.last_heard < SYNC_TIMEOUT
        if busy and now() - sent_at < SYNC_GIVE_UP:
            self.run.sync_waits += 1
            self.arm_sync_timer(ws, sync_id, sent_at)
            return
        self.run.sync_timeouts += 1
        self.run.spawn(ws.close(), self.tasks)  # no answer: start over (live.js)

    def sync_failed(self, code: str) -> None:
        self.run.retried[f"{self.role}_sync:{code}"] += 1
        if self.sync_timer is not None:
            self.sync_timer.cancel()
        self.syncing, self.sync_id = False, None
        delay = jitter(self.run.rng, RETRY_S)
        asyncio.get_running_loop().call_later(
            delay, lambda: self.run.spawn(self.request_sync(), self.tasks)
        )

    async def apply_sync(self, reply: dict[str, Any], at: float) -> None:
        if self.sync_timer is not None:
            self.sync_timer.cancel()
            self.sync_timer = None
        self.run.sync_reply_s.append(at - self.sync_sent_at)
        mode = reply.get("mode")
        self.run.sync_modes[f"{self.role}:{mode}"] += 1
        if mode == "snapshot":
            self.apply_snapshot(reply.get("snapshot") or {}, at)
        else:
            for event in reply.get("events") or []:
                item = self.event_of(event)
                if self.last_seq is None or item[0] > self.last_seq:
                    self.apply(item, at, via_sync=True)
        self.last_seq = reply["seq"]
        self.known_seq = max(self.known_seq, reply["seq"])
        self.syncing, self.sync_id = False, None
        if self.sync_target is not None and self.last_seq >= self.sync_target:
            self.gaps_repaired += 1
        self.sync_target = None
        if self.connect_s is None:
            self.connect_s = at - self.started
            self.release_limit()
        if self.down is not None:  # back after a drop: synced again
            self.down[2] = at
            if self.down[0] == "storm":
                self.storm_target = self.run.max_acked_seq
            self.down = None
        self.drain(at)
        await self.flush_outbox()

    # Events --------------------------------------------------------------------------------

    def receive_event(self, event: Event, at: float) -> None:
        seq = event[0]
        self.note_known(seq)
        if self.last_seq is not None and seq <= self.last_seq:
            return  # already applied
        if len(self.buffered) < MAX_BUFFERED:
            self.buffered.setdefault(seq, event)
        if not self.syncing and self.last_seq is not None:
            self.drain(at)

    def drain(self, at: float) -> None:
        """Apply buffered events that follow on; wait a moment for any that are missing."""
        assert self.last_seq is not None
        while self.last_seq + 1 in self.buffered:
            event = self.buffered.pop(self.last_seq + 1)
            self.last_seq = event[0]
            self.apply(event, at, via_sync=False)
        if self.buffered and min(self.buffered) <= self.last_seq:
            self.buffered = {s: e for s, e in self.buffered.items() if s > self.last_seq}
        if (
            self.storm_target is not None
            and self.storm_caught_up_at is None
            and self.last_seq >= self.storm_target
        ):
            self.storm_caught_up_at = at
        self.check_gap()

    def note_known(self, seq: int) -> None:
        if seq > self.known_seq:
            self.known_seq = seq
        self.check_gap()

    def check_gap(self) -> None:
        if self.last_seq is None or self.syncing or self.known_seq <= self.last_seq:
            if self.gap_timer is not None:
                self.gap_timer.cancel()
                self.gap_timer = None
            return
        if self.gap_timer is not None:
            return
        self.gap_timer = asyncio.get_running_loop().call_later(
            jitter(self.run.rng, GAP_GRACE), self.gap_expired
        )

    def gap_expired(self) -> None:
        self.gap_timer = None
        if self.last_seq is not None and self.known_seq > self.last_seq:
            self.run.spawn(self.request_sync(gap=True), self.tasks)

    # Outbox --------------------------------------------------------------------------------

    async def submit(self, idea: Idea) -> None:
        """Queue an idea; it is sent now if connected and in step, else after the sync."""
        self.outbox[idea.key] = idea
        await self.transmit(idea)
        idea.queued_offline = idea.transmissions == 0

    async def transmit(self, idea: Idea) -> None:
        ws = self.ws
        if ws is None or self.dropping or self.syncing or self.last_seq is None:
            return
        if idea.sent_on == self.socket_id:
            return
        idea.sent_on = self.socket_id
        idea.transmissions += 1
        with contextlib.suppress(ConnectionClosed):
            await ws.send(idea.command)

    async def flush_outbox(self) -> None:
        for idea in list(self.outbox.values()):
            await self.transmit(idea)

    def on_ack(self, message: dict[str, Any], at: float) -> None:
        request_id = message.get("request_id") or ""
        idea = self.outbox.pop(request_id, None)
        idea = idea or self.run.ideas.get(request_id) or self.run.votes.get(request_id)
        if idea is None:
            return
        if idea.vote_item is not None:
            if idea.acked_at is not None:
                self.run.duplicate_acks += 1
            else:
                idea.acked_at = at
            return
        result = message.get("result") or {}
        contribution_id = result.get("contribution_id")
        if idea.acked_at is not None:
            self.run.duplicate_acks += 1
            if contribution_id != idea.contribution_id:
                self.run.ack_conflicts += 1
            return
        idea.acked_at, idea.seq, idea.contribution_id = at, message["seq"], contribution_id
        if isinstance(contribution_id, int):
            self.run.acked_ids.add(contribution_id)
        self.run.max_acked_seq = max(self.run.max_acked_seq, message["seq"])

    def on_error(self, message: dict[str, Any]) -> None:
        code = str(message.get("code"))
        request_id = message.get("request_id")
        if request_id and request_id == self.sync_id:
            self.sync_failed(code)
            return
        idea = self.outbox.get(request_id or "")
        if message.get("retryable"):
            self.run.retried[f"{self.role}:{code}"] += 1
            if idea is not None:  # not decided: send the same command again in a moment
                idea.retries += 1
                idea.sent_on = None
                if self.retry_timer is not None:
                    self.retry_timer.cancel()
                self.retry_timer = asyncio.get_running_loop().call_later(
                    jitter(self.run.rng, RETRY_S),
                    lambda: self.run.spawn(self.flush_outbox(), self.tasks),
                )
            return
        self.run.errors[f"{self.role}:{code}" if self.role != "phone" else code] += 1
        if idea is not None:
            idea.error = code
            del self.outbox[idea.key]


class Screen(Link):
    """The facilitator's board, kept in sequence order as live.js keeps it."""

    role = "screen"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.live_seqs: set[int] = set()  # sequences that arrived as events
        self.recovered = 0  # ideas applied from a sync reply that never arrived live before
        self.reordered = 0  # ideas applied from a sync reply that had arrived live, early
        self.presence_messages = 0
        self.last_presence: dict[str, Any] | None = None
        self.note_ids: list[int] = []  # notes of this run, in the order shown (moderator)
        self.tallies: list[tuple[float, int]] = []  # (applied at, total points) per tally

    async def on_raw(self, raw: str, at: float) -> None:
        message = json.loads(raw)
        kind = message.get("type")
        if kind == "sync":
            await self.apply_sync(message, at)
        elif kind == "presence":
            self.presence_messages += 1
            self.last_presence = message
        elif kind == "pong":
            self.run.pongs += 1
            self.note_known(message.get("seq") or 0)
        elif kind == "error":
            self.on_error(message)
        elif kind == "storage.alert":  # the database cannot write (docs/reliability.md)
            self.run.screen_notices[str(message.get("code"))] += 1
        elif kind in DOMAIN_EVENTS and isinstance(message.get("seq"), int):
            self.live_seqs.add(message["seq"])
            self.receive_event(self.event_of(message), at)

    def event_of(self, event: dict[str, Any]) -> Event:
        return event["seq"], event.get("type", ""), event

    def apply(self, event: Event, at: float, via_sync: bool) -> None:
        seq, kind, data = event
        if kind == "vote.tally":
            items = data["tally"]["items"] or []
            self.tallies.append((at, sum(item.get("count") or 0 for item in items)))
            return
        if kind == "journey.curve":  # every stage's raters, added up: the ratings stored
            stages = data["curve"]["stages"] or []
            self.tallies.append((at, sum(s["n"] for s in stages if isinstance(s["n"], int))))
            return
        if kind != CREATED:
            return
        if via_sync:
            if seq in self.live_seqs:
                self.reordered += 1
            else:
                self.recovered += 1
        self.show(data["contribution"], at, via_sync)

    def apply_snapshot(self, snapshot: dict[str, Any], at: float) -> None:
        for contribution in snapshot.get("contributions") or []:
            self.show(contribution, at, via_sync=True)

    def show(self, contribution: dict[str, Any], at: float, via_sync: bool) -> None:
        key = idea_key(contribution.get("body", ""))
        idea = self.run.ideas.get(key) if key else None
        if idea is not None and idea.screen_at is None:
            idea.screen_at = at
            idea.screen_via_sync = via_sync
            self.note_ids.append(contribution["id"])


class Phone(Link):
    """A participant's phone: its board (contribution ids) and its outbox."""

    def __init__(self, *args: Any, sample: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sample = sample
        self.join_s: float | None = None
        self.board: set[int] = set()  # contribution ids shown
        self.live_created = 0  # contribution.created received live (batches), repeats too
        self.revealed_at: float | None = None  # when a private board's reveal arrived
        self.seen: dict[str, float] = {}  # sample phones: idea key -> applied

    async def on_raw(self, raw: str, at: float) -> None:
        match = MESSAGE_TYPE.match(raw)
        kind = match.group(1) if match else ""
        if kind == "batch" or kind in DOMAIN_EVENTS:  # phones get batches (fanout.py)
            if self.sample or PARSED_EVENTS.search(raw):
                self.receive_parsed_events(raw, at)
            else:
                self.receive_raw_events(raw, at)
            return
        message = json.loads(raw)
        if kind == "ack":
            self.on_ack(message, at)
        elif kind == "error":
            self.on_error(message)
        elif kind == "sync":
            await self.apply_sync(message, at)
        elif kind == "pong":
            self.run.pongs += 1
            self.note_known(message.get("seq") or 0)

    def receive_parsed_events(self, raw: str, at: float) -> None:
        message = json.loads(raw)
        for event in (self.event_of(e) for e in message.get("events", [message])):
            if event[1] == CREATED:
                self.live_created += 1
            self.receive_event(event, at)

    def receive_raw_events(self, raw: str, at: float) -> None:
        """The hot path (every phone, every batch) without parsing: events that follow
        on are applied inline; anything else takes the general path (buffer, gap)."""
        board = self.board
        for name, seq_text, cid in EVENT_HEAD.findall(raw):
            if name not in DOMAIN_EVENTS:
                continue
            seq = int(seq_text)
            if name == CREATED:
                self.live_created += 1
            if self.syncing or self.buffered or self.last_seq is None or seq != self.last_seq + 1:
                self.receive_event((seq, name, [(int(cid), None)] if cid else None), at)
                continue
            self.last_seq = seq
            if seq > self.known_seq:
                self.known_seq = seq
            if cid:
                board.add(int(cid))
        if (
            self.storm_target is not None
            and self.storm_caught_up_at is None
            and self.last_seq is not None
            and self.last_seq >= self.storm_target
        ):
            self.storm_caught_up_at = at
        self.check_gap()

    def event_of(self, event: dict[str, Any]) -> Event:
        kind = event.get("type", "")
        payload: Any = None
        if kind in (CREATED, UPDATED):
            contribution = event["contribution"]
            payload = [(contribution["id"], idea_key(contribution.get("body", "")))]
        elif kind == REVEALED:
            payload = [(c["id"], idea_key(c.get("body", ""))) for c in event["contributions"]]
        elif kind == REMOVED:
            payload = event["contribution_id"]
        return event["seq"], kind, payload

    def apply(self, event: Event, at: float, via_sync: bool) -> None:
        kind, payload = event[1], event[2]
        if kind == REVEALED and self.revealed_at is None:
            self.revealed_at = at
        if kind == REMOVED:
            self.board.discard(payload)
            return
        if kind not in (CREATED, UPDATED, REVEALED) or payload is None:
            return
        for item in payload:
            if not isinstance(item, tuple):  # from the raw path: (id, None)
                item = (item, None)
            contribution_id, key = item
            self.board.add(contribution_id)
            if self.sample and key is not None and key not in self.seen:
                self.seen[key] = at

    def apply_snapshot(self, snapshot: dict[str, Any], at: float) -> None:
        contributions = snapshot.get("contributions") or []
        self.board = {c["id"] for c in contributions}
        if self.sample:
            for contribution in contributions:
                key = idea_key(contribution.get("body", ""))
                if key is not None and key not in self.seen:
                    self.seen[key] = at


# Joining, logging in, opening sockets --------------------------------------------------


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    if match is None:
        raise RuntimeError("no csrfmiddlewaretoken in the page")
    return match.group(1)


async def join_phone(
    phone: Phone, join_code: str, transport: httpx.AsyncHTTPTransport, limit: asyncio.Semaphore
) -> None:
    """Join as a browser does: GET the form (CSRF cookie), POST a profile, keep the cookie."""
    async with limit:
        started = now()
        # One cookie jar per phone over a shared connection pool; not closed here, since
        # closing a client closes the shared transport.
        client = httpx.AsyncClient(
            base_url=phone.url, transport=transport, trust_env=False, timeout=HTTP_TIMEOUT
        )
        path = f"/rejoindre/{join_code}/"
        page = await client.get(path)
        page.raise_for_status()
        answer = await client.post(
            path, data={"csrfmiddlewaretoken": csrf_token(page.text), "profile": "usager"}
        )
        cookie = answer.cookies.get(DEVICE_COOKIE)
        if answer.status_code != 302 or not cookie:
            raise RuntimeError(f"join answered {answer.status_code} without a device cookie")
        phone.cookie = cookie
        phone.join_s = now() - started


async def login(url: str, user: str, password: str) -> str:
    """The facilitator's session cookie, from the real login form."""
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=HTTP_TIMEOUT) as client:
        page = await client.get("/connexion/")
        page.raise_for_status()
        answer = await client.post(
            "/connexion/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "username": user,
                "password": password,
            },
        )
        session = client.cookies.get(SESSION_COOKIE)
        if answer.status_code != 302 or not session:
            raise RuntimeError(f"login answered {answer.status_code}: wrong user or password?")
        return session


async def login_with_retries(url: str, user: str, password: str, run: Run) -> str:
    """A facilitator whose login fails tries again, as a person would; each failure is
    counted, so a server refusing logins under load shows in the report."""
    for attempt in range(1, LOGIN_ATTEMPTS + 1):
        try:
            return await login(url, user, password)
        except (RuntimeError, httpx.HTTPError) as exc:
            run.errors["screen_login_failed"] += 1
            log(f"login attempt {attempt}/{LOGIN_ATTEMPTS} failed: {exc}")
            if attempt == LOGIN_ATTEMPTS:
                raise
            await asyncio.sleep(LOGIN_RETRY_S)
    raise AssertionError("unreachable")


def ws_url(url: str, workshop_id: int, role: str) -> str:
    parts = urlsplit(url)
    return f"ws://{parts.netloc}/ws/ateliers/{workshop_id}/{role}/"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def open_socket(url: str, workshop_id: int, role: str, cookie: str) -> ClientConnection:
    # No protocol-level pings: browsers send none; the app has its own heartbeat.
    return await connect(
        ws_url(url, workshop_id, role),
        origin=Origin(origin(url)),
        additional_headers={"Cookie": cookie},
        open_timeout=OPEN_TIMEOUT,
        close_timeout=CLOSE_TIMEOUT,
        ping_interval=None,
    )


# Sending, the storm, the faults ---------------------------------------------------------


async def send_ideas(
    phones: list[Phone], run: Run, activity_id: int, rate: float, duration: float, seed: int
) -> None:
    """Post round(rate × duration) ideas on a fixed schedule, each from a random phone;
    a phone that is offline at that moment queues it in its outbox, as live.js does."""
    rng = random.Random(seed)
    total = round(rate * duration)
    start = now()
    for number in range(total):
        delay = start + number / rate - now()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            run.max_send_lag = max(run.max_send_lag, -delay)
        phone = rng.choice(phones)
        await phone.submit(new_idea(run, phone, activity_id, str(number)))


def new_idea(run: Run, phone: "Phone", activity_id: int, number: str) -> Idea:
    key = f"{run.tag}-{number}"
    command = {
        "type": "contribution.create",
        "request_id": key,
        "activity_id": activity_id,
        "body": f"[{key}] Idée de charge n°{number}, téléphone {phone.index}",
    }
    if run.cells:  # a card of a journey map, in a cell of its own
        command["column"], command["lane"] = run.cells[int(number) % len(run.cells)]
    idea = Idea(
        key=key, phone=phone.index, sent_at=now(), command=json.dumps(command, ensure_ascii=False)
    )
    run.ideas[key] = idea
    return idea


async def storm(phones: list[Phone], run: Run, phases: "Phases", args: argparse.Namespace) -> None:
    """`--storm-at` seconds into the posting, every phone closes its socket; each comes back
    at a uniformly random moment within `--storm-window` seconds and syncs from its last
    sequence. Just before, `--storm-in-flight` phones post one more idea each, so that its
    ack cannot arrive on the socket being closed: they must resend it after reconnecting,
    with the same request_id, and the server must store it once."""
    await asyncio.sleep(args.storm_at)
    rng = random.Random(args.seed + 2)
    window = args.storm_window
    phases.mark("storm")
    for number, phone in enumerate(rng.sample(phones, min(args.storm_in_flight, len(phones)))):
        idea = new_idea(run, phone, args.activity_id, f"f{number}")
        idea.in_flight_at_drop = True
        await phone.submit(idea)
    started = run.storm_at = now()
    log(f"storm: {len(phones)} phones drop, back within {window:g} s")
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(SHUTDOWN_TIMEOUT):
            await asyncio.gather(
                *(p.drop(started + rng.uniform(0, window)) for p in phones),
                return_exceptions=True,
            )
    run.storm_closed_s = now() - started
    await asyncio.sleep(max(0.0, started + window - now()))
    phases.mark("after storm")


async def run_faults(
    phones: list[Phone], run: Run, phases: "Phases", args: argparse.Namespace
) -> None:
    """Run `--fault-command NAME` at each fault's time (seconds into the posting), one at
    a time, each bounded by FAULT_TIMEOUT and recorded. Right before, `--fault-burst`
    random phones post one idea each: the fault strikes while they are being written."""
    command = shlex.split(args.fault_command)
    rng = random.Random(args.seed + 3)
    start = now()
    for at, name in sorted(args.fault):
        await asyncio.sleep(max(0.0, start + at - now()))
        phases.mark(f"fault {name}")
        record: dict[str, Any] = {"name": name, "planned_s": at, "started": now()}
        run.faults.append(record)
        burst = rng.sample(phones, min(args.fault_burst, len(phones)))
        for number, phone in enumerate(burst):
            idea = new_idea(run, phone, args.activity_id, f"{name}-{number}")
            idea.fault_burst = True
            await phone.submit(idea)
        log(f"fault {name}: {shlex.join([*command, name])}")
        process = await asyncio.create_subprocess_exec(
            *command, name, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), FAULT_TIMEOUT)
        except TimeoutError:
            process.kill()
            output, _ = await process.communicate()
            record["timed_out"] = True
        record["ended"] = now()
        record["exit"] = process.returncode
        record["output"] = output.decode(errors="replace").strip().splitlines()[-10:]
        for line in record["output"]:
            log(f"fault {name}: {line}")


def settled(
    run: Run, phones: list[Phone], samples: list[Phone], screen: "Screen | None" = None
) -> bool:
    """Every idea and vote answered; every acked idea on the screen, each sample phone,
    every phone's board (no phone still offline); every acked vote in the screen's tally."""
    if run.votes:
        if any(v.acked_at is None and v.error is None for v in run.votes.values()):
            return False
        acked_votes = sum(1 for v in run.votes.values() if v.acked_at is not None)
        if screen is not None and (not screen.tallies or screen.tallies[-1][1] < acked_votes):
            return False
    for idea in run.ideas.values():
        if idea.acked_at is None and idea.error is None:
            return False
        if idea.acked_at is not None:
            if idea.screen_at is None:
                return False
            if any(idea.key not in phone.seen for phone in samples):
                return False
    live = [p for p in phones if not p.stopped]
    if any(p.ws is None or len(p.board) < len(run.acked_ids) for p in live):
        return False
    return all(run.acked_ids <= p.board for p in live)


# Figures ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no data."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_ms(values: Iterable[float], points: Iterable[float] = (50, 95, 99)) -> dict:
    data = [v * 1000 for v in values]
    figures: dict[str, Any] = {"n": len(data)}
    for p in points:
        value = percentile(data, p)
        figures[f"p{p:g}"] = None if value is None else round(value, 1)
    figures["max"] = round(max(data), 1) if data else None
    return figures


def cpu_seconds() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a local process (fields 14 and 15 of /proc/PID/stat)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Phases:
    """Wall time and CPU (this client's, each server's) between named marks.

    Server CPU per phase says where the servers' time goes (joining, connecting, or the
    live traffic itself) without a profiler; the client's says how much of the machine
    the load generator took from the servers it measures.
    """

    server_pids: list[int]
    marks: list[tuple[str, float, float, list[float | None]]] = field(default_factory=list)

    def mark(self, name: str) -> None:
        servers = [process_cpu(pid) for pid in self.server_pids]
        self.marks.append((name, now(), sum(cpu_seconds()), servers))

    def summary(self) -> dict[str, dict[str, Any]]:
        phases: dict[str, dict[str, Any]] = {}
        for start, end in zip(self.marks, self.marks[1:], strict=False):
            wall = end[1] - start[1]
            servers = [
                None if a is None or b is None else round(b - a, 2)
                for a, b in zip(start[3], end[3], strict=True)
            ]
            phases[start[0]] = {
                "wall_s": round(wall, 2),
                "client_cpu_s": round(end[2] - start[2], 2),
                "server_cpu_s": servers,
                # Under a second, clock-tick granularity (10 ms) makes a share meaningless.
                "server_core_share": [
                    None if cpu is None or wall < 1 else round(cpu / wall, 3) for cpu in servers
                ],
            }
        return phases


async def bounded_gather(jobs: list[Awaitable[None]], what: str, run: Run) -> None:
    """Run jobs together; a failed job is counted, not fatal (the report says how many)."""
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            first_line = (str(result).splitlines() or [""])[0]
            run.failures[f"{what}: {type(result).__name__}: {first_line}"[:200]] += 1
            run.errors[f"{what}_failed"] += 1


# The run ---------------------------------------------------------------------------------


async def run_bench(args: argparse.Namespace) -> dict[str, Any]:
    """One whole run (join, big screen, connect, post, drain, close); returns the figures."""
    cpu_start, wall_start = cpu_seconds(), now()
    phases = Phases(server_pids=args.server_pid or [])
    max_beats = 0
    if args.heartbeat > 0:
        max_beats = int((args.duration + args.drain + CONNECT_PHASE_TIMEOUT) / args.heartbeat) + 2
    run = Run(
        tag=f"b{secrets.token_hex(3)}",
        rng=random.Random(args.seed + 1),
        heartbeat=args.heartbeat,
        max_beats=max_beats,
    )
    journey = journey_setup(args)
    run.cells = [(stage, lane) for stage in journey.get("stages", []) for lane in journey["lanes"]]
    phones = [
        Phone(run, i, args.url, i % len(args.url), args.workshop_id, sample=i < args.sample_phones)
        for i in range(args.phones)
    ]
    limit = asyncio.Semaphore(args.join_concurrency)

    # (a) Phones join over HTTP.
    phases.mark("join")
    log(f"joining {len(phones)} phones over {len(args.url)} server(s)…")
    limits = httpx.Limits(max_connections=args.join_concurrency)
    transports = {url: httpx.AsyncHTTPTransport(limits=limits) for url in args.url}
    started = now()
    if args.reference:  # the reference server has no accounts: every phone is "joined"
        for phone in phones:
            phone.cookie, phone.join_s = "reference", 0.0
    else:
        await bounded_gather(
            [join_phone(p, args.join_code, transports[p.url], limit) for p in phones],
            "join",
            run,
        )
    join_total = now() - started
    for transport in transports.values():
        await transport.aclose()
    joined = [p for p in phones if p.cookie]
    for phone in joined:
        phone.cookie = f"{DEVICE_COOKIE}={phone.cookie}"

    # (b) The big screen logs in and follows the board (on the first URL).
    phases.mark("screen_login")
    screen = Screen(run, 0, args.url, 0, args.workshop_id)
    session = (
        "reference"
        if args.reference
        else await login_with_retries(args.url[0], args.user, args.password, run)
    )
    screen.cookie = f"{SESSION_COOKIE}={session}"
    supervisors = [asyncio.create_task(screen.supervise(asyncio.Semaphore(1)))]
    async with asyncio.timeout(OPEN_TIMEOUT + SYNC_TIMEOUT):
        await screen.first_done.wait()
    if screen.connect_s is None:
        raise RuntimeError(f"the big screen could not connect: {dict(run.failures)}")

    # (c) Phones open their sockets and sync; each keeps its socket open from then on.
    phases.mark("connect")
    log(f"opening {len(joined)} phone sockets…")
    started = now()
    supervisors += [asyncio.create_task(p.supervise(limit)) for p in joined]
    async with asyncio.timeout(CONNECT_PHASE_TIMEOUT):
        await asyncio.gather(*(p.first_done.wait() for p in joined))
    connect_total = now() - started
    connected = [p for p in joined if p.connect_s is not None]
    samples = [p for p in connected if p.sample]
    if not connected:
        raise RuntimeError(f"no phone could connect: {dict(run.failures)}")

    # (d) Post ideas at the given rate, with the storm or the faults alongside; (e) the
    # screen and the phones record.
    log(f"posting {round(args.rate * args.duration)} ideas over {args.duration:g} s…")
    phases.mark("send")
    cpu_send = cpu_seconds()
    wall_send = now()
    side: list[asyncio.Task] = []
    if args.storm_at is not None:
        side.append(asyncio.create_task(storm(connected, run, phases, args)))
    if args.fault:
        side.append(asyncio.create_task(run_faults(connected, run, phases, args)))
    moderator = None
    if args.moderate:
        # On its own socket (the tablet page), on the last server, beside the big screen.
        moderator = Moderator(
            lambda: open_socket(args.url[-1], args.workshop_id, "screen", screen.cookie),
            args.activity_id,
            screen.note_ids,
            every=args.moderate_every,
            reveal_at=args.reveal_at,
            seed=args.seed + 3,
        )
        side.append(asyncio.create_task(moderator.run(args.duration)))
    plan = vote_plan(args)
    if plan is not None:

        def new_vote(phone: Phone, item_id: Any, number: int) -> Idea:
            key = f"{run.tag}-v{number}"
            if plan.feelings:
                value = random.Random(f"{args.seed}-{number}").randint(-2, 2)
                command = feeling_command(key, plan.activity_id, item_id, value)
            else:
                command = vote_command(key, item_id)
            vote = Idea(
                key=key, phone=phone.index, sent_at=now(), command=command, vote_item=item_id
            )
            run.votes[key] = vote
            return vote

        side.append(asyncio.create_task(send_votes(plan, connected, new_vote, args.seed + 4)))
    if args.rate > 0:
        await send_ideas(connected, run, args.activity_id, args.rate, args.duration, args.seed)
    else:
        await asyncio.sleep(args.duration)
    sending_done = now()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(FAULT_TIMEOUT + args.storm_window + SHUTDOWN_TIMEOUT):
            await asyncio.gather(*side, return_exceptions=True)
    phases.mark("drain")

    # (f) Drain: until everything is settled, or the drain period is over.
    deadline = sending_done + args.drain
    while now() < deadline and not settled(run, connected, samples, screen):
        await asyncio.sleep(POLL)
    drain_s = now() - sending_done
    cpu_measure = sum(cpu_seconds()) - sum(cpu_send)
    wall_measure = now() - wall_send

    # Shut down: close every socket (bounded), then collect the supervisors.
    phases.mark("close")
    run.offline_at_end = sum(1 for p in connected if p.ws is None and not p.stopped)
    run.stopping = True
    run.stop.set()
    sockets = [link.ws for link in [*joined, screen] if link.ws is not None]
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(SHUTDOWN_TIMEOUT):
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
            await asyncio.gather(*supervisors, return_exceptions=True)
    for task in supervisors:
        task.cancel()

    phases.mark("end")
    cpu_end = cpu_seconds()
    figures = report(
        args,
        run,
        screen,
        phones,
        connected,
        samples,
        timings={
            "join_total_s": join_total,
            "connect_total_s": connect_total,
            "drain_s": drain_s,
            "client_cpu_user_s": cpu_end[0] - cpu_start[0],
            "client_cpu_system_s": cpu_end[1] - cpu_start[1],
            "client_wall_s": now() - wall_start,
            "client_cpu_during_measure_s": cpu_measure,
            "wall_during_measure_s": wall_measure,
        },
    )
    figures["phases"] = phases.summary()
    figures["ideas"] = idea_rows(run, wall_send)
    figures["server_pids"] = phases.server_pids
    figures["screen"]["latency_by_window"] = latency_windows(run, wall_send, WINDOW_S)
    if args.storm_at is not None:
        figures["storm"] = storm_figures(args, run, connected)
    if args.fault:
        figures["faults"] = fault_figures(run, connected, screen, wall_send, sending_done)
    if moderator is not None:
        figures["moderation"] = moderation_figures(moderator, run, connected, samples)
    if plan is not None:
        figures["votes"] = vote_report(list(run.votes.values()), screen.tallies, latency_ms)
        figures["votes"]["activity_id"] = plan.activity_id
    return figures


def vote_plan(args: argparse.Namespace) -> VotePlan | None:
    """The votes to send, on the vote activity bench/setup_workshop.py prepared, or the
    stage ratings, on its journey map."""
    if args.feelings_per_phone:
        journey = journey_setup(args)
        return VotePlan(
            activity_id=args.activity_id,
            item_ids=journey["stages"],
            rate=0.0,
            duration=args.vote_duration or args.duration,
            per_phone=args.feelings_per_phone,
            feelings=True,
        )
    if not (args.vote_rate or args.votes_per_phone):
        return None
    with open(args.setup, encoding="utf-8") as source:
        setup = json.load(source)
    if not setup.get("vote_item_ids"):
        raise RuntimeError("votes asked but the workshop has no vote items (--vote-items)")
    return VotePlan(
        activity_id=setup["vote_activity_id"],
        item_ids=setup["vote_item_ids"],
        rate=args.vote_rate,
        duration=args.vote_duration or args.duration,
        per_phone=args.votes_per_phone,
    )


def journey_setup(args: argparse.Namespace) -> dict[str, Any]:
    """The journey map bench/setup_workshop.py --journey prepared (stages, open lanes)."""
    if not args.setup:
        return {}
    with open(args.setup, encoding="utf-8") as source:
        journey = json.load(source).get("journey") or {}
    if args.feelings_per_phone and not journey:
        raise RuntimeError("stage ratings asked but the workshop has no journey (--journey)")
    return journey


def moderation_figures(
    moderator: Moderator, run: Run, connected: list[Phone], samples: list[Phone]
) -> dict[str, Any]:
    """The facilitator's command latencies; with a reveal, how fast it reached every phone
    and how fast phones saw the ideas posted after it."""
    figures = moderator.figures(latency_ms)
    sent = moderator.reveal_sent_at
    if sent is not None:
        arrived = [p.revealed_at - sent for p in connected if p.revealed_at is not None]
        figures["reveal_to_phones"] = {
            "received": len(arrived),
            "phones": len(connected),
            "latency_ms": latency_ms(arrived),
        }
        after = moderator.reveal_acked_at or sent
        later = [i for i in run.ideas.values() if i.acked_at is not None and i.sent_at > after]
        figures["phone_sample_after_reveal_ms"] = latency_ms(
            phone.seen[i.key] - i.sent_at for phone in samples for i in later if i.key in phone.seen
        )
    return figures


def idea_rows(run: Run, start: float) -> list[dict[str, Any]]:
    """Per-idea timings for the JSON file, for looking at a distribution's shape later."""

    def ms(at: float | None, origin: float) -> float | None:
        return None if at is None else round((at - origin) * 1000, 1)

    return [
        {
            "key": idea.key,
            "phone": idea.phone,
            "sent_ms": ms(idea.sent_at, start),
            "ack_ms": ms(idea.acked_at, idea.sent_at),
            "screen_ms": ms(idea.screen_at, idea.sent_at),
            "screen_via_sync": idea.screen_via_sync,
            "seq": idea.seq,
            "contribution_id": idea.contribution_id,
            "transmissions": idea.transmissions,
            "retries": idea.retries,
            "queued_offline": idea.queued_offline,
            "error": idea.error,
        }
        for idea in run.ideas.values()
    ]


def latency_windows(run: Run, start: float, width: float) -> list[dict[str, Any]]:
    """Screen latency per window of send time: shows whether a tail is steady or a burst."""
    windows: dict[int, list[float]] = {}
    for idea in run.ideas.values():
        if idea.screen_at is not None:
            index = int((idea.sent_at - start) // width)
            windows.setdefault(index, []).append(idea.screen_at - idea.sent_at)
    return [
        {"from_s": index * width, **latency_ms(values, (50,))}
        for index, values in sorted(windows.items())
    ]


def seconds(values: Iterable[float]) -> dict[str, Any]:
    """Offsets in seconds (p50/p95/max), for storm and fault timelines."""
    data = list(values)
    figures: dict[str, Any] = {"n": len(data)}
    for p in (50, 95):
        value = percentile(data, p)
        figures[f"p{p}"] = None if value is None else round(value, 2)
    figures["max"] = round(max(data), 2) if data else None
    return figures


def storm_figures(args: argparse.Namespace, run: Run, phones: list[Phone]) -> dict[str, Any]:
    """Back: reconnected and synced after the storm's drop. Caught up: the phone's board
    is in order up to (its applied sequence reached) the highest sequence acked to any
    phone by the moment it was back, so it shows everything the room had posted."""
    t0 = run.storm_at
    if t0 is None:
        return {"started": False}
    firsts = ((p, next((o for o in p.outages if o[0] == "storm"), None)) for p in phones)
    drops = [(p, o) for p, o in firsts if o is not None]
    back = [(p, o) for p, o in drops if o[2] is not None]
    caught = [p for p, _o in back if p.storm_caught_up_at is not None]
    target_s = args.storm_window + 5.0
    back_s = [o[2] - t0 for _p, o in back]
    caught_s = [p.storm_caught_up_at - t0 for p in caught if p.storm_caught_up_at]
    storm_ideas = [i for i in run.ideas.values() if t0 <= i.sent_at < t0 + args.storm_window]
    acked = [i for i in storm_ideas if i.acked_at is not None]
    in_flight = [i for i in run.ideas.values() if i.sent_at < t0 and i.transmissions > 1]
    planted = [i for i in run.ideas.values() if i.in_flight_at_drop]
    first_seq_after = min(
        (i.seq for i in run.ideas.values() if i.sent_at >= t0 and i.seq is not None),
        default=math.inf,
    )
    last_back = max(back_s) if back_s else None
    last_caught = max(caught_s) if caught_s else None
    return {
        "at_s": args.storm_at,
        "window_s": args.storm_window,
        "close_all_s": round(run.storm_closed_s or 0.0, 2),
        "phones": len(phones),
        "dropped": len(drops),
        "back": len(back),
        "back_s": seconds(back_s),
        "reconnect_to_back_s": seconds(
            o[2] - p.storm_reconnect_at for p, o in back if p.storm_reconnect_at
        ),
        "caught_up": len(caught),
        "caught_up_s": seconds(caught_s),
        "reconnections_per_phone_max": max((p.connections for p in phones), default=0),
        "ideas_during_window": len(storm_ideas),
        "ideas_during_window_acked": len(acked),
        "queued_offline": sum(1 for i in storm_ideas if i.queued_offline),
        "resent_after_drop": len(in_flight),
        "in_flight_planted": len(planted),
        "in_flight_planted_resent_acked": sum(
            1 for i in planted if i.transmissions > 1 and i.acked_at is not None
        ),
        # Committed from the first send (a sequence below every idea posted after the
        # drop): the resend was answered from the server's receipt, not stored again.
        "in_flight_planted_stored_at_drop": sum(
            1 for i in planted if i.seq is not None and i.seq < first_seq_after
        ),
        "ack_latency_during_window_ms": latency_ms(
            (i.acked_at - i.sent_at for i in acked if i.acked_at), (50, 99)
        ),
        "screen_latency_during_window_ms": latency_ms(
            (i.screen_at - i.sent_at for i in storm_ideas if i.screen_at), (50, 99)
        ),
        "screen_latency_sent_online_ms": latency_ms(
            (i.screen_at - i.sent_at for i in storm_ideas if i.screen_at and not i.queued_offline),
            (50, 99),
        ),
        "target_s": target_s,
        "target_met": (
            len(back) == len(phones) == len(caught)
            and last_back is not None
            and last_back <= target_s
            and last_caught is not None
            and last_caught <= target_s
        ),
    }


def fault_figures(
    run: Run, phones: list[Phone], screen: Screen, send_start: float, send_end: float
) -> list[dict[str, Any]]:
    """Per fault: the sockets it cost and when they were back, and when ideas reached the
    screen within RECOVERED_WITHIN again (every idea sent from then until the next fault
    did)."""
    figures = []
    starts = [f["started"] for f in run.faults] + [send_end]
    for fault, until in zip(run.faults, starts[1:], strict=True):
        t0 = fault["started"]

        def hit(link: Link, t0: float = t0, until: float = until) -> list[list[Any]]:
            return [o for o in link.outages if o[0] == "lost" and t0 <= o[1] < until]

        lost = [o for p in phones for o in hit(p)]
        back = [o[2] - t0 for o in lost if o[2] is not None]
        closes = sum(1 for p in phones for at in p.lost_closes if t0 <= at < until)
        ideas = sorted(
            (i for i in run.ideas.values() if t0 <= i.sent_at < until), key=lambda i: i.sent_at
        )
        slow = [
            i for i in ideas if i.screen_at is None or i.screen_at - i.sent_at > RECOVERED_WITHIN
        ]
        recovered_s = (slow[-1].sent_at - t0) if slow else 0.0
        acked = [i for i in ideas if i.acked_at is not None]
        burst = [i for i in ideas if i.fault_burst]
        live_again = [
            i.screen_at - t0
            for i in run.ideas.values()
            if i.sent_at >= fault["ended"] and i.screen_at is not None and not i.screen_via_sync
        ]
        figures.append(
            {
                "name": fault["name"],
                "at_s": round(t0 - send_start, 2),
                "took_s": round(fault["ended"] - t0, 2),
                "exit": fault.get("exit"),
                "timed_out": fault.get("timed_out", False),
                "output": fault.get("output", []),
                "phone_sockets_closed": closes,
                "phones_lost": len(lost),
                "back": len(back),
                "back_s": seconds(back),
                "screen_sockets_lost": len(hit(screen)),
                "screen_back_s": [
                    None if o[2] is None else round(o[2] - t0, 2) for o in hit(screen)
                ],
                "ideas_until_next": len(ideas),
                "acked": len(acked),
                "resent": sum(1 for i in ideas if i.transmissions > 1),
                "retried": sum(1 for i in ideas if i.retries),
                "screen_via_sync": sum(1 for i in ideas if i.screen_via_sync),
                "screen_latency_ms": latency_ms(
                    (i.screen_at - i.sent_at for i in ideas if i.screen_at), (50, 99)
                ),
                "ack_latency_ms": latency_ms(
                    (i.acked_at - i.sent_at for i in acked if i.acked_at), (50, 99)
                ),
                "screen_within_1s_after_s": round(recovered_s, 2),
                "not_recovered_before_next": bool(slow) and slow[-1] is ideas[-1],
                "slow_or_missing_on_screen": len(slow),
                "live_delivery_again_s": round(min(live_again), 2) if live_again else None,
                "burst": len(burst),
                "burst_acked": sum(1 for i in burst if i.acked_at is not None),
                "burst_resent": sum(1 for i in burst if i.transmissions > 1),
            }
        )
    return figures


def report(
    args: argparse.Namespace,
    run: Run,
    screen: Screen,
    phones: list[Phone],
    connected: list[Phone],
    samples: list[Phone],
    timings: dict[str, float],
) -> dict[str, Any]:
    ideas = list(run.ideas.values())
    acked = [i for i in ideas if i.acked_at is not None]
    lost = [i for i in acked if i.screen_at is None]
    shown = [i for i in ideas if i.screen_at is not None]
    sample_latencies = [
        phone.seen[i.key] - i.sent_at for phone in samples for i in acked if i.key in phone.seen
    ]
    sample_expected = len(acked) * len(samples)
    live_received = sum(p.live_created for p in connected)
    incomplete = [p for p in connected if not run.acked_ids <= p.board]
    missing_pairs = sum(len(run.acked_ids - p.board) for p in incomplete)
    return {
        "phones": args.phones,
        "phones_joined": sum(1 for p in phones if p.cookie),
        "phones_connected": len(connected),
        "urls": args.url,
        "rate_per_s": args.rate,
        "duration_s": args.duration,
        "ideas_sent": len(ideas),
        "ideas_acked": len(acked),
        "ideas_errored": sum(1 for i in ideas if i.error is not None),
        "ideas_unanswered": sum(1 for i in ideas if i.acked_at is None and i.error is None),
        "ideas_resent": sum(1 for i in ideas if i.transmissions > 1),
        "ideas_retried": sum(1 for i in ideas if i.retries),
        "ideas_queued_offline": sum(1 for i in ideas if i.queued_offline),
        "duplicate_acks": run.duplicate_acks,
        "ack_conflicts": run.ack_conflicts,
        "errors": dict(run.errors),
        "retried": dict(run.retried),
        "screen_notices": dict(run.screen_notices),
        "failures": dict(run.failures),
        "screen": {
            "shown": len(shown),
            "loss": len(lost),
            "lost_examples": [i.key for i in lost[:10]],
            "latency_ms": latency_ms(i.screen_at - i.sent_at for i in shown if i.screen_at),
            "gaps_detected": screen.gap_syncs,
            "gaps_repaired": screen.gaps_repaired,
            "recovered_by_sync": screen.recovered,
            "reordered": screen.reordered,
            "shown_via_sync": sum(1 for i in shown if i.screen_via_sync),
            "never_live": sum(1 for i in acked if i.seq not in screen.live_seqs),
            "presence_messages": screen.presence_messages,
            "last_presence": screen.last_presence,
            "connections": screen.connections,
            "closed_unexpectedly": sum(1 for o in screen.outages if o[0] == "lost"),
        },
        "phone_sample": {
            "phones": len(samples),
            "received": len(sample_latencies),
            "expected": sample_expected,
            "missing": sample_expected - len(sample_latencies),
            "latency_ms": latency_ms(sample_latencies),
        },
        "fanout": {
            "received": live_received,
            "expected": len(acked) * len(connected),
            "missing": len(acked) * len(connected) - live_received,
        },
        "boards": {
            "phones": len(connected),
            "complete": len(connected) - len(incomplete),
            "missing_pairs": missing_pairs,
            "incomplete_examples": [p.index for p in incomplete[:10]],
        },
        "links": {
            "phone_connections": sum(p.connections for p in connected),
            "phones_closed_unexpectedly": sum(
                1 for p in connected if any(o[0] == "lost" for o in p.outages)
            ),
            "phones_offline_at_end": run.offline_at_end,
            "connect_failures": dict(sum((p.connect_failures for p in connected), Counter())),
            "failovers": sum(p.failovers for p in connected),
            "phone_gap_syncs": sum(p.gap_syncs for p in connected),
            "phone_gaps_repaired": sum(p.gaps_repaired for p in connected),
            "sync_modes": dict(run.sync_modes),
            "sync_timeouts": run.sync_timeouts,
            "sync_waits": run.sync_waits,
            "sync_reply_ms": latency_ms(run.sync_reply_s),
        },
        "ack_latency_ms": latency_ms(
            (i.acked_at - i.sent_at for i in acked if i.acked_at), (50, 99)
        ),
        "join": {
            "total_s": round(timings["join_total_s"], 2),
            "per_phone_ms": latency_ms((p.join_s for p in phones if p.join_s), (50, 99)),
        },
        "connect": {
            "total_s": round(timings["connect_total_s"], 2),
            "per_phone_ms": latency_ms((p.connect_s for p in connected if p.connect_s), (50, 99)),
        },
        "heartbeat_s": args.heartbeat,
        "pings_sent": run.pings,
        "pongs_received": run.pongs,
        "send_lag_max_ms": round(run.max_send_lag * 1000, 1),
        "drain_s": round(timings["drain_s"], 2),
        "client": {
            "cpu_user_s": round(timings["client_cpu_user_s"], 2),
            "cpu_system_s": round(timings["client_cpu_system_s"], 2),
            "wall_s": round(timings["client_wall_s"], 2),
            "cpu_during_send_and_drain_s": round(timings["client_cpu_during_measure_s"], 2),
            "core_share_during_send_and_drain": round(
                timings["client_cpu_during_measure_s"]
                / max(timings["wall_during_measure_s"], 1e-9),
                3,
            ),
        },
    }


def fmt(latency: dict[str, Any]) -> str:
    return "  ".join(f"{k} {v}" for k, v in latency.items() if k != "n") + f"  (n={latency['n']})"


def print_report(r: dict[str, Any]) -> None:
    s, ps, c, b, k = r["screen"], r["phone_sample"], r["client"], r["boards"], r["links"]
    lines = [
        "",
        "=== Cocon live-ideas bench ===",
        f"servers          {len(r['urls'])} server process(es): {' '.join(r['urls'])}",
        f"phones           {r['phones']} asked, {r['phones_joined']} joined, "
        f"{r['phones_connected']} connected",
        f"load             {r['rate_per_s']:g} ideas/s for {r['duration_s']:g} s; "
        f"heartbeat every {r['heartbeat_s']:g} s: {r['pings_sent']} pings, "
        f"{r['pongs_received']} pongs",
        f"ideas            sent {r['ideas_sent']}  acked {r['ideas_acked']}  "
        f"errored {r['ideas_errored']}  unanswered {r['ideas_unanswered']}  "
        f"(queued offline {r['ideas_queued_offline']}, resent {r['ideas_resent']}, "
        f"retried {r['ideas_retried']})",
        f"duplicates       acks repeated {r['duplicate_acks']}, naming another contribution "
        f"{r['ack_conflicts']}",
        f"errors           {r['errors'] or 'none'}; retryable, retried: {r['retried'] or 'none'}"
        + (f"; big screen's storage alerts {r['screen_notices']}" if r["screen_notices"] else ""),
        f"big screen       shown {s['shown']}  LOSS {s['loss']} (acked, never shown)"
        + (f"  e.g. {s['lost_examples']}" if s["lost_examples"] else ""),
        f"screen latency   {fmt(s['latency_ms'])} ms  (send → on the board)",
        f"seq gaps         screen syncs after a gap {s['gaps_detected']}  repaired "
        f"{s['gaps_repaired']}  ideas recovered by sync {s['recovered_by_sync']}  "
        f"reordered {s['reordered']}  never arrived live {s['never_live']}",
        f"phone sample     {ps['phones']} phones: received {ps['received']}/{ps['expected']}  "
        f"latency {fmt(ps['latency_ms'])} ms",
        f"boards           {b['complete']}/{b['phones']} phones show every acked idea "
        f"(missing phone×idea pairs {b['missing_pairs']})",
        f"fan-out (live)   {r['fanout']['received']}/{r['fanout']['expected']} "
        f"contribution.created received live by all phones (missing {r['fanout']['missing']})",
        f"ack latency      {fmt(r['ack_latency_ms'])} ms",
        f"join (HTTP)      all phones in {r['join']['total_s']} s; "
        f"per phone {fmt(r['join']['per_phone_ms'])} ms",
        f"connect (WS)     all phones in {r['connect']['total_s']} s; "
        f"per phone {fmt(r['connect']['per_phone_ms'])} ms (open + first sync)",
        f"connections      phones {k['phone_connections']} sockets; closed unexpectedly "
        f"{k['phones_closed_unexpectedly']} phones, screen {s['closed_unexpectedly']}; "
        f"offline at end {k['phones_offline_at_end']}; failed opens {k['connect_failures'] or 0};"
        f" failovers {k['failovers']}",
        f"syncs            {k['sync_modes']}; timeouts {k['sync_timeouts']} (waits while busy "
        f"{k['sync_waits']}); phone gap syncs "
        f"{k['phone_gap_syncs']} (repaired {k['phone_gaps_repaired']}); reply "
        f"{fmt(k['sync_reply_ms'])} ms",
        f"client           CPU {c['cpu_user_s']} s user + {c['cpu_system_s']} s sys "
        f"over {c['wall_s']} s wall; {c['core_share_during_send_and_drain']:.1%} of a core "
        f"while sending+draining; max send lag {r['send_lag_max_ms']} ms; "
        f"drain {r['drain_s']} s",
    ]
    windows = " ".join(f"{w['p50']:g}/{w['max']:g}" for w in s["latency_by_window"])
    lines.append(f"screen by {WINDOW_S:g} s   p50/max ms per window of send time: {windows}")
    if "storm" in r:
        lines += storm_lines(r["storm"])
    if "moderation" in r:
        lines += moderation_lines(r["moderation"])
    if "votes" in r:
        v = r["votes"]
        lines += [
            f"votes            sent {v['sent']}  acked {v['acked']}  errored {v['errored']}  "
            f"unanswered {v['unanswered']}, retried {v['retried']}; big screen's last tally "
            f"counts {v['screen_counted']} "
            f"({v['screen_tallies']} tallies received; acked votes never shown {v['never_shown']})",
            f"  latency        send → in the big screen's tally {fmt(v['latency_ms'])} ms; "
            f"ack {fmt(v['ack_latency_ms'])} ms",
        ]
    for fault in r.get("faults", []):
        lines += fault_lines(fault)
    lines.append(
        "phases           wall s | client CPU s | server CPU s per process (share of a core)"
    )
    for name, phase in r["phases"].items():
        servers = ", ".join(
            "?" if cpu is None else f"{cpu:g}" + ("" if share is None else f" ({share:.0%})")
            for cpu, share in zip(phase["server_cpu_s"], phase["server_core_share"], strict=True)
        )
        lines.append(
            f"  {name:<20} {phase['wall_s']:>6g} | {phase['client_cpu_s']:>12g} | {servers or '-'}"
        )
    if r["failures"]:
        lines.append("failures         " + "; ".join(f"{k} ×{v}" for k, v in r["failures"].items()))
    print("\n".join(lines), flush=True)


def moderation_lines(m: dict[str, Any]) -> list[str]:
    lines = [
        f"moderation       {m['notes_clustered']} notes grouped; errors {m['errors'] or 'none'}; "
        f"unanswered {m['unanswered']}"
    ]
    for kind, latency in sorted(m["commands"].items()):
        lines.append(f"  {kind:<22} ack {fmt(latency)} ms")
    if "reveal_to_phones" in m:
        reveal = m["reveal_to_phones"]
        lines.append(
            f"  reveal         ack {m['reveal_ack_ms']} ms; reached {reveal['received']}/"
            f"{reveal['phones']} phones after {fmt(reveal['latency_ms'])} ms"
        )
        lines.append(
            f"  after reveal   phone sample latency {fmt(m['phone_sample_after_reveal_ms'])} ms"
        )
    return lines


def storm_lines(st: dict[str, Any]) -> list[str]:
    if not st.get("dropped"):
        return ["storm            did not happen"]
    return [
        f"storm            at {st['at_s']:g} s: {st['dropped']}/{st['phones']} phones dropped "
        f"(all closed in {st['close_all_s']} s), reconnecting within {st['window_s']:g} s",
        f"  back           {st['back']}/{st['dropped']} reconnected and synced; after the drop "
        f"{fmt(st['back_s'])} s; reconnect → synced {fmt(st['reconnect_to_back_s'])} s",
        f"  caught up      {st['caught_up']}/{st['dropped']}; after the drop "
        f"{fmt(st['caught_up_s'])} s",
        f"  ideas          {st['ideas_during_window']} during the window, "
        f"{st['ideas_during_window_acked']} acked, {st['queued_offline']} queued offline; "
        f"{st['resent_after_drop']} sent before the drop and resent after it (of which "
        f"{st['in_flight_planted_resent_acked']}/{st['in_flight_planted']} posted just before "
        f"the drop on purpose, then acked; {st['in_flight_planted_stored_at_drop']} of those "
        f"stored from their first send, the resend answered from the receipt); ack latency "
        f"{fmt(st['ack_latency_during_window_ms'])} ms",
        f"  screen         ideas of the window on the board after "
        f"{fmt(st['screen_latency_during_window_ms'])} ms; those sent while their phone was "
        f"online {fmt(st['screen_latency_sent_online_ms'])} ms",
        f"  target         all back and caught up within {st['target_s']:g} s of the drop: "
        f"{'MET' if st['target_met'] else 'NOT MET'}",
    ]


def fault_lines(f: dict[str, Any]) -> list[str]:
    return [
        f"fault            {f['name']} at {f['at_s']:g} s (took {f['took_s']} s, exit "
        f"{f['exit']}{', TIMED OUT' if f['timed_out'] else ''})",
        f"  sockets        phones lost {f['phones_lost']} ({f['phone_sockets_closed']} closes), "
        f"back {f['back']}: after the fault {fmt(f['back_s'])} s; screen lost "
        f"{f['screen_sockets_lost']} {f['screen_back_s'] or ''}",
        f"  ideas          {f['ideas_until_next']} sent until the next fault (a burst of "
        f"{f['burst']} just before it: {f['burst_acked']} acked, {f['burst_resent']} resent): "
        f"acked {f['acked']}, resent {f['resent']}, retried {f['retried']}, on the screen via "
        f"sync {f['screen_via_sync']}",
        f"  latency        screen {fmt(f['screen_latency_ms'])} ms; ack "
        f"{fmt(f['ack_latency_ms'])} ms",
        "  recovered      "
        + (
            "NOT before the next fault"
            if f["not_recovered_before_next"]
            else f"every idea sent from {f['screen_within_1s_after_s']:g} s after the fault "
            f"on was on the screen within {RECOVERED_WITHIN:g} s"
        )
        + f" ({f['slow_or_missing_on_screen']} slower or missing); first idea sent after it "
        f"and delivered live "
        f"(not by a sync) again {f['live_delivery_again_s']} s after the fault began",
    ]


def log(message: str) -> None:
    print(f"live_ideas: {message}", file=sys.stderr, flush=True)


def loopback_url(value: str) -> str:
    """Only loopback servers may be targeted: this tool must never load a real host."""
    parts = urlsplit(value)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS or not parts.port:
        raise argparse.ArgumentTypeError(f"{value!r}: expected http://127.0.0.1:PORT")
    return value.rstrip("/")


def fault_spec(value: str) -> tuple[float, str]:
    at, sep, name = value.partition("=")
    try:
        seconds_in = float(at)
    except ValueError:
        seconds_in = -1.0
    if not sep or not re.fullmatch(r"[\w-]+", name) or not 0 <= seconds_in <= 3600:
        raise argparse.ArgumentTypeError(f"{value!r}: expected SECONDS=NAME, e.g. 10=redis")
    return seconds_in, name


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        action="append",
        type=loopback_url,
        required=True,
        help="a server's base URL; repeat to spread phones round-robin over several "
        "(and to fail over to the next one when a connection is lost)",
    )
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--rate", type=float, default=5.0, help="ideas per second, in total")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of posting")
    parser.add_argument("--drain", type=float, default=10.0, help="max seconds to wait after")
    parser.add_argument("--workshop-id", type=int, default=1)
    parser.add_argument("--join-code", default="")
    parser.add_argument("--activity-id", type=int, default=1)
    parser.add_argument("--user", default="", help="facilitator username (big screen)")
    parser.add_argument("--password", default="")
    parser.add_argument(
        "--reference",
        action="store_true",
        help="drive bench/reference_server.py: no join, no login, same messages",
    )
    parser.add_argument("--join-concurrency", type=int, default=50)
    parser.add_argument(
        "--heartbeat",
        type=float,
        default=25.0,
        help="seconds between app-level pings per socket, as live.js (0: none)",
    )
    parser.add_argument("--sample-phones", type=int, default=20, help="phones timing delivery")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--storm-at",
        type=float,
        help="seconds into the posting when every phone drops its socket (reconnect storm)",
    )
    parser.add_argument(
        "--storm-window",
        type=float,
        default=10.0,
        help="each dropped phone reconnects at a random moment within this many seconds",
    )
    parser.add_argument(
        "--storm-in-flight",
        type=int,
        default=20,
        help="phones that post one more idea just before the storm's drop (its ack is lost)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        type=fault_spec,
        help="SECONDS=NAME: run `--fault-command NAME` that many seconds into the posting",
    )
    parser.add_argument(
        "--fault-burst",
        type=int,
        default=30,
        help="phones that post one idea each right before a fault",
    )
    parser.add_argument(
        "--fault-command",
        default="",
        help="the command a fault runs, its name appended (e.g. 'bench/faults.sh --inject')",
    )
    parser.add_argument(
        "--server-pid",
        type=int,
        action="append",
        help="a local server process whose CPU to report per phase; repeatable",
    )
    parser.add_argument(
        "--moderate",
        action="store_true",
        help="a facilitator groups, hides/restores and spotlights notes during the posting",
    )
    parser.add_argument(
        "--moderate-every", type=float, default=1.0, help="seconds between moderation rounds"
    )
    parser.add_argument(
        "--reveal-at",
        type=float,
        help="with --moderate, seconds into the posting when the (private) board is revealed",
    )
    parser.add_argument(
        "--vote-rate", type=float, default=0.0, help="votes per second in total (0: none)"
    )
    parser.add_argument(
        "--votes-per-phone", type=int, default=0, help="instead: each phone spends this many"
    )
    parser.add_argument(
        "--vote-duration", type=float, default=0.0, help="seconds of voting (0: --duration)"
    )
    parser.add_argument(
        "--feelings-per-phone",
        type=int,
        default=0,
        help="on a journey map (setup --journey): each phone rates this many stages",
    )
    parser.add_argument("--setup", default="", help="setup_workshop.py's JSON (vote items)")
    parser.add_argument("--json", dest="json_out", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.phones <= 5000:
        parser.error("--phones must be between 1 and 5000")
    if not 0 <= args.rate <= 1000 or not 0 < args.duration <= 3600 or not 0 <= args.drain <= 600:
        parser.error("--rate, --duration or --drain out of range")
    if not (args.heartbeat == 0 or 1 <= args.heartbeat <= 600):
        parser.error("--heartbeat must be 0 (off) or between 1 and 600 seconds")
    if args.join_concurrency < 1:
        parser.error("--join-concurrency must be at least 1")
    if args.storm_at is not None and not 0 <= args.storm_at <= args.duration:
        parser.error("--storm-at must be within the posting (0..--duration)")
    if not 0 <= args.storm_in_flight <= args.phones:
        parser.error("--storm-in-flight must be between 0 and --phones")
    if not 0 <= args.storm_window <= 300:
        parser.error("--storm-window must be between 0 and 300 seconds")
    if not 0 <= args.fault_burst <= args.phones:
        parser.error("--fault-burst must be between 0 and --phones")
    if args.reveal_at is not None and not (args.moderate and 0 <= args.reveal_at <= args.duration):
        parser.error("--reveal-at needs --moderate and a time within the posting")
    if args.fault and not args.fault_command:
        parser.error("--fault needs --fault-command")
    if not args.reference and not (args.join_code and args.user and args.password):
        parser.error("--join-code, --user and --password are needed (or --reference)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        figures = asyncio.run(run_bench(args))
    except (OSError, InvalidHandshake, RuntimeError, TimeoutError, httpx.HTTPError) as exc:
        log(f"run failed: {type(exc).__name__}: {exc}")
        return 2
    print_report(figures)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=2, ensure_ascii=False)
    healthy = (
        not figures["errors"]
        and figures["screen"]["loss"] == 0
        and figures["ideas_acked"] == figures["ideas_sent"]
        and figures["phones_connected"] == args.phones
        and figures["boards"]["complete"] == figures["phones_connected"]
        and figures["ack_conflicts"] == 0
        and figures.get("storm", {}).get("target_met", True)
        and not figures.get("moderation", {}).get("errors")
        and not figures.get("moderation", {}).get("unanswered")
        and figures.get("votes", {}).get("acked", 0) == figures.get("votes", {}).get("sent", 0)
        and figures.get("votes", {}).get("screen_counted", 0)
        == figures.get("votes", {}).get("acked", 0)
    )
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
