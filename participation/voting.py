"""Dot voting and two-axis rating: the only code that writes votes and ratings.

Every vote locks its voter's row, so the budget (points per person) and the per-item
limit are checked and written one command at a time per person: two devices of one
person, a double tap, a retry after a reconnect (same request_id: answered from its
receipt) or a vote racing the facilitator's close all end in exactly the rows the rules
allow, while different people's votes go through in parallel. Votes are
not events themselves: each commit asks for the tally to be published soon
(`realtime.coalesce`), at most once per TALLY_INTERVAL per process, so a room voting at
once costs a few tally messages per second, not one per vote per socket.
"""

from collections import Counter
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ateliers.actions import facilitator_command, lock_workshop
from ateliers.errors import (
    ActivityClosed,
    InvalidInput,
    InvalidTransition,
    ItemVoteLimit,
    NotFound,
    VoteBudgetSpent,
    WorkshopClosed,
    WorkshopNotLive,
)
from ateliers.models import (
    Activity,
    ActivityKind,
    ActivityState,
    VoteTarget,
    Workshop,
    WorkshopState,
)
from participation.actions import participant_actor
from participation.models import (
    Cluster,
    Contribution,
    ContributionStatus,
    Participant,
    Rating,
    Vote,
    VoteItem,
)
from participation.tallies import tally_out, vote_item_out
from realtime.broadcast import SAME, PhoneView, publish
from realtime.coalesce import soon
from realtime.events import MyVotesOut, VoteItemsEvent, VoteTallyEvent
from realtime.receipts import CommandResult, find_receipt, remember

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
        publish_tally(activity)  # nobody has voted yet: every screen starts from zero


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
        _set_items(activity, chosen)
        return publish_tally(activity)

    return facilitator_command(user, workshop_id, request_id, shortlist)


# Tallies ------------------------------------------------------------------------------


def publish_tally(activity: Activity) -> int:
    """Publish the activity's results as they are in the database now (inside the
    caller's transaction, under the workshop lock, so tallies go out in the order they
    were counted): in full to facilitators; to phones only the number of voters while
    the results are hidden."""
    full = tally_out(activity)
    phones: PhoneView = SAME
    if activity.results_hidden:
        hidden = full.model_copy(update={"items": None, "by_profile": None})
        phones = (VoteTallyEvent, {"tally": hidden})
    return publish(activity.workshop_id, VoteTallyEvent, phones=phones, tally=full)


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
#
# A vote takes no workshop lock (it publishes no event of its own): it locks the voter's
# row, so one person's devices and retries queue, and holds a SHARE lock on the vote's
# activity, which closing it (an UPDATE of that row) must wait for. So voters proceed in
# parallel, and a vote racing the close either commits before the close reads the final
# tally or sees the vote closed.

ItemChange = Callable[[VoteItem, Activity, list[int]], list[int]]


def _voter_command(
    participant: Participant, item_id: int, kind: str, request_id: str | None, change: ItemChange
) -> CommandResult:
    """The frame of every vote command: `change(item, activity, my item ids)` returns the
    participant's item ids (one per point) after it; the ack carries their votes."""
    with transaction.atomic():
        Participant.objects.select_for_update(no_key=True).filter(pk=participant.pk).values(
            "pk"
        ).first()
        actor = participant_actor(participant)
        if done := find_receipt(participant.workshop_id, actor, request_id):
            return done
        item = (
            VoteItem.objects.select_related("activity", "contribution")
            .filter(pk=item_id, activity__workshop_id=participant.workshop_id)
            .first()
        )
        if item is None or item.activity.kind != kind:
            raise NotFound()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.state, w.state, w.last_seq FROM ateliers_activity a"
                " JOIN ateliers_workshop w ON w.id = a.workshop_id"
                " WHERE a.id = %s FOR SHARE OF a",
                [item.activity_id],
            )
            activity_state, workshop_state, seq = cursor.fetchone()
        if workshop_state != WorkshopState.LIVE:
            raise WorkshopClosed() if workshop_state == WorkshopState.CLOSED else WorkshopNotLive()
        if activity_state != ActivityState.OPEN:
            raise ActivityClosed(_("Le vote est clos."))
        if item.contribution is not None and item.contribution.status != ContributionStatus.VISIBLE:
            raise NotFound(_("Cet élément a été retiré du vote."))
        activity = item.activity
        mine = list(
            Vote.objects.filter(activity=activity, participant=participant).values_list(
                "item_id", flat=True
            )
        )
        mine = change(item, activity, mine)
        _tally_soon(activity)
        ratings = {}
        if kind == ActivityKind.RATING:
            ratings = {
                i: (x, y)
                for i, x, y in Rating.objects.filter(
                    activity=activity, participant=participant
                ).values_list("item_id", "x", "y")
            }
        result = MyVotesOut(
            activity_id=activity.pk,
            votes=dict(Counter(mine)),
            left=activity.votes_per_person - len(mine),
            ratings=ratings,
        ).model_dump(mode="json")
        return remember(participant.workshop_id, actor, request_id, seq, result)


def vote_add(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Put one of the participant's points on an item."""

    def add(item: VoteItem, activity: Activity, mine: list[int]) -> list[int]:
        if len(mine) >= activity.votes_per_person:
            raise VoteBudgetSpent()
        if mine.count(item.pk) >= activity.max_per_item:
            raise ItemVoteLimit(
                _("Vous avez déjà mis %(n)d point(s) sur cet élément, le maximum.")
                % {"n": activity.max_per_item}
            )
        Vote.objects.create(activity=activity, item=item, participant=participant)
        return [*mine, item.pk]

    return _voter_command(participant, item_id, ActivityKind.VOTE, request_id, add)


def vote_remove(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Take back one of the participant's points from an item, while the vote is open."""

    def remove(item: VoteItem, activity: Activity, mine: list[int]) -> list[int]:
        last = (
            Vote.objects.filter(activity=activity, participant=participant, item=item)
            .order_by("-pk")
            .first()
        )
        if last is None:
            raise InvalidTransition(_("Vous n'avez pas de point sur cet élément."))
        last.delete()
        mine.remove(item.pk)
        return mine

    return _voter_command(participant, item_id, ActivityKind.VOTE, request_id, remove)


def rating_set(
    *, participant: Participant, item_id: int, x: int, y: int, request_id: str | None = None
) -> CommandResult:
    """Place an item on the two axes (1–5 each); placing it again moves it."""
    if not (1 <= x <= 5 and 1 <= y <= 5):
        raise InvalidInput(_("Chaque note va de 1 à 5."))

    def rate(item: VoteItem, activity: Activity, mine: list[int]) -> list[int]:
        Rating.objects.update_or_create(
            item=item, participant=participant, defaults={"activity": activity, "x": x, "y": y}
        )
        return mine

    return _voter_command(participant, item_id, ActivityKind.RATING, request_id, rate)


def rating_clear(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Withdraw the participant's rating of an item."""

    def clear(item: VoteItem, activity: Activity, mine: list[int]) -> list[int]:
        if not Rating.objects.filter(item=item, participant=participant).delete()[0]:
            raise InvalidTransition(_("Vous n'avez pas noté cet élément."))
        return mine

    return _voter_command(participant, item_id, ActivityKind.RATING, request_id, clear)
