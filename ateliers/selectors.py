"""Read-side shapes for workshops: the snapshot every client starts from.

The same builders feed the WebSocket snapshot, the events and the pages, so a client
that applies events to an old snapshot ends with what a fresh snapshot would show.
"""

from django.utils import timezone

from ateliers.models import Activity, ActivityKind, Workshop
from participation.curves import curve_out
from participation.models import Cluster, Contribution, Participant, VoteItem
from participation.selectors import cluster_out, contribution_out, is_public, me_out, phone_shape
from participation.tallies import live_items, tally_out, vote_item_out
from realtime.events import (
    ActivityOut,
    ColumnOut,
    JourneySettingsOut,
    LaneOut,
    Snapshot,
    TimerOut,
    VoteSettingsOut,
    WorkshopOut,
)


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
        show_authors=workshop.show_authors,
        spotlight_id=workshop.spotlight_id,
    )


def activity_out(activity: Activity) -> ActivityOut:
    return ActivityOut(
        id=activity.pk,
        position=activity.position,
        kind=activity.kind,  # type: ignore[arg-type]
        title=activity.title,
        prompt=activity.prompt,
        state=activity.state,  # type: ignore[arg-type]
        columns=[ColumnOut(**column) for column in activity.columns],
        identity=activity.identity,  # type: ignore[arg-type]
        private=activity.private,
        revealed=activity.revealed_at is not None,
        reactions=activity.reactions,
        max_notes=activity.max_notes,
        vote=VoteSettingsOut(
            source_id=activity.source_id,
            target=activity.vote_target,  # type: ignore[arg-type]
            votes_per_person=activity.votes_per_person,
            max_per_item=activity.max_per_item,
            anonymous=activity.anonymous_votes,
            axis_x=activity.axis_x,
            axis_y=activity.axis_y,
        )
        if activity.is_voting
        else None,
        journey=journey_settings_out(activity),
    )


def journey_settings_out(activity: Activity) -> JourneySettingsOut | None:
    if activity.kind != ActivityKind.JOURNEY:
        return None
    return JourneySettingsOut(
        persona=activity.persona,
        scenario=activity.scenario,
        horizon=activity.horizon,  # type: ignore[arg-type]
        pair_id=activity.pair_id,
        lanes=[LaneOut(**lane) for lane in activity.lanes],
    )


def workshop_snapshot(workshop_id: int, participant: Participant | None = None) -> Snapshot:
    """The whole visible state of a workshop, with the sequence number it is at: a
    phone's (given its participant: public notes, and its own in `me`) or a
    facilitator's (every note, hidden ones included).

    The sequence is read first: anything written meanwhile is both in the data and in
    a later event, and clients apply events by id, so the overlap is harmless.
    """
    workshop = Workshop.objects.get(pk=workshop_id)
    activities = {a.pk: a for a in workshop.activities.all()}
    contributions = (
        Contribution.objects.filter(activity__workshop_id=workshop_id)
        .select_related("participant")
        .order_by("created_at", "pk")
    )
    if participant is None:
        shown = [contribution_out(c, activities[c.activity_id]) for c in contributions]
    else:
        shown = [
            phone_shape(contribution_out(c, activities[c.activity_id]))
            for c in contributions
            if is_public(c, activities[c.activity_id])
        ]
    clusters = Cluster.objects.filter(activity__workshop_id=workshop_id)
    votes = [a for a in activities.values() if a.is_voting]
    journeys = [a for a in activities.values() if a.kind == ActivityKind.JOURNEY]
    items = live_items(VoteItem.objects.filter(activity__in=votes))
    return Snapshot(
        seq=workshop.last_seq,
        server_time=timezone.now(),
        workshop=workshop_out(workshop),
        activities=[activity_out(a) for a in activities.values()],
        contributions=shown,
        clusters=[cluster_out(c) for c in clusters],
        vote_items=[vote_item_out(item) for item in items],
        tallies=[tally_out(a, for_phone=participant is not None) for a in votes],
        curves=[curve_out(a) for a in journeys] if participant is None else [],
        me=me_out(participant, votes, journeys) if participant else None,
    )
