"""Every command a client may send, validated before anything else looks at it.

A command names itself with a literal `type` from this closed list; nothing a client
sends ever becomes a channel-layer message type or a method name.
"""

from typing import Annotated, Literal

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

RequestId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\w-]+$")]
ObjectId = Annotated[int, Field(ge=1, le=2**62)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SyncCommand(Command):
    """Catch up from `last_seq` (null: send a snapshot). The optional `request_id` comes
    back on an error, so the client knows its sync failed and can retry."""

    type: Literal["sync"]
    last_seq: Annotated[int, Field(ge=0, le=2**62)] | None = None
    request_id: RequestId | None = None


class PingCommand(Command):
    type: Literal["ping"]


Body = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=settings.CONTRIBUTION_MAX_LENGTH
    ),
]
ColumnKey = Annotated[str, StringConstraints(max_length=20, pattern=r"^[\w-]*$")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


# Participants (phones) -------------------------------------------------------------------


class ContributionCreateCommand(Command):
    type: Literal["contribution.create"]
    request_id: RequestId
    activity_id: ObjectId
    body: Body
    column: ColumnKey = ""
    lane: ColumnKey = ""


class ContributionUpdateCommand(Command):
    type: Literal["contribution.update"]
    request_id: RequestId
    contribution_id: ObjectId
    body: Body
    column: ColumnKey | None = None
    lane: ColumnKey | None = None


class ContributionWithdrawCommand(Command):
    type: Literal["contribution.withdraw"]
    request_id: RequestId
    contribution_id: ObjectId


class ReactionSetCommand(Command):
    type: Literal["reaction.set"]
    request_id: RequestId
    contribution_id: ObjectId
    on: bool


class VoteAddCommand(Command):
    type: Literal["vote.add"]
    request_id: RequestId
    item_id: ObjectId


class VoteRemoveCommand(Command):
    type: Literal["vote.remove"]
    request_id: RequestId
    item_id: ObjectId


Score = Annotated[int, Field(ge=1, le=5)]


class RatingSetCommand(Command):
    type: Literal["rating.set"]
    request_id: RequestId
    item_id: ObjectId
    x: Score
    y: Score


class RatingClearCommand(Command):
    type: Literal["rating.clear"]
    request_id: RequestId
    item_id: ObjectId


Feeling = Annotated[int, Field(ge=-2, le=2)]


class FeelingSetCommand(Command):
    """How a stage of a journey feels to the participant, −2…+2; setting it again
    replaces it."""

    type: Literal["feeling.set"]
    request_id: RequestId
    activity_id: ObjectId
    stage: ColumnKey
    value: Feeling


class FeelingClearCommand(Command):
    type: Literal["feeling.clear"]
    request_id: RequestId
    activity_id: ObjectId
    stage: ColumnKey


# Facilitators (screens) ------------------------------------------------------------------


class WorkshopStartCommand(Command):
    type: Literal["workshop.start"]
    request_id: RequestId


class WorkshopCloseCommand(Command):
    type: Literal["workshop.close"]
    request_id: RequestId


class ActivityOpenCommand(Command):
    type: Literal["activity.open"]
    request_id: RequestId
    activity_id: ObjectId


class ActivityCloseCommand(Command):
    type: Literal["activity.close"]
    request_id: RequestId
    activity_id: ObjectId


Seconds = Annotated[int, Field(ge=1, le=4 * 3600)]


class TimerStartCommand(Command):
    type: Literal["timer.start"]
    request_id: RequestId
    seconds: Seconds


class TimerPauseCommand(Command):
    type: Literal["timer.pause"]
    request_id: RequestId


class TimerResumeCommand(Command):
    type: Literal["timer.resume"]
    request_id: RequestId


class TimerExtendCommand(Command):
    type: Literal["timer.extend"]
    request_id: RequestId
    seconds: Seconds


class TimerStopCommand(Command):
    type: Literal["timer.stop"]
    request_id: RequestId


class WorkshopShowAuthorsCommand(Command):
    type: Literal["workshop.show_authors"]
    request_id: RequestId
    visible: bool


class AgendaGotoCommand(Command):
    type: Literal["agenda.goto"]
    request_id: RequestId
    activity_id: ObjectId


class AgendaNextCommand(Command):
    type: Literal["agenda.next"]
    request_id: RequestId


class AgendaPreviousCommand(Command):
    type: Literal["agenda.previous"]
    request_id: RequestId


class ActivityRevealCommand(Command):
    type: Literal["activity.reveal"]
    request_id: RequestId
    activity_id: ObjectId


class ContributionHideCommand(Command):
    type: Literal["contribution.hide"]
    request_id: RequestId
    contribution_id: ObjectId
    reason: ShortText


class ContributionRestoreCommand(Command):
    type: Literal["contribution.restore"]
    request_id: RequestId
    contribution_id: ObjectId


class ContributionSpotlightCommand(Command):
    """`contribution_id` null turns the spotlight off."""

    type: Literal["contribution.spotlight"]
    request_id: RequestId
    contribution_id: ObjectId | None


class ContributionMoveCommand(Command):
    """`cluster_id` null takes the note out of its cluster."""

    type: Literal["contribution.move"]
    request_id: RequestId
    contribution_id: ObjectId
    cluster_id: ObjectId | None


class ContributionPlaceCommand(Command):
    """Move a card of a journey map to another cell: stage `column`, row `lane`."""

    type: Literal["contribution.place"]
    request_id: RequestId
    contribution_id: ObjectId
    column: ColumnKey
    lane: ColumnKey


class ClusterCreateCommand(Command):
    type: Literal["cluster.create"]
    request_id: RequestId
    activity_id: ObjectId
    title: ShortText
    contribution_ids: Annotated[list[ObjectId], Field(max_length=500)] = []


class ClusterRenameCommand(Command):
    type: Literal["cluster.rename"]
    request_id: RequestId
    cluster_id: ObjectId
    title: ShortText


class ClusterDeleteCommand(Command):
    type: Literal["cluster.delete"]
    request_id: RequestId
    cluster_id: ObjectId


class VoteShortlistCommand(Command):
    type: Literal["vote.shortlist"]
    request_id: RequestId
    activity_id: ObjectId
    contribution_ids: Annotated[list[ObjectId], Field(max_length=500)] = []
    cluster_ids: Annotated[list[ObjectId], Field(max_length=500)] = []


AnyCommand = Annotated[
    SyncCommand
    | PingCommand
    | ContributionCreateCommand
    | ContributionUpdateCommand
    | ContributionWithdrawCommand
    | ReactionSetCommand
    | VoteAddCommand
    | VoteRemoveCommand
    | RatingSetCommand
    | RatingClearCommand
    | FeelingSetCommand
    | FeelingClearCommand
    | WorkshopStartCommand
    | WorkshopCloseCommand
    | WorkshopShowAuthorsCommand
    | AgendaGotoCommand
    | AgendaNextCommand
    | AgendaPreviousCommand
    | ActivityOpenCommand
    | ActivityCloseCommand
    | ActivityRevealCommand
    | TimerStartCommand
    | TimerPauseCommand
    | TimerResumeCommand
    | TimerExtendCommand
    | TimerStopCommand
    | ContributionHideCommand
    | ContributionRestoreCommand
    | ContributionSpotlightCommand
    | ContributionMoveCommand
    | ContributionPlaceCommand
    | ClusterCreateCommand
    | ClusterRenameCommand
    | ClusterDeleteCommand
    | VoteShortlistCommand,
    Field(discriminator="type"),
]
command_adapter: TypeAdapter[AnyCommand] = TypeAdapter(AnyCommand)
