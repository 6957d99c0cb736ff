"""Load client for the live path: N phones post ideas, a big screen must show every one.

It drives a running Cocon exactly as browsers do, over loopback only: each phone joins
over HTTP (CSRF form, device cookie), opens its WebSocket with that cookie and an Origin
header, syncs, then ideas are posted at a fixed total rate from random phones. A
facilitator's big-screen socket follows the board like `static/cocon/live.js` does
(apply events in sequence order; on a gap, `sync` from the last applied sequence and
apply what the reply carries). Every idea carries a unique id in its body, so the
report can say which acknowledged idea never reached the screen and how long each took.

    python bench/live_ideas.py --url http://127.0.0.1:8001 --url http://127.0.0.1:8002 \
        --workshop-id 1 --join-code ACDEFG --activity-id 1 --user bench --password secret \
        --phones 300 --rate 5 --duration 30 --json out.json

Times are taken with one monotonic clock in this one process, so latencies need no
clock sync; they include the load client's own scheduling delays (its CPU time is
reported so that cost stays visible).
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
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Origin

DEVICE_COOKIE = "cocon_device"  # settings.PARTICIPANT_COOKIE_NAME
SESSION_COOKIE = "sessionid"  # settings.SESSION_COOKIE_NAME (Django's default)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEA_KEY = re.compile(r"^\[([\w-]+)\]")  # every body starts with "[<key>]"
# pydantic writes `type` first: phones outside the sample skip parsing the broadcast.
CREATED_PREFIX = '{"type":"contribution.created"'
BATCH_PREFIX = '{"type":"batch"'
DOMAIN_EVENTS = frozenset({"contribution.created", "workshop.updated", "activity.updated"})

HTTP_TIMEOUT = 30.0
OPEN_TIMEOUT = 30.0  # WebSocket opening handshake, then again for the first `sync` reply
CLOSE_TIMEOUT = 5.0
SHUTDOWN_TIMEOUT = 30.0
POLL = 0.05
LOGIN_ATTEMPTS, LOGIN_RETRY_S = 3, 2.0
PING = json.dumps({"type": "ping"})
WINDOW_S = 5.0  # screen latency is also reported per window of this many seconds

now = time.perf_counter


# State -----------------------------------------------------------------------------------


@dataclass
class Idea:
    """One posted idea and what became of it."""

    key: str
    phone: int
    sent_at: float
    acked_at: float | None = None
    seq: int | None = None
    error: str | None = None
    screen_at: float | None = None  # applied to the big screen's board
    screen_via_sync: bool = False  # applied from a `sync` reply rather than live


@dataclass
class Phone:
    index: int
    url: str
    sample: bool
    cookie: str = ""
    join_s: float | None = None
    connect_s: float | None = None
    ws: ClientConnection | None = None
    synced: asyncio.Event = field(default_factory=asyncio.Event)
    created_events: int = 0  # contribution.created received, sample or not
    seen: dict[str, float] = field(default_factory=dict)  # sample phones: key -> receipt
    closed_unexpectedly: bool = False


@dataclass
class Run:
    """Everything shared by the phones, the screen and the sender."""

    tag: str
    ideas: dict[str, Idea] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    stopping: bool = False
    max_send_lag: float = 0.0
    pings: int = 0
    pongs: int = 0


def idea_key(body: str) -> str | None:
    match = IDEA_KEY.match(body)
    return match.group(1) if match else None


# The big screen --------------------------------------------------------------------------


@dataclass
class Screen:
    """The facilitator's board, kept in sequence order as live.js keeps it."""

    run: Run
    ws: ClientConnection | None = None
    last_seq: int | None = None
    syncing: bool = False
    buffered: list[dict[str, Any]] = field(default_factory=list)
    live_seqs: set[int] = field(default_factory=set)  # sequences that arrived as events
    gap_target: int | None = None  # the sequence whose early arrival triggered the sync
    gaps_detected: int = 0
    gaps_repaired: int = 0
    recovered: int = 0  # ideas applied from a sync reply that never arrived live before it
    reordered: int = 0  # ideas applied from a sync reply that had arrived live, early
    presence_messages: int = 0
    last_presence: dict[str, Any] | None = None
    closed_unexpectedly: bool = False

    async def request_sync(self, gap_target: int | None = None) -> None:
        if self.syncing or self.ws is None:
            return
        self.syncing = True
        if gap_target is not None:
            self.gaps_detected += 1
            self.gap_target = gap_target
        await self.ws.send(json.dumps({"type": "sync", "last_seq": self.last_seq}))

    async def on_message(self, message: dict[str, Any], at: float) -> None:
        kind = message.get("type")
        if kind == "sync":
            await self.apply_sync(message, at)
        elif kind == "presence":
            self.presence_messages += 1
            self.last_presence = message
        elif kind == "pong":
            self.run.pongs += 1
        elif kind == "error":
            self.run.errors[f"screen:{message.get('code')}"] += 1
        elif kind in DOMAIN_EVENTS and isinstance(message.get("seq"), int):
            self.live_seqs.add(message["seq"])
            await self.receive_event(message, at)

    async def receive_event(self, event: dict[str, Any], at: float) -> None:
        if self.syncing or self.last_seq is None:
            self.buffered.append(event)
            return
        seq = event["seq"]
        if seq <= self.last_seq:
            return  # already applied (replay overlap)
        if seq != self.last_seq + 1:
            self.buffered.append(event)
            await self.request_sync(gap_target=seq)
            return
        self.last_seq = seq
        self.show(event, at, via_sync=False)

    async def apply_sync(self, reply: dict[str, Any], at: float) -> None:
        from_gap = self.gap_target is not None
        if reply["mode"] == "snapshot":
            for contribution in reply["snapshot"]["contributions"]:
                self.show_contribution(contribution, at, via_sync=from_gap)
        else:
            for event in reply["events"]:
                if self.last_seq is None or event["seq"] > self.last_seq:
                    if event.get("type") == "contribution.created":
                        if event["seq"] in self.live_seqs:
                            self.reordered += 1
                        else:
                            self.recovered += 1
                    self.show(event, at, via_sync=True)
        self.last_seq = reply["seq"]
        self.syncing = False
        if self.gap_target is not None and self.last_seq >= self.gap_target:
            self.gaps_repaired += 1
        self.gap_target = None
        buffered, self.buffered = sorted(self.buffered, key=lambda e: e["seq"]), []
        for event in buffered:
            await self.receive_event(event, at)

    def show(self, event: dict[str, Any], at: float, via_sync: bool) -> None:
        if event.get("type") == "contribution.created":
            self.show_contribution(event["contribution"], at, via_sync)

    def show_contribution(self, contribution: dict[str, Any], at: float, via_sync: bool) -> None:
        key = idea_key(contribution.get("body", ""))
        idea = self.run.ideas.get(key) if key else None
        if idea is not None and idea.screen_at is None:
            idea.screen_at = at
            idea.screen_via_sync = via_sync

    async def read(self) -> None:
        """Read until the socket closes (the run closes it at the end)."""
        assert self.ws is not None
        try:
            async for raw in self.ws:
                await self.on_message(json.loads(raw), now())
        except ConnectionClosed:
            pass
        if not self.run.stopping:
            self.closed_unexpectedly = True


