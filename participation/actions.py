"""The only code that changes participants, their notes and their reactions.

Each action locks the workshop row (writers of one workshop queue there), checks the
rules, writes, and publishes its event in the same transaction (realtime.broadcast).
A note that phones may not see yet (a private activity) or any more (hidden by the
facilitator) reaches them redacted: they keep a gapless sequence and learn nothing.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.actions import lock_workshop, publish_workshop
from ateliers.errors import (
    ActivityClosed,
    InvalidInput,
    InvalidTransition,
    NotAuthor,
    NoteLimitReached,
    NotFound,
    ReactionsOff,
    WorkshopClosed,
    WorkshopNotLive,
)
from ateliers.models import Activity, ActivityKind, ActivityState, Workshop, WorkshopState
from ateliers.text import clean_text
from participation.devices import device_hash
from participation.models import Contribution, ContributionStatus, Participant, Profile, Reaction
from participation.pseudonyms import pseudonym_for
from participation.selectors import contribution_out, is_public, phone_shape
from realtime.broadcast import REDACTED, SAME, PhoneView, publish
from realtime.events import (
    ContributionCreatedEvent,
    ContributionRemovedEvent,
    ContributionUpdatedEvent,
)
from realtime.receipts import CommandResult, find_receipt, remember


def clean_body(body: str) -> str:
    """Trim, drop NUL (PostgreSQL refuses it in text) and enforce the length limit."""
    return clean_text(
        body,
        limit=settings.CONTRIBUTION_MAX_LENGTH,
        empty_message=_("Une contribution ne peut pas être vide."),
    )


def clean_column(activity: Activity, column: str) -> str:
    """A board with columns needs one of them; a board without takes none. A card of a
    journey map needs one of its stages."""
    keys = activity.column_keys()
    if activity.kind == ActivityKind.JOURNEY and column not in keys:
        raise InvalidInput(_("Choisissez une étape du parcours."))
    if not keys:
        if column:
            raise InvalidInput(_("Cette activité n'a pas de colonnes."))
        return ""
    if column not in keys:
        raise InvalidInput(_("Choisissez une colonne pour votre contribution."))
    return column


def clean_lane(activity: Activity, lane: str) -> str:
    """A card of a journey map goes in one of its lanes still taking cards; a note of a
    board has no lane."""
    if activity.kind != ActivityKind.JOURNEY:
        if lane:
            raise InvalidInput(_("Cette activité n'a pas de lignes."))
        return ""
    if lane not in activity.open_lane_keys():
        raise InvalidInput(_("Choisissez une ligne ouverte du parcours."))
    return lane


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
        participant, created = Participant.objects.update_or_create(
            workshop=workshop,
            device_hash=device_hash(device_token),
            defaults={
                "profile": profile,
                "display_name": display_name.strip(),
                "organisation": organisation.strip(),
                "territory": territory.strip(),
            },
        )
        if created:
            # Under the workshop lock: the count is this participant's arrival order.
            index = Participant.objects.filter(workshop=workshop).count() - 1
            participant.pseudonym = pseudonym_for(workshop.pk, index)
            participant.save(update_fields=["pseudonym"])
    return participant


# Publishing notes ------------------------------------------------------------------------


def publish_note(
    contribution: Contribution,
    activity: Activity,
    *,
    created: bool = False,
    was_public: bool = False,
) -> int:
    """Publish a note's new state: full to facilitators; to phones the note if it is
    public, its removal if it just stopped being public, else only the sequence."""
    shape = contribution_out(contribution, activity)
    event = ContributionCreatedEvent if created else ContributionUpdatedEvent
    phones: PhoneView
    if is_public(contribution, activity):
        shown = phone_shape(shape)
        phones = SAME if shown is shape else (event, {"contribution": shown})
    elif was_public:
        phones = (ContributionRemovedEvent, {"contribution_id": contribution.pk})
    else:
        phones = REDACTED
    return publish(activity.workshop_id, event, phones=phones, contribution=shape)


# Participants' commands -------------------------------------------------------------------


def participant_command(
    participant: Participant,
    request_id: str | None,
    change: Callable[[Workshop], tuple[int, dict[str, Any]]],
) -> CommandResult:
    """The frame of every participant command: lock the workshop, answer a retried
    request from its receipt, require a live workshop, apply `change`, keep the receipt."""
    with transaction.atomic():
        workshop = lock_workshop(participant.workshop_id)
        actor = participant_actor(participant)
        if done := find_receipt(workshop.pk, actor, request_id):
            return done
        if workshop.state != WorkshopState.LIVE:
            raise WorkshopClosed() if workshop.state == WorkshopState.CLOSED else WorkshopNotLive()
        seq, result = change(workshop)
        return remember(workshop.pk, actor, request_id, seq, result)


def _open_activity(workshop: Workshop, activity_id: int) -> Activity:
    found = list(
        Activity.objects.raw(
            "SELECT * FROM ateliers_activity WHERE id = %s AND workshop_id = %s",
            [activity_id, workshop.pk],
        )
    )
    if not found:
        raise NotFound()
    activity = found[0]
    if activity.kind not in (ActivityKind.IDEATION, ActivityKind.JOURNEY):
        raise InvalidInput(_("Cette activité ne reçoit pas de contributions écrites."))
    if activity.state != ActivityState.OPEN:
        raise ActivityClosed()
    return activity


def note_in(workshop: Workshop, contribution_id: int) -> Contribution:
    """One note of this workshop, with its activity and author (NotFound for any other)."""
    note = (
        Contribution.objects.select_related("activity", "participant")
        .filter(pk=contribution_id, activity__workshop=workshop)
        .first()
    )
    if note is None:
        raise NotFound()
    return note


def _own_note(participant: Participant, workshop: Workshop, contribution_id: int) -> Contribution:
    """The participant's note, on an activity still open to contributions."""
    note = note_in(workshop, contribution_id)
    if note.participant_id != participant.pk:
        raise NotAuthor()
    if note.status == ContributionStatus.HIDDEN:
        # Kept for the record with its reason: the facilitator decides what becomes of it.
        raise InvalidTransition(_("Cette contribution a été masquée par l'animation."))
    if note.activity.state != ActivityState.OPEN:
        raise ActivityClosed(_("Cette activité est fermée : la contribution ne peut plus changer."))
    return note


