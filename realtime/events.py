"""Every message the server sends, as typed models: the wire protocol's single source.

Domain events (`*Event`) carry the workshop sequence number `seq` and are logged in
`WorkshopEvent`; replies (`Ack`, `ErrorReply`, `SyncReply`, `Pong`) and the ephemeral
`Presence` go to one audience and carry no sequence. docs/protocol.md is written from
this module; `tests/test_events.py` fails if an event type has no test that emits it.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Shape(BaseModel):
    """Strict base: no undeclared field ever reaches a client."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# Shapes shared by snapshots, events, pages and exports ---------------------------------


class TimerOut(Shape):
    """Running: `ends_at` is set. Paused: `paused_remaining` (seconds) is set."""

    ends_at: datetime | None
    paused_remaining: int | None


class WorkshopOut(Shape):
    id: int
    title: str
    join_code: str
    state: Literal["draft", "live", "closed"]
    current_activity_id: int | None
    timer: TimerOut | None


class ActivityOut(Shape):
    id: int
    position: int
    kind: Literal["ideation"]
    title: str
    prompt: str
    state: Literal["pending", "open", "closed"]


class ContributionOut(Shape):
    id: int
    activity_id: int
    body: str
    author: str | None
    created_at: datetime


class MeOut(Shape):
    participant_id: int
    display_name: str
    profile: str
    contribution_ids: list[int]


class Snapshot(Shape):
    seq: int
    server_time: datetime
    workshop: WorkshopOut
    activities: list[ActivityOut]
    contributions: list[ContributionOut]
    me: MeOut | None


# Domain events: logged, numbered, sent to the whole workshop -------------------------


class WorkshopUpdatedEvent(Shape):
    type: Literal["workshop.updated"] = "workshop.updated"
    seq: int
    workshop: WorkshopOut


class ActivityUpdatedEvent(Shape):
    type: Literal["activity.updated"] = "activity.updated"
    seq: int
    activity: ActivityOut


class ContributionCreatedEvent(Shape):
    type: Literal["contribution.created"] = "contribution.created"
    seq: int
    contribution: ContributionOut


Event = WorkshopUpdatedEvent | ActivityUpdatedEvent | ContributionCreatedEvent
EVENT_TYPES: tuple[type[Shape], ...] = (
    WorkshopUpdatedEvent,
    ActivityUpdatedEvent,
    ContributionCreatedEvent,
)


# Replies and ephemeral messages ------------------------------------------------------


class Ack(Shape):
    type: Literal["ack"] = "ack"
    request_id: str
    seq: int
    result: dict[str, Any]


class ErrorReply(Shape):
    """A refused command. `retryable`: nothing was decided, send the same command again
    later (same request_id); otherwise the refusal is final."""

    type: Literal["error"] = "error"
    request_id: str | None
    code: str
    message: str
    retryable: bool = False


class SyncReply(Shape):
    """Answer to `sync`: the missed events in order, or a snapshot when that is cheaper."""

    type: Literal["sync"] = "sync"
    mode: Literal["events", "snapshot"]
    seq: int
    events: list[dict[str, Any]] | None = None
    snapshot: Snapshot | None = None


class Batch(Shape):
    """Several domain events for a phone, in sequence order (realtime.fanout builds it by
    splicing the logged texts; this model is its contract)."""

    type: Literal["batch"] = "batch"
    events: list[dict[str, Any]]


class Pong(Shape):
    """`server_time` lets clients correct their clock for the timer."""

    type: Literal["pong"] = "pong"
    seq: int
    server_time: datetime


class Presence(Shape):
    """Who is connected, for the big screen, under the small-group rule
    (participation.disclosure): "<5" for a group under 5, "hidden" for its complement."""

    type: Literal["presence"] = "presence"
    connected: int
    by_profile: dict[str, int | Literal["<5", "hidden"]]


SERVER_MESSAGE_TYPES: tuple[type[Shape], ...] = (
    *EVENT_TYPES,
    Ack,
    ErrorReply,
    SyncReply,
    Batch,
    Pong,
    Presence,
)