# Phones ----------------------------------------------------------------------------------


async def phone_read(phone: Phone, run: Run) -> None:
    """Consume everything a phone receives; only acks, errors and sync need parsing."""
    assert phone.ws is not None
    try:
        async for raw in phone.ws:
            at = now()
            assert isinstance(raw, str)
            if raw.startswith(CREATED_PREFIX) and not phone.sample:
                phone.created_events += 1
                continue
            if raw.startswith(BATCH_PREFIX) and not phone.sample:
                phone.created_events += raw.count(CREATED_PREFIX)
                continue
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "batch":  # phones get events coalesced (realtime/fanout.py)
                for event in message["events"]:
                    if event.get("type") == "contribution.created":
                        phone.created_events += 1
                        key = idea_key(event["contribution"]["body"])
                        if phone.sample and key is not None and key not in phone.seen:
                            phone.seen[key] = at
            elif kind == "contribution.created":
                phone.created_events += 1
                key = idea_key(message["contribution"]["body"])
                if key is not None and key not in phone.seen:
                    phone.seen[key] = at
            elif kind == "ack":
                idea = run.ideas.get(message.get("request_id", ""))
                if idea is not None and idea.acked_at is None:
                    idea.acked_at, idea.seq = at, message["seq"]
            elif kind == "error":
                code = str(message.get("code"))
                idea = run.ideas.get(message.get("request_id") or "")
                if idea is not None:
                    idea.error = code
                run.errors[code] += 1
            elif kind == "pong":
                run.pongs += 1
            elif kind == "sync":
                phone.synced.set()
    except ConnectionClosed:
        pass
    if not run.stopping:
        phone.closed_unexpectedly = True


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


