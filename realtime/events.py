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
    show_authors: bool
    spotlight_id: int | None


class ColumnOut(Shape):
    key: str
    label: str


class VoteSettingsOut(Shape):
    """A vote's rules. `target`: what the items are (notes or clusters of `source_id`).
    A rating activity places every item on two axes (`axis_x`, `axis_y`, 1–5 each)."""

    source_id: int | None
    target: Literal["notes", "clusters"]
    votes_per_person: int
    max_per_item: int
    anonymous: bool
    axis_x: str
    axis_y: str


class LaneOut(Shape):
    """A row of a journey map. A lane turned off (`enabled` false) takes no new cards
    and is not shown; its cards are kept."""

    key: str
    label: str
    kind: Literal["actions", "touchpoints", "thoughts", "pain_points", "opportunities", "other"]
    enabled: bool


class JourneySettingsOut(Shape):
    """A journey map's frame: who travels toward what goal, as-is or to-be (a to-be map
    may be paired with an as-is one, `pair_id`), and its lanes. Its stages are the
    activity's `columns`, in order."""

    persona: str
    scenario: str
    horizon: Literal["as_is", "to_be"]
    pair_id: int | None
    lanes: list[LaneOut]


class ActivityOut(Shape):
    """`identity`: how notes are signed (anonymous, pseudonymous, named). `private`:
    notes (on a board) or results (of a vote) stay hidden from phones until `revealed`.
    `vote` is set for the kinds `vote` and `rating`, `journey` for the kind `journey`."""

    id: int
    position: int
    kind: Literal["ideation", "vote", "rating", "journey"]
    title: str
    prompt: str
    state: Literal["pending", "open", "closed"]
    columns: list[ColumnOut]
    identity: Literal["anonymous", "pseudonymous", "named"]
    private: bool
    revealed: bool
    reactions: bool
    max_notes: int
    vote: VoteSettingsOut | None
    journey: JourneySettingsOut | None = None


class ContributionOut(Shape):
    """A note, or a card of a journey map (`column`: its stage, `lane`: its row). Phones
    only ever receive visible notes of revealed activities (and their own);
    `hidden_reason` is for facilitators."""

    id: int
    activity_id: int
    body: str
    author: str | None
    column: str
    lane: str = ""
    cluster_id: int | None
    status: Literal["visible", "hidden"]
    hidden_reason: str
    reactions: int
    edited: bool
    created_at: datetime


class ClusterOut(Shape):
    id: int
    activity_id: int
    title: str
    position: int


class VoteItemOut(Shape):
    id: int
    activity_id: int
    label: str
    contribution_id: int | None
    cluster_id: int | None
    position: int


class ItemTallyOut(Shape):
    """A vote: `count` dots. A rating: `n` people, the mean and the spread (standard
    deviation) on each axis, null while nobody has rated it."""

    item_id: int
    count: int | None = None
    n: int | None = None
    x_mean: float | None = None
    y_mean: float | None = None
    x_sd: float | None = None
    y_sd: float | None = None


# A count of people under the small-group rule (participation.disclosure).
ProtectedCount = int | Literal["<5", "hidden"]


class ProfileTallyOut(Shape):
    """One profile's choices, under the small-group rule: `items` only when its number of
    voters is shown exactly."""

    voters: ProtectedCount
    items: dict[int, int] | None


class TallyOut(Shape):
    """A vote's results. Phones get only `voters` while the results are hidden."""

    activity_id: int
    voters: int
    final: bool
    items: list[ItemTallyOut] | None
    by_profile: dict[str, ProfileTallyOut] | None


class MyVotesOut(Shape):
    """One participant's dots (item id -> count) and ratings (item id -> [x, y]) in a vote."""

    activity_id: int
    votes: dict[int, int]
    left: int
    ratings: dict[int, tuple[int, int]]


class StageCurveOut(Shape):
    """How one stage of a journey feels: `n` people rated it, their mean and spread
    (population standard deviation) on −2…+2, and how many chose each of −2, −1, 0, +1,
    +2. In a profile's curve, a stage rated by fewer than 5 of them shows `n` "<5" and
    no figures."""

    stage: str
    n: int | Literal["<5"]
    mean: float | None
    sd: float | None
    counts: list[int] | None


class ProfileCurveOut(Shape):
    """One profile's curve, under the small-group rule: `stages` only when its number of
    raters is shown exactly."""

    raters: ProtectedCount
    stages: list[StageCurveOut] | None


class CurveOut(Shape):
    """A journey map's emotion curve, for facilitators' screens (phones never get it).
    `raters`: people who rated at least one stage."""

    activity_id: int
    raters: int
    stages: list[StageCurveOut]
    by_profile: dict[str, ProfileCurveOut] | None


class MyFeelingsOut(Shape):
    """One participant's ratings of a journey's stages (stage key -> −2…+2)."""

    activity_id: int
    stages: dict[str, int]


