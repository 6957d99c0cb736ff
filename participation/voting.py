"""Dot voting and two-axis rating: the only code that writes votes and ratings.

Every vote locks its voter's row, so the budget (points per person) and the per-item
limit are checked and written one command at a time per person: two devices of one
person, a double tap, a retry after a reconnect (same request_id: answered from its
receipt) or a vote racing the facilitator's close all end in exactly the rows the rules
allow, while different people's votes go through in parallel. Votes are
not events themselves: each commit asks for the tally to be published soon
(`participation.pacing`), at most once per TALLY_INTERVAL per process, so a room voting at
once costs a few tally messages per second, not one per vote per socket.
"""

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.actions import facilitator_command
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
from participation import pacing
from participation.actions import participant_actor
from participation.journeys import pain_point_cards
from participation.models import (
    Cluster,
    Contribution,
    ContributionStatus,
    Participant,
    Rating,
    Vote,
    VoteItem,
)
from participation.tallies import live_items, phone_tally, tally_out, vote_item_out
from realtime.broadcast import publish
from realtime.events import VoteItemsEvent, VoteTallyEvent
from realtime.receipts import CommandResult, find_receipt, remember

TALLY_INTERVAL = pacing.RESULTS_INTERVAL


# Items --------------------------------------------------------------------------------


def _source_items(activity: Activity) -> list[tuple[Contribution | None, Cluster | None, str]]:
    """What a vote puts to the room when the facilitator picked no shortlist: every
    visible note of its source board, or every cluster; from a journey map, its
    irritants."""
    if activity.source_id is None:
        return []
    source = activity.source
    if source is not None and source.kind == ActivityKind.JOURNEY:
        return [(card, None, label) for card, label in pain_point_cards(source)]
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
    return publish_items(activity)


def publish_items(activity: Activity) -> int:
    """Publish the items a vote puts to the room now (hidden notes left out)."""
    items = [vote_item_out(item) for item in live_items(activity.vote_items.all())]
    return publish(activity.workshop_id, VoteItemsEvent, activity_id=activity.pk, items=items)


def republish_items_of(note: Contribution) -> int | None:
    """A note was hidden or restored: every vote that puts it to the room says so.
    Returns the last sequence published, if any."""
    seq = None
    for activity in Activity.objects.filter(vote_items__contribution=note).distinct():
        seq = publish_items(activity)
    return seq


def check_source_shown(source: Activity | None) -> None:
    """A vote shows its items' text to the room: never the notes of a private board
    that has not been revealed."""
    if source is not None and source.is_hidden_from_phones:
        raise InvalidTransition(
            _("Révélez d'abord les contributions de « %(title)s » avant de les soumettre au vote.")
            % {"title": source.title}
        )


def prepare_vote(activity: Activity) -> None:
    """Called when a vote or rating activity opens: without a shortlist, its items are
    taken from its source board now (notes added later are not in this vote)."""
    if activity.is_voting and not activity.vote_items.exists():
        check_source_shown(activity.source)
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
        # FOR UPDATE on the vote's row: votes in flight hold it in SHARE mode, so the
        # "no vote yet" check below cannot race a vote being cast.
        activity = (
            Activity.objects.select_for_update().filter(pk=activity_id, workshop=workshop).first()
        )
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
            for n in Contribution.objects.select_related("activity").filter(
                pk__in=contribution_ids or [],
                activity__workshop=workshop,
                status=ContributionStatus.VISIBLE,
            )
        }
        clusters = {
            c.pk: c
            for c in Cluster.objects.select_related("activity").filter(
                pk__in=cluster_ids or [], activity__workshop=workshop
            )
        }
        for source in {n.activity for n in notes.values()} | {
            c.activity for c in clusters.values()
        }:
            check_source_shown(source)
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
    were counted): in full to facilitators; to phones without the split by profile (the
    big screen shows it), and only the number of voters while the results are hidden."""
    full = tally_out(activity)
    phone = phone_tally(full, hidden=activity.results_hidden)
    return publish(
        activity.workshop_id, VoteTallyEvent, phones=(VoteTallyEvent, {"tally": phone}), tally=full
    )


def _tally_soon(workshop_id: int, activity_id: int) -> None:
    pacing.publish_soon("tally", workshop_id, activity_id, publish_tally)


# Participants' votes ------------------------------------------------------------------
#
# A vote takes no workshop lock (it publishes no event of its own): it locks the voter's
# row, so one person's devices and retries queue, and holds a SHARE lock on the vote's
# activity, which closing it (an UPDATE of that row) must wait for. So voters proceed in
# parallel, and a vote racing the close either commits before the close reads the final
# tally or sees the vote closed.
#
# This is the hottest write path (a room spends its points in the same ten seconds), so
# it reads and writes with plain SQL: the ORM's query building cost more CPU than the
# database work itself (ADR 5).


@dataclass(frozen=True)
class Ballot:
    """What a vote command needs to know of its item, read in one query."""

    item_id: int
    activity_id: int
    votes_per_person: int
    max_per_item: int


VOTER_SQL = "SELECT 1 FROM participation_participant WHERE id = %s"
BALLOT_SQL = """
SELECT a.id, a.kind, a.state, a.votes_per_person, a.max_per_item, w.state, w.last_seq, c.status
FROM participation_voteitem i
JOIN ateliers_activity a ON a.id = i.activity_id
JOIN ateliers_workshop w ON w.id = a.workshop_id
LEFT JOIN participation_contribution c ON c.id = i.contribution_id
WHERE i.id = %s AND a.workshop_id = %s
"""


@functools.cache
def _statements() -> dict[str, str]:
    """The locking reads, with their row-lock clauses, or without on a database that has
    none (SQLite, for `make run`, where transactions are serialised anyway)."""
    locks = connection.features.has_select_for_update
    voter_lock = " FOR NO KEY UPDATE" if locks else ""
    ballot_lock = " FOR SHARE OF a" if locks else ""
    return {
        "voter": VOTER_SQL + voter_lock,
        "ballot": BALLOT_SQL + ballot_lock,
    }


BallotChange = Callable[[CursorWrapper, Ballot, list[int]], list[int]]


def _voter_command(
    participant: Participant, item_id: int, kind: str, request_id: str | None, change: BallotChange
) -> CommandResult:
    """The frame of every vote command: `change(cursor, ballot, my item ids)` returns the
    participant's item ids (one per point) after it; the ack carries their votes."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_statements()["voter"], [participant.pk])
        actor = participant_actor(participant)
        if done := find_receipt(participant.workshop_id, actor, request_id):
            return done
        cursor.execute(_statements()["ballot"], [item_id, participant.workshop_id])
        row = cursor.fetchone()
        if row is None or row[1] != kind:
            raise NotFound()
        activity_id, _kind, state, per_person, per_item, workshop_state, seq, note = row
        # The statement above may have waited for the SHARE lock behind a shortlist that
        # replaced the items; its snapshot predates that. Ask again, after the wait.
        cursor.execute("SELECT 1 FROM participation_voteitem WHERE id = %s", [item_id])
        if cursor.fetchone() is None:
            raise NotFound(_("La liste soumise au vote a changé : rechargez-la."))
        if workshop_state != WorkshopState.LIVE:
            raise WorkshopClosed() if workshop_state == WorkshopState.CLOSED else WorkshopNotLive()
        if state != ActivityState.OPEN:
            raise ActivityClosed(_("Le vote est clos."))
        if note is not None and note != ContributionStatus.VISIBLE:
            raise NotFound(_("Cet élément a été retiré du vote."))
        ballot = Ballot(item_id, activity_id, per_person, per_item)
        cursor.execute(
            "SELECT item_id FROM participation_vote WHERE activity_id = %s AND participant_id = %s",
            [activity_id, participant.pk],
        )
        mine = change(cursor, ballot, [r[0] for r in cursor.fetchall()])
        _tally_soon(participant.workshop_id, activity_id)
        ratings: dict[str, list[int]] = {}
        if kind == ActivityKind.RATING:
            cursor.execute(
                "SELECT item_id, x, y FROM participation_rating"
                " WHERE activity_id = %s AND participant_id = %s",
                [activity_id, participant.pk],
            )
            ratings = {str(i): [x, y] for i, x, y in cursor.fetchall()}
        result = {  # the shape of realtime.events.MyVotesOut, in JSON
            "activity_id": activity_id,
            "votes": {str(i): n for i, n in Counter(mine).items()},
            "left": per_person - len(mine),
            "ratings": ratings,
        }
        return remember(participant.workshop_id, actor, request_id, seq, result)