async def connect_phone(
    phone: Phone, workshop_id: int, run: Run, limit: asyncio.Semaphore, readers: list[asyncio.Task]
) -> None:
    """Open the phone's socket and wait for its first `sync` reply, as the page does."""
    async with limit:
        started = now()
        phone.ws = await open_socket(
            phone.url, workshop_id, "phone", f"{DEVICE_COOKIE}={phone.cookie}"
        )
        readers.append(asyncio.create_task(phone_read(phone, run)))
        await phone.ws.send(json.dumps({"type": "sync", "last_seq": None}))
        async with asyncio.timeout(OPEN_TIMEOUT):
            await phone.synced.wait()
        phone.connect_s = now() - started


async def heartbeat(
    ws: ClientConnection, run: Run, interval: float, first: float, beats: int
) -> None:
    """The app-level `ping` live.js sends every 25 s: the server touches presence, re-joins
    the groups and reads the sequence for each one, so it is part of a room's real load."""
    await asyncio.sleep(first)
    for _beat in range(beats):
        if run.stopping:
            return
        try:
            await ws.send(PING)
        except ConnectionClosed:
            return
        run.pings += 1
        await asyncio.sleep(interval)


# Sending ---------------------------------------------------------------------------------


async def send_ideas(
    phones: list[Phone], run: Run, activity_id: int, rate: float, duration: float, seed: int
) -> None:
    """Post round(rate × duration) ideas on a fixed schedule, each from a random phone."""
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
        key = f"{run.tag}-{number}"
        command = {
            "type": "contribution.create",
            "request_id": key,
            "activity_id": activity_id,
            "body": f"[{key}] Idée de charge n°{number}, téléphone {phone.index}",
        }
        idea = Idea(key=key, phone=phone.index, sent_at=now())
        run.ideas[key] = idea
        assert phone.ws is not None
        try:
            await phone.ws.send(json.dumps(command, ensure_ascii=False))
        except ConnectionClosed:
            idea.error = "socket_closed"
            run.errors["socket_closed"] += 1


def settled(run: Run, connected: list[Phone], samples: list[Phone]) -> bool:
    """Every idea answered; every acked one on the screen, each sample phone, every phone."""
    acked = sum(1 for idea in run.ideas.values() if idea.acked_at is not None)
    if any(phone.created_events < acked for phone in connected):
        return False
    for idea in run.ideas.values():
        if idea.acked_at is None and idea.error is None:
            return False
        if idea.acked_at is not None:
            if idea.screen_at is None:
                return False
            if any(idea.key not in phone.seen for phone in samples):
                return False
    return True


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


async def bounded_gather(
    jobs: list[Awaitable[None]], what: str, run: Run, failures: Counter[str]
) -> None:
    """Run jobs together; a failed job is counted, not fatal (the report says how many)."""
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            first_line = (str(result).splitlines() or [""])[0]
            failures[f"{what}: {type(result).__name__}: {first_line}"[:200]] += 1
            run.errors[f"{what}_failed"] += 1


# The run ---------------------------------------------------------------------------------


