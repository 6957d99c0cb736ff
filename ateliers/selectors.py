"""Read-side shapes for workshops: the snapshot every client starts from.

The same builders feed the WebSocket snapshot, the events and the pages, so a client
that applies events to an old snapshot ends with what a fresh snapshot would show.
"""

from django.utils import timezone

from ateliers.models import Activity, Workshop
from participation.models import Contribution, Participant
from participation.selectors import contribution_out, me_out
from realtime.events import ActivityOut, Snapshot, TimerOut, WorkshopOut


def workshop_out(workshop: Workshop) -> WorkshopOut:
    timer = None
    if workshop.timer_ends_at is not None or workshop.timer_paused_remaining is not None:
        timer = TimerOut(
            ends_at=workshop.timer_ends_at, paused_remaining=workshop.timer_paused_remaining
        )
    return WorkshopOut(
        id=workshop.pk,
        title=workshop.title,
        join_code=workshop.join_code,
        state=workshop.state,  # type: ignore[arg-type]
        current_activity_id=workshop.current_activity_id,
        timer=timer,
    )


def activity_out(activity: Activity) -> ActivityOut:
    return ActivityOut(
        id=activity.pk,
        position=activity.position,
        kind=activity.kind,  # type: ignore[arg-type]
        title=activity.title,
        prompt=activity.prompt,
        state=activity.state,  # type: ignore[arg-type]
    )


def workshop_snapshot(workshop_id: int, participant: Participant | None = None) -> Snapshot:
    """The whole visible state of a workshop, with the sequence number it is at.

    The sequence is read first: anything written meanwhile is both in the data and in
    a later event, and clients apply events by id, so the overlap is harmless.
    """
    workshop = Workshop.objects.get(pk=workshop_id)
    contributions = (
        Contribution.objects.filter(activity__workshop_id=workshop_id)
        .select_related("participant")
        .order_by("created_at", "pk")
    )
    return Snapshot(
        seq=workshop.last_seq,
        server_time=timezone.now(),
        workshop=workshop_out(workshop),
        activities=[activity_out(a) for a in workshop.activities.all()],
        contributions=[contribution_out(c) for c in contributions],
        me=me_out(participant) if participant else None,
    )
