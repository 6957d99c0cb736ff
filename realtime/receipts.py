"""Idempotent commands: the first answer to a `request_id` is stored and replayed.

A phone that loses its connection resends its queued commands with the same
`request_id`; the action looks the receipt up after locking the workshop row, so a
retry, even one racing the original on another server, is applied exactly once.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class CommandResult:
    """What an action did: the event sequence it produced and data for the ack."""

    seq: int
    result: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False


def find_receipt(workshop_id: int, actor: str, request_id: str | None) -> CommandResult | None:
    if request_id is None:
        return None
    # Plain SQL: every command asks, and the ORM's query building cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, result FROM realtime_commandreceipt"
            " WHERE workshop_id = %s AND actor = %s AND request_id = %s",
            [workshop_id, actor, request_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    seq, result = row
    if isinstance(result, str):  # a driver that hands jsonb back as text
        result = json.loads(result)
    return CommandResult(seq=seq, result=result, replayed=True)


def remember(
    workshop_id: int, actor: str, request_id: str | None, seq: int, result: dict[str, Any]
) -> CommandResult:
    """Store the answer in the action's transaction (if the command carried an id)."""
    if request_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO realtime_commandreceipt"
                " (workshop_id, actor, request_id, result, seq, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    workshop_id,
                    actor,
                    request_id,
                    connection.ops.adapt_json_value(result, None),  # jsonb, or text
                    seq,
                    timezone.now(),
                ],
            )
    return CommandResult(seq=seq, result=result)
