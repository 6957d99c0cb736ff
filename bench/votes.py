"""Votes in a load run: phones spend their points while (or instead of) posting ideas.

`bench/live_ideas.py --vote-rate R` (or `--votes-per-phone K`) sends `vote.add` commands
through each phone's outbox, exactly like ideas (same reconnect and resend rules), on
the vote activity that `bench/setup_workshop.py --vote-items N` prepared. With
`--feelings-per-phone K` on a journey map (`setup_workshop.py --journey`) the same path
sends `feeling.set`: each phone rates K different stages, and the big screen's
`journey.curve` (the raters of every stage, added up) plays the part of the tally. The big screen
records every `vote.tally` it receives; a vote counts as shown when a tally's total
reaches its rank among the acknowledged votes (votes commit in ack order, near enough),
which gives a send → big-screen latency per vote although tallies are aggregates.
"""

import asyncio
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

now = time.perf_counter


@dataclass
class VotePlan:
    activity_id: int
    item_ids: list[Any]  # vote item ids, or stage keys of a journey map
    rate: float
    duration: float
    per_phone: int  # 0: `rate` × `duration` votes from random phones
    feelings: bool = False  # stage ratings: each phone on different stages


def schedule(plan: VotePlan, phones: int, seed: int) -> list[tuple[float, int, int]]:
    """(seconds from start, phone index, item id) for every vote, in time order."""
    rng = random.Random(seed)
    if plan.feelings:
        per_phone = min(plan.per_phone, len(plan.item_ids))
        pairs = [
            (p, stage) for p in range(phones) for stage in rng.sample(plan.item_ids, per_phone)
        ]
        rng.shuffle(pairs)
        step = plan.duration / max(len(pairs), 1)
        return [(n * step, owner, stage) for n, (owner, stage) in enumerate(pairs)]
    if plan.per_phone:
        owners = [p for p in range(phones) for _ in range(plan.per_phone)]
        rng.shuffle(owners)
    else:
        owners = [rng.randrange(phones) for _ in range(round(plan.rate * plan.duration))]
    step = plan.duration / max(len(owners), 1)
    return [(n * step, owner, rng.choice(plan.item_ids)) for n, owner in enumerate(owners)]


async def send_votes(
    plan: VotePlan,
    phones: Sequence[Any],
    new_vote: Callable[[Any, int, int], Any],
    seed: int,
) -> None:
    """Submit each vote at its time through its phone (`new_vote(phone, item, n)` makes the
    command object the phone's outbox keeps)."""
    start = now()
    for number, (at, owner, item) in enumerate(schedule(plan, len(phones), seed)):
        delay = start + at - now()
        if delay > 0:
            await asyncio.sleep(delay)
        phone = phones[owner]
        await phone.submit(new_vote(phone, item, number))


def vote_command(key: str, item_id: int) -> str:
    return json.dumps({"type": "vote.add", "request_id": key, "item_id": item_id})


def feeling_command(key: str, activity_id: int, stage: str, value: int) -> str:
    return json.dumps(
        {
            "type": "feeling.set",
            "request_id": key,
            "activity_id": activity_id,
            "stage": stage,
            "value": value,
        }
    )


def shown_latencies(votes: list[Any], tallies: list[tuple[float, int]]) -> tuple[list[float], int]:
    """Send → big-screen latency of each acknowledged vote, and how many never showed."""
    acked = sorted((v for v in votes if v.acked_at is not None), key=lambda v: v.acked_at)
    latencies, missing, cursor = [], 0, 0
    for rank, vote in enumerate(acked, start=1):
        while cursor < len(tallies) and tallies[cursor][1] < rank:
            cursor += 1
        if cursor == len(tallies):
            missing += 1
            continue
        latencies.append(max(0.0, tallies[cursor][0] - vote.sent_at))
    return latencies, missing


def vote_report(
    votes: list[Any], tallies: list[tuple[float, int]], latency_ms: Callable[..., dict]
) -> dict[str, Any]:
    latencies, missing = shown_latencies(votes, sorted(tallies))
    acked = [v for v in votes if v.acked_at is not None]
    return {
        "sent": len(votes),
        "acked": len(acked),
        "errored": sum(1 for v in votes if v.error is not None),
        "unanswered": sum(1 for v in votes if v.acked_at is None and v.error is None),
        # Votes that got a retryable error (a database restarting, read-only, full) and
        # were sent again with the same request_id; rows = acked proves each landed once.
        "retried": sum(1 for v in votes if v.retries),
        "screen_counted": tallies[-1][1] if tallies else 0,
        "screen_tallies": len(tallies),
        "never_shown": missing,
        "latency_ms": latency_ms(latencies),
        "ack_latency_ms": latency_ms((v.acked_at - v.sent_at for v in acked), (50, 99)),
    }