def vote_add(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Put one of the participant's points on an item."""

    def add(cursor: CursorWrapper, ballot: Ballot, mine: list[int]) -> list[int]:
        if len(mine) >= ballot.votes_per_person:
            raise VoteBudgetSpent()
        if mine.count(ballot.item_id) >= ballot.max_per_item:
            raise ItemVoteLimit(
                _("Vous avez déjà mis %(n)d point(s) sur cet élément, le maximum.")
                % {"n": ballot.max_per_item}
            )
        cursor.execute(
            "INSERT INTO participation_vote (activity_id, item_id, participant_id, created_at)"
            " VALUES (%s, %s, %s, %s)",
            [ballot.activity_id, ballot.item_id, participant.pk, timezone.now()],
        )
        return [*mine, ballot.item_id]

    return _voter_command(participant, item_id, ActivityKind.VOTE, request_id, add)


def vote_remove(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Take back one of the participant's points from an item, while the vote is open."""

    def remove(cursor: CursorWrapper, ballot: Ballot, mine: list[int]) -> list[int]:
        if ballot.item_id not in mine:
            raise InvalidTransition(_("Vous n'avez pas de point sur cet élément."))
        cursor.execute(
            "DELETE FROM participation_vote WHERE id = (SELECT id FROM participation_vote"
            " WHERE activity_id = %s AND participant_id = %s AND item_id = %s"
            " ORDER BY id DESC LIMIT 1)",
            [ballot.activity_id, participant.pk, ballot.item_id],
        )
        mine.remove(ballot.item_id)
        return mine

    return _voter_command(participant, item_id, ActivityKind.VOTE, request_id, remove)


def rating_set(
    *, participant: Participant, item_id: int, x: int, y: int, request_id: str | None = None
) -> CommandResult:
    """Place an item on the two axes (1–5 each); placing it again moves it."""
    if not (1 <= x <= 5 and 1 <= y <= 5):
        raise InvalidInput(_("Chaque note va de 1 à 5."))

    def rate(cursor: CursorWrapper, ballot: Ballot, mine: list[int]) -> list[int]:
        Rating.objects.update_or_create(
            item_id=ballot.item_id,
            participant=participant,
            defaults={"activity_id": ballot.activity_id, "x": x, "y": y},
        )
        return mine

    return _voter_command(participant, item_id, ActivityKind.RATING, request_id, rate)


def rating_clear(
    *, participant: Participant, item_id: int, request_id: str | None = None
) -> CommandResult:
    """Withdraw the participant's rating of an item."""

    def clear(cursor: CursorWrapper, ballot: Ballot, mine: list[int]) -> list[int]:
        deleted = Rating.objects.filter(item_id=ballot.item_id, participant=participant).delete()
        if not deleted[0]:
            raise InvalidTransition(_("Vous n'avez pas noté cet élément."))
        return mine

    return _voter_command(participant, item_id, ActivityKind.RATING, request_id, clear)