async def run_bench(args: argparse.Namespace) -> dict[str, Any]:
    """One whole run (join, big screen, connect, post, drain, close); returns the figures."""
    cpu_start, wall_start = cpu_seconds(), now()
    phases = Phases(server_pids=args.server_pid or [])
    run = Run(tag=f"b{secrets.token_hex(3)}")
    phones = [
        Phone(index=i, url=args.url[i % len(args.url)], sample=i < args.sample_phones)
        for i in range(args.phones)
    ]
    failures: Counter[str] = Counter()
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
            failures,
        )
    join_total = now() - started
    for transport in transports.values():
        await transport.aclose()
    joined = [p for p in phones if p.cookie]

    # (b) The big screen logs in and follows the board.
    phases.mark("screen_login")
    screen = Screen(run=run)
    session = (
        "reference"
        if args.reference
        else await login_with_retries(args.url[0], args.user, args.password, run)
    )
    screen.ws = await open_socket(
        args.url[0], args.workshop_id, "screen", f"{SESSION_COOKIE}={session}"
    )
    screen_reader = asyncio.create_task(screen.read())
    await screen.request_sync()
    async with asyncio.timeout(OPEN_TIMEOUT):
        while screen.last_seq is None:
            await asyncio.sleep(POLL)

    # (c) Phones open their sockets and sync.
    phases.mark("connect")
    log(f"opening {len(joined)} phone sockets…")
    readers: list[asyncio.Task] = []
    started = now()
    await bounded_gather(
        [connect_phone(p, args.workshop_id, run, limit, readers) for p in joined],
        "connect",
        run,
        failures,
    )
    connect_total = now() - started
    connected = [p for p in joined if p.connect_s is not None]
    samples = [p for p in connected if p.sample]
    if not connected:
        raise RuntimeError(f"no phone could connect: {dict(failures)}")

    # Heartbeats as the pages send them, spread over the interval (phones of a real room
    # did not all open their page in the same second).
    beaters: list[asyncio.Task] = []
    if args.heartbeat > 0:
        spread = random.Random(args.seed + 1)
        beats = int((args.duration + args.drain) / args.heartbeat) + 2
        for ws in [p.ws for p in connected] + [screen.ws]:
            if ws is not None:
                first = spread.uniform(0, args.heartbeat)
                beaters.append(
                    asyncio.create_task(heartbeat(ws, run, args.heartbeat, first, beats))
                )

    # (d) Post ideas at the given rate; (e, f) the screen and the sample phones record.
    log(f"posting {round(args.rate * args.duration)} ideas over {args.duration:g} s…")
    phases.mark("send")
    cpu_send = cpu_seconds()
    wall_send = now()
    await send_ideas(connected, run, args.activity_id, args.rate, args.duration, args.seed)
    sending_done = now()
    phases.mark("drain")

    # (g) Drain: until everything is settled, or the drain period is over.
    deadline = sending_done + args.drain
    while now() < deadline and not settled(run, connected, samples):
        await asyncio.sleep(POLL)
    drain_s = now() - sending_done
    cpu_measure = sum(cpu_seconds()) - sum(cpu_send)
    wall_measure = now() - wall_send

    # Shut down: close every socket (bounded), then collect the readers.
    phases.mark("close")
    run.stopping = True
    for task in beaters:
        task.cancel()
    # Every socket that opened, synced or not, so that no reader is left waiting.
    sockets = [p.ws for p in joined if p.ws is not None] + [screen.ws]
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(SHUTDOWN_TIMEOUT):
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
            await asyncio.gather(*readers, screen_reader, return_exceptions=True)

    phases.mark("end")
    cpu_end = cpu_seconds()
    figures = report(
        args,
        run,
        screen,
        phones,
        connected,
        samples,
        failures,
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


def report(
    args: argparse.Namespace,
    run: Run,
    screen: Screen,
    phones: list[Phone],
    connected: list[Phone],
    samples: list[Phone],
    failures: Counter[str],
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
    fanout_received = sum(p.created_events for p in connected)
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
        "errors": dict(run.errors),
        "failures": dict(failures),
        "screen": {
            "shown": len(shown),
            "loss": len(lost),
            "lost_examples": [i.key for i in lost[:10]],
            "latency_ms": latency_ms(i.screen_at - i.sent_at for i in shown if i.screen_at),
            "gaps_detected": screen.gaps_detected,
            "gaps_repaired": screen.gaps_repaired,
            "recovered_by_sync": screen.recovered,
            "reordered": screen.reordered,
            "shown_via_sync": sum(1 for i in shown if i.screen_via_sync),
            "never_live": sum(1 for i in acked if i.seq not in screen.live_seqs),
            "presence_messages": screen.presence_messages,
            "last_presence": screen.last_presence,
            "closed_unexpectedly": screen.closed_unexpectedly,
        },
        "phone_sample": {
            "phones": len(samples),
            "received": len(sample_latencies),
            "expected": sample_expected,
            "missing": sample_expected - len(sample_latencies),
            "latency_ms": latency_ms(sample_latencies),
        },
        "fanout": {
            "received": fanout_received,
            "expected": len(acked) * len(connected),
            "missing": len(acked) * len(connected) - fanout_received,
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
        "phones_closed_unexpectedly": sum(1 for p in connected if p.closed_unexpectedly),
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
    s, ps, c = r["screen"], r["phone_sample"], r["client"]
    lines = [
        "",
        "=== Cocon live-ideas bench ===",
        f"servers          {len(r['urls'])} Daphne process(es): {' '.join(r['urls'])}",
        f"phones           {r['phones']} asked, {r['phones_joined']} joined, "
        f"{r['phones_connected']} connected",
        f"load             {r['rate_per_s']:g} ideas/s for {r['duration_s']:g} s; "
        f"heartbeat every {r['heartbeat_s']:g} s: {r['pings_sent']} pings, "
        f"{r['pongs_received']} pongs",
        f"ideas            sent {r['ideas_sent']}  acked {r['ideas_acked']}  "
        f"errored {r['ideas_errored']}  unanswered {r['ideas_unanswered']}",
        f"errors           {r['errors'] or 'none'}",
        f"big screen       shown {s['shown']}  LOSS {s['loss']} (acked, never shown)"
        + (f"  e.g. {s['lost_examples']}" if s["lost_examples"] else ""),
        f"screen latency   {fmt(s['latency_ms'])} ms  (send → on the board)",
        f"seq gaps         detected {s['gaps_detected']}  repaired {s['gaps_repaired']}  "
        f"ideas recovered by sync {s['recovered_by_sync']}  reordered {s['reordered']}  "
        f"never arrived live {s['never_live']}",
        f"phone sample     {ps['phones']} phones: received {ps['received']}/{ps['expected']}  "
        f"latency {fmt(ps['latency_ms'])} ms",
        f"fan-out          {r['fanout']['received']}/{r['fanout']['expected']} "
        f"contribution.created delivered to all phones (missing {r['fanout']['missing']})",
        f"ack latency      {fmt(r['ack_latency_ms'])} ms",
        f"join (HTTP)      all phones in {r['join']['total_s']} s; "
        f"per phone {fmt(r['join']['per_phone_ms'])} ms",
        f"connect (WS)     all phones in {r['connect']['total_s']} s; "
        f"per phone {fmt(r['connect']['per_phone_ms'])} ms (open + first sync)",
        f"unexpected close phones {r['phones_closed_unexpectedly']}  "
        f"screen {s['closed_unexpectedly']}",
        f"client           CPU {c['cpu_user_s']} s user + {c['cpu_system_s']} s sys "
        f"over {c['wall_s']} s wall; {c['core_share_during_send_and_drain']:.1%} of a core "
        f"while sending+draining; max send lag {r['send_lag_max_ms']} ms; "
        f"drain {r['drain_s']} s",
    ]
    windows = " ".join(f"{w['p50']:g}/{w['max']:g}" for w in s["latency_by_window"])
    lines.append(f"screen by {WINDOW_S:g} s   p50/max ms per window of send time: {windows}")
    lines.append(
        "phases           wall s | client CPU s | server CPU s per process (share of a core)"
    )
    for name, phase in r["phases"].items():
        servers = ", ".join(
            "?" if cpu is None else f"{cpu:g}" + ("" if share is None else f" ({share:.0%})")
            for cpu, share in zip(phase["server_cpu_s"], phase["server_core_share"], strict=True)
        )
        lines.append(
            f"  {name:<14} {phase['wall_s']:>6g} | {phase['client_cpu_s']:>12g} | {servers or '-'}"
        )
    if r["failures"]:
        lines.append("failures         " + "; ".join(f"{k} ×{v}" for k, v in r["failures"].items()))
    print("\n".join(lines), flush=True)


def log(message: str) -> None:
    print(f"live_ideas: {message}", file=sys.stderr, flush=True)


def loopback_url(value: str) -> str:
    """Only loopback servers may be targeted: this tool must never load a real host."""
    parts = urlsplit(value)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS or not parts.port:
        raise argparse.ArgumentTypeError(f"{value!r}: expected http://127.0.0.1:PORT")
    return value.rstrip("/")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        action="append",
        type=loopback_url,
        required=True,
        help="a server's base URL; repeat to spread phones round-robin over several",
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
        "--server-pid",
        type=int,
        action="append",
        help="a local server process whose CPU to report per phase; repeatable",
    )
    parser.add_argument("--json", dest="json_out", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.phones <= 5000:
        parser.error("--phones must be between 1 and 5000")
    if not 0 < args.rate <= 1000 or not 0 < args.duration <= 3600 or not 0 <= args.drain <= 600:
        parser.error("--rate, --duration or --drain out of range")
    if not (args.heartbeat == 0 or 1 <= args.heartbeat <= 600):
        parser.error("--heartbeat must be 0 (off) or between 1 and 600 seconds")
    if args.join_concurrency < 1:
        parser.error("--join-concurrency must be at least 1")
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
    )
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
