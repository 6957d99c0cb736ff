"""Publishing events: number them, log them, send them after commit.

`publish` must run inside the action's transaction. It takes the next sequence number
with an UPDATE on the workshop row (which also serialises writers of one workshop, so
sequence order is commit order), stores the event text, and sends that same text to the
workshop group only once the transaction has committed: no client ever sees an event
that was rolled back. The send itself is handed to the event loop (`realtime.sender`)
so a slow or absent Redis never holds a writer. The channel layer may still drop it;
clients detect the gap by sequence and fetch what they missed (`realtime.replay`).
"""

from typing import Any, Final

from django.db import connection, transaction
from django.utils import timezone

from realtime.events import RedactedEvent, Shape
from realtime.groups import workshop_group
from realtime.sender import enqueue


def next_seq(workshop_id: int) -> int:
    """Increment and return the workshop's sequence number, locking its row until commit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ateliers_workshop SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",
            [workshop_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"workshop {workshop_id} does not exist")
    return int(row[0])


class _Same:
    def __repr__(self) -> str:
        return "SAME"


SAME: Final = _Same()  # phones receive the event as screens do
REDACTED: Final = RedactedEvent  # phones receive only its sequence number
PhoneView = _Same | type[RedactedEvent] | tuple[type[Shape], dict[str, Any]]


def publish(
    workshop_id: int, event_class: type[Shape], *, phones: PhoneView = SAME, **fields: Any
) -> int:
    """Log an event with the next sequence number and send it to the workshop after commit.

    `phones` is what phones get instead, when they may not see all of it: `REDACTED`, or
    another event class and its fields (same sequence number). Facilitators' screens
    always get the full event.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish() must be called inside the action's transaction")
    seq = next_seq(workshop_id)
    event = event_class(seq=seq, **fields)
    text = event.model_dump_json()
    phone_text = None
    if phones is REDACTED:
        phone_text = RedactedEvent(seq=seq).model_dump_json()
    elif isinstance(phones, tuple):
        phone_class, phone_fields = phones
        phone_text = phone_class(seq=seq, **phone_fields).model_dump_json()
    with connection.cursor() as cursor:  # plain SQL: every event goes through here
        cursor.execute(
            "INSERT INTO realtime_workshopevent"
            " (workshop_id, seq, type, payload, phone_payload, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [workshop_id, seq, event.type, text, phone_text, timezone.now()],  # type: ignore[attr-defined]
        )
    transaction.on_commit(lambda: enqueue(workshop_group(workshop_id), text, phone_text, seq))
    return seq
