"""Reading a vote's results: dots counted per item and per profile, ratings summarised
by mean and spread. Every figure is computed from the rows (Vote, Rating), never kept
as a running counter, so a tally always equals what is stored."""

from collections import defaultdict
from statistics import fmean, pstdev

from django.db.models import Count, QuerySet

from ateliers.models import Activity, ActivityKind, ActivityState
from participation.disclosure import protect_counts
from participation.models import ContributionStatus, Participant, Rating, Vote, VoteItem
from realtime.events import ItemTallyOut, MyVotesOut, ProfileTallyOut, TallyOut, VoteItemOut


def live_items(items: "QuerySet[VoteItem]") -> "QuerySet[VoteItem]":
    """The items still put to the room: not those whose note the facilitator hid."""
    return items.exclude(contribution__status=ContributionStatus.HIDDEN)


def vote_item_out(item: VoteItem) -> VoteItemOut:
    return VoteItemOut(
        id=item.pk,
        activity_id=item.activity_id,
        label=item.label,
        contribution_id=item.contribution_id,
        cluster_id=item.cluster_id,
        position=item.position,
    )


def _dots(activity: Activity) -> tuple[list[ItemTallyOut], dict[str, ProfileTallyOut], int]:
    rows = (
        Vote.objects.filter(activity=activity)
        .values_list("item_id", "participant__profile")
        .annotate(n=Count("id"))
    )
    per_item: dict[int, int] = defaultdict(int)
    per_profile: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for item_id, profile, n in rows:
        per_item[item_id] += n
        per_profile[profile][item_id] += n
    voters_by_profile = dict(
        Vote.objects.filter(activity=activity)
        .values_list("participant__profile")
        .annotate(v=Count("participant", distinct=True))
    )
    shown = protect_counts(voters_by_profile)
    by_profile = {
        profile: ProfileTallyOut(
            voters=value,
            items=dict(per_profile[profile]) if isinstance(value, int) else None,
        )
        for profile, value in shown.items()
    }
    item_ids = activity.vote_items.values_list("pk", flat=True)
    items = [ItemTallyOut(item_id=i, count=per_item.get(i, 0)) for i in item_ids]
    return items, by_profile, sum(voters_by_profile.values())


def _ratings(activity: Activity) -> tuple[list[ItemTallyOut], int]:
    positions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    raters = set()
    for item_id, participant_id, x, y in Rating.objects.filter(activity=activity).values_list(
        "item_id", "participant_id", "x", "y"
    ):
        positions[item_id].append((x, y))
        raters.add(participant_id)
    items = []
    for item_id in activity.vote_items.values_list("pk", flat=True):
        points = positions.get(item_id, [])
        if not points:
            items.append(ItemTallyOut(item_id=item_id, n=0))
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        items.append(
            ItemTallyOut(
                item_id=item_id,
                n=len(points),
                x_mean=round(fmean(xs), 3),
                y_mean=round(fmean(ys), 3),
                x_sd=round(pstdev(xs), 3),
                y_sd=round(pstdev(ys), 3),
            )
        )
    return items, len(raters)


def tally_out(activity: Activity, *, for_phone: bool = False) -> TallyOut:
    """The results of a vote or rating activity; a phone's view of them (phone_tally)."""
    final = activity.state == ActivityState.CLOSED
    if activity.kind == ActivityKind.RATING:
        items, voters = _ratings(activity)
        by_profile = None
    else:
        items, by_profile, voters = _dots(activity)
    full = TallyOut(
        activity_id=activity.pk, voters=voters, final=final, items=items, by_profile=by_profile
    )
    return phone_tally(full, hidden=activity.results_hidden) if for_phone else full


def phone_tally(full: TallyOut, *, hidden: bool) -> TallyOut:
    """What phones see of results: never the split by profile (a big-screen view, and
    smaller messages to a thousand phones), and only the number of voters while hidden."""
    return full.model_copy(update={"by_profile": None, **({"items": None} if hidden else {})})


def my_votes_out(activity: Activity, participant: Participant) -> MyVotesOut:
    votes = dict(
        Vote.objects.filter(activity=activity, participant=participant)
        .values_list("item_id")
        .annotate(n=Count("id"))
    )
    ratings = {
        item_id: (x, y)
        for item_id, x, y in Rating.objects.filter(
            activity=activity, participant=participant
        ).values_list("item_id", "x", "y")
    }
    return MyVotesOut(
        activity_id=activity.pk,
        votes=votes,
        left=activity.votes_per_person - sum(votes.values()),
        ratings=ratings,
    )
