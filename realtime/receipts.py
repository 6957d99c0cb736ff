"""Idempotent commands: the first answer to a `request_id` is stored and replayed.

A phone that loses its connection resends its queued commands with the same
`request_id`; the action looks the receipt up after locking the workshop row, so a
retry, even one racing the original on another server, is applied exactly once.
"""

from dataclasses import dataclass, field
from typing import Any

from realtime.models import CommandReceipt


@dataclass(frozen=True)
class CommandResult:
    """What an action did: the event sequence it produced and data for the ack."""

    seq: int
    result: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False


def find_receipt(workshop_id: int, actor: str, request_id: str | None) -> CommandResult | None:
    if request_id is None:
        return None
    receipt = (
        CommandReceipt.objects.filter(workshop_id=workshop_id, actor=actor, request_id=request_id)
        .only("seq", "result")
        .first()
    )
    if receipt is None:
        return None
    return CommandResult(seq=receipt.seq, result=receipt.result, replayed=True)


def remember(
    workshop_id: int, actor: str, request_id: str | None, seq: int, result: dict[str, Any]
) -> CommandResult:
    """Store the answer in the action's transaction (if the command carried an id)."""
    if request_id is not None:
        CommandReceipt.objects.create(
            workshop_id=workshop_id, actor=actor, request_id=request_id, seq=seq, result=result
        )
    return CommandResult(seq=seq, result=result)