def _ack_note(seq: int, note: Contribution, activity: Activity) -> tuple[int, dict[str, Any]]:
    # The ack carries the note: the author's phone shows it even if the broadcast is
    # late, lost or redacted (a private activity).
    shape = phone_shape(contribution_out(note, activity))
    return seq, {"contribution_id": note.pk, "contribution": shape.model_dump(mode="json")}


def contribution_create(
    *,
    participant: Participant,
    activity_id: int,
    body: str,
    column: str = "",
    lane: str = "",
    request_id: str | None = None,
) -> CommandResult:
    """Post a note on an open board, or a card in a cell (stage `column`, row `lane`) of
    an open journey map, of the participant's own live workshop."""
    body = clean_body(body)

    def create(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        activity = _open_activity(workshop, activity_id)
        column_key, lane_key = clean_column(activity, column), clean_lane(activity, lane)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM participation_contribution"
                " WHERE activity_id = %s AND participant_id = %s",
                [activity.pk, participant.pk],
            )
            posted = cursor.fetchone()[0]
        if posted >= activity.max_notes:
            raise NoteLimitReached(
                _("Vous avez déjà envoyé %(n)d contributions, le maximum pour cette activité.")
                % {"n": activity.max_notes}
            )
        note = Contribution.objects.create(
            activity=activity, participant=participant, body=body, column=column_key, lane=lane_key
        )
        note.participant = participant
        return _ack_note(publish_note(note, activity, created=True), note, activity)

    return participant_command(participant, request_id, create)


def contribution_update(
    *,
    participant: Participant,
    contribution_id: int,
    body: str,
    column: str | None = None,
    lane: str | None = None,
    request_id: str | None = None,
) -> CommandResult:
    """The author rewrites their note (or moves it to another column, or a card to
    another cell) while the activity is open."""
    body = clean_body(body)

    def update(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        note = _own_note(participant, workshop, contribution_id)
        activity = note.activity
        was_public = is_public(note, activity)
        note.body = body
        if column is not None:
            note.column = clean_column(activity, column)
        if lane is not None:
            note.lane = clean_lane(activity, lane)
        note.edited_at = timezone.now()
        note.save(update_fields=["body", "column", "lane", "edited_at"])
        return _ack_note(publish_note(note, activity, was_public=was_public), note, activity)

    return participant_command(participant, request_id, update)


def contribution_withdraw(
    *, participant: Participant, contribution_id: int, request_id: str | None = None
) -> CommandResult:
    """The author takes their note back while the activity is open: it is deleted."""

    def withdraw(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        note = _own_note(participant, workshop, contribution_id)
        was_public = is_public(note, note.activity)
        if workshop.spotlight_id == note.pk:
            workshop.spotlight = None
            workshop.save(update_fields=["spotlight"])
            publish_workshop(workshop)
        note.delete()
        seq = publish(
            workshop.pk,
            ContributionRemovedEvent,
            phones=SAME if was_public else REDACTED,
            contribution_id=contribution_id,
        )
        return seq, {"contribution_id": contribution_id}

    return participant_command(participant, request_id, withdraw)


def reaction_set(
    *, participant: Participant, contribution_id: int, on: bool, request_id: str | None = None
) -> CommandResult:
    """Add (`on`) or take back a +1 on someone else's visible note, where the facilitator
    allows reactions. Setting what is already set changes nothing."""

    def react(workshop: Workshop) -> tuple[int, dict[str, Any]]:
        note = note_in(workshop, contribution_id)
        if not is_public(note, note.activity):
            raise NotFound()
        if not note.activity.reactions:
            raise ReactionsOff()
        if note.participant_id == participant.pk:
            raise InvalidInput(_("Vous ne pouvez pas réagir à votre propre contribution."))
        if on:
            changed = Reaction.objects.get_or_create(contribution=note, participant=participant)[1]
        else:
            changed = bool(
                Reaction.objects.filter(contribution=note, participant=participant).delete()[0]
            )
        if not changed:
            return workshop.last_seq, {"contribution_id": note.pk, "on": on}
        Contribution.objects.filter(pk=note.pk).update(
            reaction_count=F("reaction_count") + (1 if on else -1)
        )
        note.refresh_from_db(fields=["reaction_count"])
        seq = publish_note(note, note.activity, was_public=True)
        return seq, {"contribution_id": note.pk, "on": on}

    return participant_command(participant, request_id, react)