class MeOut(Shape):
    """The participant's own view: their notes (even while private), their +1s, their
    votes, their ratings of journey stages."""

    participant_id: int
    display_name: str
    pseudonym: str
    profile: str
    contributions: list[ContributionOut]
    reacted_ids: list[int]
    votes: list[MyVotesOut]
    feelings: list[MyFeelingsOut] = []


class Snapshot(Shape):
    seq: int
    server_time: datetime
    workshop: WorkshopOut
    activities: list[ActivityOut]
    contributions: list[ContributionOut]
    clusters: list[ClusterOut]
    vote_items: list[VoteItemOut]
    tallies: list[TallyOut]
    curves: list[CurveOut] = []
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


class ActivityRemovedEvent(Shape):
    type: Literal["activity.removed"] = "activity.removed"
    seq: int
    activity_id: int


class ActivityRevealedEvent(Shape):
    """A private activity's notes, all shown at once."""

    type: Literal["activity.revealed"] = "activity.revealed"
    seq: int
    activity: ActivityOut
    contributions: list[ContributionOut]


class ContributionCreatedEvent(Shape):
    type: Literal["contribution.created"] = "contribution.created"
    seq: int
    contribution: ContributionOut


class ContributionUpdatedEvent(Shape):
    """Edited, moved, hidden or restored, or its +1 count changed: replace (or add) it."""

    type: Literal["contribution.updated"] = "contribution.updated"
    seq: int
    contribution: ContributionOut


class ContributionRemovedEvent(Shape):
    """Withdrawn by its author; for phones also a note the facilitator hid."""

    type: Literal["contribution.removed"] = "contribution.removed"
    seq: int
    contribution_id: int


class ClusterUpdatedEvent(Shape):
    type: Literal["cluster.updated"] = "cluster.updated"
    seq: int
    cluster: ClusterOut


class ClusterRemovedEvent(Shape):
    """The cluster is gone; its notes are unclustered (their own events follow)."""

    type: Literal["cluster.removed"] = "cluster.removed"
    seq: int
    cluster_id: int


class VoteItemsEvent(Shape):
    """The items of a vote, set when it opens (or by the facilitator's shortlist)."""

    type: Literal["vote.items"] = "vote.items"
    seq: int
    activity_id: int
    items: list[VoteItemOut]


class VoteTallyEvent(Shape):
    """A vote's results, at most every TALLY_INTERVAL while people vote (coalesced), and
    final when it closes."""

    type: Literal["vote.tally"] = "vote.tally"
    seq: int
    tally: TallyOut


class JourneyCurveEvent(Shape):
    """A journey map's emotion curve, at most every CURVE_INTERVAL while people rate
    (coalesced), and final when the map closes."""

    type: Literal["journey.curve"] = "journey.curve"
    seq: int
    curve: CurveOut


class RedactedEvent(Shape):
    """What a phone receives in place of an event it may not see (a note still private):
    only the sequence number, so its sequence has no gap."""

    type: Literal["redacted"] = "redacted"
    seq: int


Event = (
    WorkshopUpdatedEvent
    | ActivityUpdatedEvent
    | ActivityRemovedEvent
    | ActivityRevealedEvent
    | ContributionCreatedEvent
    | ContributionUpdatedEvent
    | ContributionRemovedEvent
    | ClusterUpdatedEvent
    | ClusterRemovedEvent
    | VoteItemsEvent
    | VoteTallyEvent
    | JourneyCurveEvent
    | RedactedEvent
)
EVENT_TYPES: tuple[type[Shape], ...] = (
    WorkshopUpdatedEvent,
    ActivityUpdatedEvent,
    ActivityRemovedEvent,
    ActivityRevealedEvent,
    ContributionCreatedEvent,
    ContributionUpdatedEvent,
    ContributionRemovedEvent,
    ClusterUpdatedEvent,
    ClusterRemovedEvent,
    VoteItemsEvent,
    VoteTallyEvent,
    JourneyCurveEvent,
    RedactedEvent,
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
    by_profile: dict[str, ProtectedCount]


# Storage trouble (realtime/failures.py) -------------------------------------------------


class StorageAlert(Shape):
    """To big screens only, neither logged nor numbered (the database may be down): the
    workshop's commands cannot be written now; phones keep and resend them. `reason` is
    French text that completes the screen's own sentence."""

    type: Literal["storage.alert"] = "storage.alert"
    code: Literal["unavailable", "storage_read_only", "storage_full"]
    reason: str
    server_time: datetime


SERVER_MESSAGE_TYPES: tuple[type[Shape], ...] = (
    *EVENT_TYPES,
    Ack,
    ErrorReply,
    SyncReply,
    Batch,
    Pong,
    Presence,
    StorageAlert,
)
