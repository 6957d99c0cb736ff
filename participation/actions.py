"""The only code that changes participants and their contributions."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ateliers.actions import lock_workshop
from ateliers.errors import (
    ActivityClosed,
    InvalidInput,
    NotFound,
    WorkshopClosed,
    WorkshopNotLive,
)
from ateliers.models import Activity, ActivityState, Workshop, WorkshopState
from participation.devices import device_hash
from participation.models import Contribution, Participant, Profile
from participation.selectors import contribution_out
from realtime.broadcast import publish
from realtime.events import ContributionCreatedEvent
from realtime.receipts import CommandResult, find_receipt, remember


def clean_body(body: str) -> str:
    """Trim, drop NUL (PostgreSQL refuses it in text) and enforce the length limit."""
    body = body.replace("\x00", "").strip()
    if not body:
        raise InvalidInput(_("Une contribution ne peut pas être vide."))
    if len(body) > settings.CONTRIBUTION_MAX_LENGTH:
        raise InvalidInput(
            _("Une contribution fait au plus %(n)d caractères.")
            % {"n": settings.CONTRIBUTION_MAX_LENGTH}
        )
    return body


def participant_actor(participant: Participant) -> str:
    return f"p{participant.pk}"


def participant_join(
    *,
    workshop: Workshop,
    device_token: str,
    profile: Profile | str,
    display_name: str = "",
    organisation: str = "",
    territory: str = "",
) -> Participant:
    """Join (or re-join, updating the profile) a workshop that is not closed."""
    with transaction.atomic():
        workshop = lock_workshop(workshop.pk)
        if workshop.state == WorkshopState.CLOSED:
            raise WorkshopClosed()
        participant, _created = Participant.objects.update_or_create(
            workshop=workshop,
            device_hash=device_hash(device_token),
            defaults={
                "profile": profile,
                "display_name": display_name.strip(),
                "organisation": organisation.strip(),
                "territory": territory.strip(),
            },
        )
    return participant


def contribution_create(
    *, participant: Participant, activity_id: int, body: str, request_id: str | None = None
) -> CommandResult:
    """Post a note on an open activity of the participant's own live workshop."""
    body = clean_body(body)
    with transaction.atomic():
        workshop = lock_workshop(participant.workshop_id)
        actor = participant_actor(participant)
        if done := find_receipt(workshop.pk, actor, request_id):
            return done
        activity = Activity.objects.filter(pk=activity_id, workshop=workshop).first()
        if activity is None:
            raise NotFound()
        if workshop.state != WorkshopState.LIVE:
            raise WorkshopNotLive()
        if activity.state != ActivityState.OPEN:
            raise ActivityClosed()
        contribution = Contribution.objects.create(
            activity=activity, participant=participant, body=body
        )
        shape = contribution_out(contribution)
        seq = publish(workshop.pk, ContributionCreatedEvent, contribution=shape)
        # The ack carries the note itself: the author's phone shows it even if the
        # broadcast is late or lost.
        return remember(
            workshop.pk,
            actor,
            request_id,
            seq,
            {"contribution_id": contribution.pk, "contribution": shape.model_dump(mode="json")},
        )
