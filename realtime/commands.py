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


class ContributionCreateCommand(Command):
    type: Literal["contribution.create"]
    request_id: RequestId
    activity_id: ObjectId
    body: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=settings.CONTRIBUTION_MAX_LENGTH
        ),
    ]


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


AnyCommand = Annotated[
    SyncCommand
    | PingCommand
    | ContributionCreateCommand
    | WorkshopStartCommand
    | WorkshopCloseCommand
    | ActivityOpenCommand
    | ActivityCloseCommand
    | TimerStartCommand
    | TimerPauseCommand
    | TimerResumeCommand
    | TimerExtendCommand
    | TimerStopCommand,
    Field(discriminator="type"),
]
command_adapter: TypeAdapter[AnyCommand] = TypeAdapter(AnyCommand)
