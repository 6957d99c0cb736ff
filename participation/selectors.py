"""Read-side shapes for participation: one builder per shape, used by snapshots and events."""

from participation.devices import device_hash
from participation.models import Contribution, Participant
from realtime.events import ContributionOut, MeOut


def contribution_out(contribution: Contribution) -> ContributionOut:
    participant = contribution.participant
    return ContributionOut(
        id=contribution.pk,
        activity_id=contribution.activity_id,
        body=contribution.body,
        author=(participant.display_name or None) if participant else None,
        created_at=contribution.created_at,
    )


def me_out(participant: Participant) -> MeOut:
    return MeOut(
        participant_id=participant.pk,
        display_name=participant.display_name,
        profile=participant.profile,
        contribution_ids=list(participant.contributions.values_list("pk", flat=True)),
    )


def participant_for_device(workshop_id: int, device_token: str | None) -> Participant | None:
    """This device's participant in the workshop, if it has joined it."""
    if not device_token:
        return None
    return Participant.objects.filter(
        workshop_id=workshop_id, device_hash=device_hash(device_token)
    ).first()
