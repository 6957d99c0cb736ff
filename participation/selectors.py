"""Read-side shapes for participation: one builder per shape, used by snapshots and events."""

from ateliers.models import Activity, Identity
from participation.devices import device_hash
from participation.models import (
    Cluster,
    Contribution,
    ContributionStatus,
    Participant,
    Reaction,
    StageFeeling,
)
from participation.tallies import my_votes_out
from realtime.events import ClusterOut, ContributionOut, MeOut, MyFeelingsOut


def author_of(contribution: Contribution, activity: Activity) -> str | None:
    """The signature the activity's identity mode allows: none, a pseudonym, or the name
    the participant gave (their pseudonym if they gave none)."""
    participant = contribution.participant
    if participant is None or activity.identity == Identity.ANONYMOUS:
        return None
    if activity.identity == Identity.NAMED and participant.display_name:
        return participant.display_name
    return participant.pseudonym or None


def contribution_out(
    contribution: Contribution, activity: Activity | None = None
) -> ContributionOut:
    activity = activity or contribution.activity
    return ContributionOut(
        id=contribution.pk,
        activity_id=contribution.activity_id,
        body=contribution.body,
        author=author_of(contribution, activity),
        column=contribution.column,
        lane=contribution.lane,
        cluster_id=contribution.cluster_id,
        status=contribution.status,  # type: ignore[arg-type]
        hidden_reason=contribution.hidden_reason,
        reactions=contribution.reaction_count,
        edited=contribution.edited_at is not None,
        created_at=contribution.created_at,
    )


def phone_shape(shape: ContributionOut) -> ContributionOut:
    """What phones see of a visible note: no moderation history."""
    return shape.model_copy(update={"hidden_reason": ""}) if shape.hidden_reason else shape


def cluster_out(cluster: Cluster) -> ClusterOut:
    return ClusterOut(
        id=cluster.pk,
        activity_id=cluster.activity_id,
        title=cluster.title,
        position=cluster.position,
    )


def is_public(contribution: Contribution, activity: Activity) -> bool:
    """May every phone of the workshop see this note?"""
    return contribution.status == ContributionStatus.VISIBLE and not activity.is_hidden_from_phones


def me_out(
    participant: Participant,
    votes: list[Activity] | None = None,
    journeys: list[Activity] | None = None,
) -> MeOut:
    """`votes`: the workshop's vote and rating activities, for the participant's own
    votes; `journeys`: its journey maps, for their own ratings of the stages."""
    own = participant.contributions.select_related("activity", "participant").order_by(
        "created_at", "pk"
    )
    return MeOut(
        participant_id=participant.pk,
        display_name=participant.display_name,
        pseudonym=participant.pseudonym,
        profile=participant.profile,
        contributions=[phone_shape(contribution_out(c)) for c in own],
        reacted_ids=list(
            Reaction.objects.filter(participant=participant).values_list(
                "contribution_id", flat=True
            )
        ),
        votes=[my_votes_out(activity, participant) for activity in votes or []],
        feelings=my_feelings(participant, journeys or []),
    )


def my_feelings(participant: Participant, journeys: list[Activity]) -> list[MyFeelingsOut]:
    stages: dict[int, dict[str, int]] = {journey.pk: {} for journey in journeys}
    for activity_id, stage, value in StageFeeling.objects.filter(
        participant=participant, activity__in=journeys
    ).values_list("activity_id", "stage", "value"):
        stages[activity_id][stage] = value
    return [MyFeelingsOut(activity_id=pk, stages=values) for pk, values in stages.items()]


def participant_for_device(workshop_id: int, device_token: str | None) -> Participant | None:
    """This device's participant in the workshop, if it has joined it."""
    if not device_token:
        return None
    return Participant.objects.filter(
        workshop_id=workshop_id, device_hash=device_hash(device_token)
    ).first()
