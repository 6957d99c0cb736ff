"""What the live path persists: the event log, command receipts and open connections.

PostgreSQL is the source of truth. The channel layer only carries copies of logged
events; a client that misses one fetches it again from `WorkshopEvent` by sequence.
"""

from django.db import models


class WorkshopEvent(models.Model):
    """One event as sent to clients, numbered per workshop in the writing transaction."""

    workshop = models.ForeignKey("ateliers.Workshop", on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    type = models.CharField(max_length=60)
    # The exact JSON text sent on the wire, so a replay is byte-identical.
    payload = models.TextField()
    # What phones receive instead, when it differs (a note still private, or hidden by
    # the facilitator); null: the same text as `payload`.
    phone_payload = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workshop", "seq"], name="event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.workshop_id}#{self.seq} {self.type}"


class CommandReceipt(models.Model):
    """The answer to a command, stored with its effect so a retry is applied once."""

    workshop = models.ForeignKey("ateliers.Workshop", on_delete=models.CASCADE, related_name="+")
    actor = models.CharField(max_length=40)
    request_id = models.CharField(max_length=64)
    result = models.JSONField()
    seq = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "actor", "request_id"], name="receipt_once_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor}:{self.request_id}"


class Connection(models.Model):
    """One open WebSocket, for the live head count; stale rows age out by `last_seen`."""

    workshop = models.ForeignKey("ateliers.Workshop", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "participation.Participant", on_delete=models.CASCADE, null=True, related_name="+"
    )
    channel_name = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["workshop", "last_seen"])]

    def __str__(self) -> str:
        return self.channel_name
