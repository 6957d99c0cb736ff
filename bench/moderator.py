"""The facilitator at work during a load run: grouping, hiding, spotlighting, revealing.

`bench/live_ideas.py --moderate` runs one of these on its own facilitator socket (the
tablet page's), next to the big screen, while phones post. Every second it groups the
newest notes into a titled cluster, hides one note (restoring it half a second later),
and puts one in the spotlight; with `--reveal-at` it reveals the private board once.
It times each command from send to ack; the phones time the reveal's arrival.
"""

import asyncio
import contextlib
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

now = time.perf_counter
CLUSTER_SIZE = 10


class Moderator:
    def __init__(
        self,
        open_socket: Callable[[], Awaitable[ClientConnection]],
        activity_id: int,
        note_ids: list[int],
        *,
        every: float,
        reveal_at: float | None,
        seed: int,
    ) -> None:
        self.open_socket, self.activity_id, self.note_ids = open_socket, activity_id, note_ids
        self.every, self.reveal_at = every, reveal_at
        self.rng = random.Random(seed)
        self.ws: ClientConnection | None = None
        self.pending: dict[str, tuple[str, float]] = {}  # request_id -> (type, sent_at)
        self.ack_s: defaultdict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.unanswered = 0
        self.clustered = 0  # notes grouped so far (the next cluster takes the ones after)
        self.hidden: set[int] = set()
        self.number = 0
        self.reveal_sent_at: float | None = None
        self.reveal_acked_at: float | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    async def send(self, command: dict[str, Any]) -> None:
        self.number += 1
        request_id = f"mod-{self.number}"
        self.pending[request_id] = (command["type"], now())
        assert self.ws is not None
        await self.ws.send(json.dumps({**command, "request_id": request_id}))

    async def read(self) -> None:
        """Drain everything the facilitator socket receives; time acks and errors."""
        assert self.ws is not None
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                if not raw.startswith(('{"type":"ack"', '{"type":"error"')):
                    continue  # the same events as the big screen: not measured here
                message = json.loads(raw)
                sent = self.pending.pop(message.get("request_id") or "", None)
                if sent is None:
                    continue
                kind, sent_at = sent
                if message["type"] == "ack":
                    self.ack_s[kind].append(now() - sent_at)
                    if kind == "activity.reveal":
                        self.reveal_acked_at = now()
                else:
                    self.errors[f"{kind}:{message['code']}"] += 1

    async def run(self, duration: float) -> None:
        """Moderate for `duration` seconds, then wait for the last answers."""
        self.ws = await self.open_socket()
        reader = asyncio.create_task(self.read())
        started = now()
        while now() - started < duration:
            await asyncio.sleep(self.every)
            if (
                self.reveal_at is not None
                and self.reveal_sent_at is None
                and now() - started >= self.reveal_at
            ):
                self.reveal_sent_at = now()
                await self.send({"type": "activity.reveal", "activity_id": self.activity_id})
            await self.step()
        for task in list(self.tasks):
            await task
        deadline = now() + 10
        while self.pending and now() < deadline:
            await asyncio.sleep(0.05)
        self.unanswered = len(self.pending)
        await self.ws.close()
        reader.cancel()

    async def step(self) -> None:
        fresh = self.note_ids[self.clustered : self.clustered + CLUSTER_SIZE]
        if len(fresh) == CLUSTER_SIZE:
            self.clustered += CLUSTER_SIZE
            await self.send(
                {
                    "type": "cluster.create",
                    "activity_id": self.activity_id,
                    "title": f"Groupe {self.clustered // CLUSTER_SIZE}",
                    "contribution_ids": fresh,
                }
            )
        shown = [i for i in self.note_ids if i not in self.hidden]
        if not shown:
            return
        await self.send(
            {"type": "contribution.spotlight", "contribution_id": self.rng.choice(shown)}
        )
        victim = self.rng.choice(shown)
        self.hidden.add(victim)
        await self.send(
            {"type": "contribution.hide", "contribution_id": victim, "reason": "Test de charge"}
        )
        task = asyncio.create_task(self.restore_later(victim))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def restore_later(self, note_id: int) -> None:
        await asyncio.sleep(self.every / 2)
        await self.send({"type": "contribution.restore", "contribution_id": note_id})
        self.hidden.discard(note_id)

    def figures(self, latency_ms: Callable[..., dict[str, Any]]) -> dict[str, Any]:
        return {
            "commands": {kind: latency_ms(values, (50, 99)) for kind, values in self.ack_s.items()},
            "errors": dict(self.errors),
            "unanswered": self.unanswered,
            "notes_clustered": self.clustered,
            "reveal_ack_ms": None
            if self.reveal_acked_at is None or self.reveal_sent_at is None
            else round((self.reveal_acked_at - self.reveal_sent_at) * 1000, 1),
        }
