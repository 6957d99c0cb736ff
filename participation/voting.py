"""Dot voting and two-axis rating: the only code that writes votes and ratings.

Every vote locks the workshop row, so the budget (points per person) and the per-item
limit are checked and written one command at a time: two devices of one person, a double
tap, a retry after a reconnect (same request_id: answered from its receipt) or a vote
racing the facilitator's close all end in exactly the rows the rules allow. Votes are
not events themselves: each commit asks for the tally to be published soon
(`realtime.coalesce`), at most once per TALLY_INTERVAL per process, so a room voting at
once costs a few tally messages per second, not one per vote per socket.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from ateliers.actions import facilitator_command, lock_workshop
from ateliers.errors import (
    ActivityClosed,
    InvalidInput,
    InvalidTransition,
    ItemVoteLimit,
    NotFound,
    VoteBudgetSpent,
)
from ateliers.models import Activity, ActivityKind, ActivityState, VoteTarget, Workshop
from participation.actions import participant_command
from participation.models import (
    Cluster,
    Contribution,
    ContributionStatus,
    Participant,
    Rating,
    Vote,
    VoteItem,
)
from participation.tallies import my_votes_out, tally_out, vote_item_out
from realtime.broadcast import SAME, publish
from realtime.coalesce import soon
from realtime.events import VoteItemsEvent, VoteTallyEvent
from realtime.receipts import CommandResult

TALLY_INTERVAL = 0.5


# Items --------------------------------------------------------------------------------


def _source_items(activity: Activity) -> list[tuple[Contribution | None, Cluster | None, str]]:
    """What a vote puts to the room when the facilitator picked no shortlist: every
    visible note of its source board, or every cluster."""
    if activity.source_id is None:
        return []
    if activity.vote_target == VoteTarget.CLUSTERS:
        return [(None, c, c.title) for c in Cluster.objects.filter(activity_id=activity.source_id)]
    notes = Contribution.objects.filter(
        activity_id=activity.source_id, status=ContributionStatus.VISIBLE
    ).order_by("created_at", "pk")
    return [(note, None, note.body) for note in notes]


def _set_items(
    activity: Activity, chosen: list[tuple[Contribution | None, Cluster | None, str]]
) -> int:
    activity.vote_items.all().delete()
    VoteItem.objects.bulk_create(
        VoteItem(activity=activity, contribution=note, cluster=cluster, label=label, position=n)
        for n, (note, cluster, label) in enumerate(chosen, start=1)
    )
    items = [vote_item_out(item) for item in activity.vote_items.all()]
    return publish(activity.workshop_id, VoteItemsEvent, activity_id=activity.pk, items=items)


def prepare_vote(activity: Activity) -> None:
    """Called when a vote or rating activity opens: without a shortlist, its items are
    taken from its source board now (notes added later are not in this vote)."""
    if activity.is_voting and not activity.vote_items.exists():
        _set_items(activity, _source_items(activity))


def vote_shortlist(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    activity_id: int,
    contribution_ids: list[int] | None = None,
    cluster_ids: list[int] | None = None,
    request_id: str | None = None,
) -> CommandResult:
    """The facilitator puts chosen notes and clusters of the source board to the vote,
    in the order given; allowed until the first vote is cast."""

    def shortlist(workshop: Workshop) -> int:
        activity = Activity.objects.filter(pk=activity_id, workshop=workshop).first()
        if activity is None or not activity.is_voting:
            raise NotFound()
        if activity.state == ActivityState.CLOSED:
            raise ActivityClosed()
        if (
            Vote.objects.filter(activity=activity).exists()
            or Rating.objects.filter(activity=activity).exists()
        ):
            raise InvalidTransition(_("Des votes ont déjà été exprimés : la liste est figée."))
        notes = {
            n.pk: n
            for n in Contribution.objects.filter(
                pk__in=contribution_ids or [],
                activity__workshop=workshop,
                status=ContributionStatus.VISIBLE,
            )
        }
        clusters = {
            c.pk: c
            for c in Cluster.objects.filter(pk__in=cluster_ids or [], activity__workshop=workshop)
        }
        chosen = [
            (notes[i], None, notes[i].body)
            for i in dict.fromkeys(contribution_ids or [])
            if i in notes
        ]
        chosen += [
            (None, clusters[i], clusters[i].title)
            for i in dict.fromkeys(cluster_ids or [])
            if i in clusters
        ]
        if len(chosen) != len(set(contribution_ids or [])) + len(set(cluster_ids or [])):
            raise NotFound(_("Un élément choisi n'existe pas ou est masqué."))
        if not chosen:
            raise InvalidInput(_("Choisissez au moins un élément à soumettre au vote."))
        return _set_items(activity, chosen)

    return facilitator_command(user, workshop_id, request_id, shortlist)


# Tallies ------------------------------------------------------------------------------


def publish_tally(activity: Activity) -> int:
    """Publish the activity's results as they are in the database now (inside the
    caller's transaction): in full to facilitators; to phones only the number of voters
    while the results are hidden."""
    full = tally_out(activity)
    phone = tally_out(activity, for_phone=True)
    return publish(
        activity.workshop_id,
        VoteTallyEvent,
        phones=SAME if phone == full else (VoteTallyEvent, {"tally": phone}),
        tally=full,
    )


def _flush_tally(workshop_id: int, activity_id: int) -> None:
    with transaction.atomic():
        lock_workshop(workshop_id)
        activity = Activity.objects.filter(pk=activity_id).first()
        if activity is not None and activity.state == ActivityState.OPEN:
            publish_tally(activity)  # a closed vote published its final tally itself


def _tally_soon(activity: Activity) -> None:
    workshop_id, activity_id = activity.workshop_id, activity.pk
    transaction.on_commit(
        lambda: soon(
            ("tally", activity_id), lambda: _flush_tally(workshop_id, activity_id), TALLY_INTERVAL
        )
    )


# Participants' votes ------------------------------------------------------------------


def _open_item(workshop: Workshop, item_id: int, kind: str) -> tuple[VoteItem, Activity]:
    item = (
        VoteItem.objects.select_related("activity", "contribution")
        .filter(pk=item_id, activity__workshop=workshop)
        .first()
    )
    if item is None or item.activity.kind != kind:
        raise NotFound()
    if item.contribution is not None and item.contribution.status != ContributionStatus.VISIBLE:
        raise NotFound(_("Cet élément a été retiré du vote."))
    if item.activity.state != ActivityState.OPEN:
        raise ActivityClosed(_("Le vote est clos."))
    return item, item.activity


def _my_votes(activity: Activity, participant: Participant) -> dict[str, Any]:
    return my_votes_out(activity, participant).model_dump(mode="json")


def vote_add(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Put one of the participant's points on an item."""

    def add(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        item, activity = _open_item(workshop, item_id, ActivityKind.VOTE)
        mine = Vote.objects.filter(activity=activity, participant=participant)
        if mine.count() >= activity.votes_per_person:
            raise VoteBudgetSpent()
        if mine.filter(item=item).count() >= activity.max_per_item:
            raise ItemVoteLimit(
                _("Vous avez déjà mis %(n)d point(s) sur cet élément, le maximum.")
                % {"n": activity.max_per_item}
            )
        Vote.objects.create(activity=activity, item=item, participant=participant)
        _tally_soon(activity)
        return workshop.last_seq, _my_votes(activity, participant)

    return participant_command(participant, request_id, add)


def vote_remove(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Take back one of the participant's points from an item, while the vote is open."""

    def remove(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        item, activity = _open_item(workshop, item_id, ActivityKind.VOTE)
        last = (
            Vote.objects.filter(activity=activity, participant=participant, item=item)
            .order_by("-pk")
            .first()
        )
        if last is None:
            raise InvalidTransition(_("Vous n'avez pas de point sur cet élément."))
        last.delete()
        _tally_soon(activity)
        return workshop.last_seq, _my_votes(activity, participant)

    return participant_command(participant, request_id, remove)


def rating_set(
    *, participant: Participant, item_id: int, x: int, y: int, request_id: str | None = None
) -> CommandResult:
    """Place an item on the two axes (1–5 each); placing it again moves it."""
    if not (1 <= x <= 5 and 1 <= y <= 5):
        raise InvalidInput(_("Chaque note va de 1 à 5."))

    def rate(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        item, activity = _open_item(workshop, item_id, ActivityKind.RATING)
        Rating.objects.update_or_create(
            item=item, participant=participant, defaults={"activity": activity, "x": x, "y": y}
        )
        _tally_soon(activity)
        return workshop.last_seq, _my_votes(activity, participant)

    return participant_command(participant, request_id, rate)


def rating_clear(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Withdraw the participant's rating of an item."""

    def clear(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        item, activity = _open_item(workshop, item_id, ActivityKind.RATING)
        if not Rating.objects.filter(item=item, participant=participant).delete()[0]:
            raise InvalidTransition(_("Vous n'avez pas noté cet élément."))
        _tally_soon(activity)
        return workshop.last_seq, _my_votes(activity, participant)

    return participant_command(participant, request_id, clear)
