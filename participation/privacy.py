"""Participants' personal data: what is kept, for how long, and how it goes (docs/privacy.md).

- `participant_reference`: a short, unguessable code a person reads on their phone and
  quotes to the project lead to have their data exported or erased.
- `participant_data`: everything stored about one participant, as JSON-ready data.
- `participant_erase`: the person's notes, cards, +1s, votes, ratings, stage ratings and
  their participant row deleted in one transaction, with the events screens need.
- `anonymise_workshop`: once a closed workshop is past its retention period, names,
  pseudonyms, organisations, territories and device digests are cleared; the
  organisation and territory head counts are frozen first so the evidence figures stay
  what they were (ateliers.evidence reads them).
"""

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ateliers.actions import lock_workshop, publish_workshop
from ateliers.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from ateliers.evidence import _iso, frozen_groups_of
from ateliers.models import (
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    Activity,
    ActivityKind,
    Workshop,
    WorkshopState,
)
from ateliers.permissions import can_facilitate, can_view_challenge
from participation.actions import publish_note
from participation.journeys import publish_curve
from participation.models import (
    Contribution,
    Erasure,
    ErasureSource,
    Participant,
    Profile,
    Rating,
    Reaction,
    StageFeeling,
    Vote,
    VoteItem,
)
from participation.selectors import is_public
from participation.voting import publish_items, publish_tally
from realtime.broadcast import REDACTED, SAME, publish
from realtime.events import ContributionRemovedEvent, RedactedEvent
from realtime.models import CommandReceipt, Connection, WorkshopEvent

# Crockford's base 32 without I, L, O, U: read aloud or typed on a phone without doubt.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Note events whose text (and author) is replaced in the event log when its note is erased.
_NOTE_EVENTS = ("contribution.created", "contribution.updated")


# The participant's reference -------------------------------------------------------------


def participant_reference(participant: Participant) -> str:
    """ "P-7KQ2-M9": 30 bits of an HMAC of the participant's row and device digest under
    the server's secret, so it can be neither guessed from a row id nor forged; the
    project lead finds the person by it without asking for their name."""
    key = f"cocon.participation.reference:{settings.SECRET_KEY}".encode()
    message = f"{participant.pk}:{participant.device_hash}".encode()
    number = int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:4], "big") >> 2
    chars = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in range(6))
    return f"P-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """What a person dictates ("p 7kq2m9", "P-7KQ2-M9") in the stored form."""
    plain = "".join(c for c in text.upper() if c.isalnum())
    plain = plain.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if plain.startswith("P"):
        plain = plain[1:]
    return f"P-{plain[:4]}-{plain[4:]}" if len(plain) == 6 else ""


# Retention ------------------------------------------------------------------------------


def retention_label(days: int) -> str:
    """ "12 mois", "2 ans", "90 jours": the retention period as the join notice says it."""
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    if days % 30 == 0:
        return _("%(n)d mois") % {"n": days // 30}
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}


def workshops_due(now: datetime | None = None) -> list[Workshop]:
    """Closed workshops past their retention period, not anonymised yet (a few hundred
    rows at most: compared in Python, the same on every database)."""
    now = now or timezone.now()
    closed = Workshop.objects.filter(
        state=WorkshopState.CLOSED, anonymised_at__isnull=True, closed_at__isnull=False
    ).order_by("closed_at", "pk")
    return [w for w in closed if w.personal_data_erased_after <= now]


def open_workshops_past_retention(now: datetime | None = None) -> list[Workshop]:
    """Workshops never closed, created longer ago than their retention period:
    anonymising them would cut off phones still in them, so the command only warns."""
    now = now or timezone.now()
    still_open = Workshop.objects.exclude(state=WorkshopState.CLOSED).filter(
        anonymised_at__isnull=True
    )
    return [
        w
        for w in still_open.order_by("created_at", "pk")
        if w.created_at + timedelta(days=w.personal_data_retention_days) <= now
    ]


def _unusable_device_hash() -> str:
    """64 characters no device token hashes to (a SHA-256 digest is lowercase hex), unique
    per row so the one-participant-per-device constraint still holds."""
    return "-" + secrets.token_hex(31)


def workshop_set_retention(*, user: AbstractBaseUser, workshop_id: int, days: int) -> Workshop:
    """Whoever runs the workshop sets how long its personal data is kept after closing
    (within MIN/MAX_RETENTION_DAYS); not once it has been anonymised."""
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise InvalidInput(
            _("Choisissez une durée entre %(min)d et %(max)d jours.")
            % {"min": MIN_RETENTION_DAYS, "max": MAX_RETENTION_DAYS}
        )
    with transaction.atomic():
        workshop = lock_workshop(workshop_id)
        if not can_facilitate(user, workshop):
            raise Forbidden() if can_view_challenge(user, workshop.challenge) else NotFound()
        if workshop.anonymised_at is not None:
            raise InvalidTransition(_("Les données de cet atelier ont déjà été anonymisées."))
        workshop.personal_data_retention_days = days
        workshop.save(update_fields=["personal_data_retention_days"])
    return workshop


# Anonymisation --------------------------------------------------------------------------


def anonymise_workshop(workshop: Workshop, now: datetime | None = None) -> dict[str, int] | None:
    """Clear the personal fields of a workshop's participants, once. Returns what was
    cleared, or None if it already was. The organisation and territory head counts are
    frozen first (`Workshop.frozen_groups`), so every evidence figure is unchanged; the
    event log, command receipts and open-connection rows (which repeat names and texts
    for reconnecting screens) are deleted. Profiles, notes, votes and ratings stay: they
    identify no one once the names are gone, and the evidence counts them."""
    with transaction.atomic():
        workshop = lock_workshop(workshop.pk)
        if workshop.anonymised_at is not None:
            return None
        groups = frozen_groups_of(workshop.pk)
        participants = list(Participant.objects.filter(workshop=workshop))
        for participant in participants:
            participant.display_name = participant.pseudonym = ""
            participant.organisation = participant.territory = ""
            participant.device_hash = _unusable_device_hash()
        Participant.objects.bulk_update(
            participants,
            ["display_name", "pseudonym", "organisation", "territory", "device_hash"],
            batch_size=500,
        )
        events = WorkshopEvent.objects.filter(workshop=workshop).delete()[0]
        receipts = CommandReceipt.objects.filter(workshop=workshop).delete()[0]
        Connection.objects.filter(workshop=workshop).delete()
        Workshop.objects.filter(pk=workshop.pk).update(
            anonymised_at=now or timezone.now(), frozen_groups=groups
        )
    return {"participants": len(participants), "events": events, "receipts": receipts}


# What is stored about a person ---------------------------------------------------------


def _label(options: list[dict[str, Any]], key: str) -> str:
    return next((o.get("label", key) for o in options if o.get("key") == key), key)


def participant_summary(participant: Participant) -> dict[str, Any]:
    """What the phone's "Mes données" page lists: the profile and how many rows of each
    kind are theirs."""
    return {
        "reference": participant_reference(participant),
        "display_name": participant.display_name,
        "pseudonym": participant.pseudonym,
        "profile": participant.get_profile_display(),
        "profile_given": participant.profile != Profile.UNSPECIFIED,
        "organisation": participant.organisation,
        "territory": participant.territory,
        "joined_at": participant.joined_at,
        "contributions": Contribution.objects.filter(participant=participant).count(),
        "reactions": Reaction.objects.filter(participant=participant).count(),
        "votes": Vote.objects.filter(participant=participant).count(),
        "ratings": Rating.objects.filter(participant=participant).count(),
        "feelings": StageFeeling.objects.filter(participant=participant).count(),
    }


def participant_data(participant: Participant) -> dict[str, Any]:
    """Everything stored about one participant, JSON-ready: the export a person gets on
    their phone or through the project lead (right of access and portability)."""
    workshop = participant.workshop
    notes = Contribution.objects.filter(participant=participant).select_related("activity")
    return {
        "schema": "cocon.participant-data/1",
        "reference": participant_reference(participant),
        "exported_at": _iso(timezone.now()),
        "workshop": {
            "id": workshop.pk,
            "title": workshop.title,
            "challenge": workshop.challenge.title,
            "personal_data_retention_days": workshop.personal_data_retention_days,
            "personal_data_erased_after": _iso(workshop.personal_data_erased_after),
        },
        "participant": {
            "display_name": participant.display_name,
            "pseudonym": participant.pseudonym,
            "profile": participant.profile,
            "profile_label": participant.get_profile_display(),
            "organisation": participant.organisation,
            "territory": participant.territory,
            "joined_at": _iso(participant.joined_at),
        },
        "contributions": [
            {
                "id": note.pk,
                "activity": note.activity.title,
                "kind": note.activity.kind,
                "body": note.body,
                "column": _label(note.activity.columns, note.column) if note.column else "",
                "lane": _label(note.activity.lanes, note.lane) if note.lane else "",
                "status": note.status,
                "reactions": note.reaction_count,
                "created_at": _iso(note.created_at),
                "edited_at": _iso(note.edited_at),
            }
            for note in notes.order_by("created_at", "pk")
        ],
        "reactions": [
            {"contribution_id": r.contribution_id, "created_at": _iso(r.created_at)}
            for r in Reaction.objects.filter(participant=participant).order_by("pk")
        ],
        "votes": [
            {
                "activity": v.activity.title,
                "item": v.item.label,
                "created_at": _iso(v.created_at),
            }
            for v in Vote.objects.filter(participant=participant)
            .select_related("activity", "item")
            .order_by("pk")
        ],
        "ratings": [
            {
                "activity": r.activity.title,
                "item": r.item.label,
                "axes": {r.activity.axis_x: r.x, r.activity.axis_y: r.y},
                "updated_at": _iso(r.updated_at),
            }
            for r in Rating.objects.filter(participant=participant)
            .select_related("activity", "item")
            .order_by("pk")
        ],
        "stage_feelings": [
            {
                "activity": f.activity.title,
                "stage": _label(f.activity.columns, f.stage),
                "value": f.value,
                "updated_at": _iso(f.updated_at),
            }
            for f in StageFeeling.objects.filter(participant=participant)
            .select_related("activity")
            .order_by("pk")
        ],
    }


# Erasure --------------------------------------------------------------------------------


def _scrub_note_events(workshop_id: int, note_ids: set[int]) -> int:
    """Replace the logged events that carried an erased note (its text, its author) by
    their redacted form, same sequence: a screen replaying the log still has no gap."""
    scrubbed = 0
    rows = WorkshopEvent.objects.filter(workshop_id=workshop_id, type__in=_NOTE_EVENTS)
    for pk, seq, payload in rows.values_list("pk", "seq", "payload").iterator():
        if json.loads(payload).get("contribution", {}).get("id") in note_ids:
            text = RedactedEvent(seq=seq).model_dump_json()
            WorkshopEvent.objects.filter(pk=pk).update(payload=text, phone_payload=None)
            scrubbed += 1
    return scrubbed


def erased_item_label() -> str:
    return _("Contribution effacée à la demande de son auteur·e")


def participant_erase(
    *, participant: Participant, by: AbstractBaseUser | None = None
) -> dict[str, int]:
    """Delete a participant and everything they gave: notes and cards (with the
    decisions recorded on them), +1s, votes, ratings, stage ratings, command receipts.
    Screens are told at once: each public note removed, the notes they +1'd recounted,
    tallies, curves and vote items republished. A vote item copied from an erased note
    loses its text (others' votes on it stay). Evidence already attached is an
    immutable, anonymous snapshot and is kept. `by`: the project lead acting on a
    request (None: the person, from their phone). Returns how many rows went."""
    with transaction.atomic():
        workshop = lock_workshop(participant.workshop_id)
        if workshop.anonymised_at is not None:
            raise InvalidTransition(
                _(
                    "Les données de cet atelier ont déjà été anonymisées : plus rien ne relie "
                    "une contribution à une personne."
                )
            )
        found = Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if found is None:  # erased a moment ago (a double submit, the lead and the phone)
            raise NotFound(_("Ces données ont déjà été effacées."))
        participant = found
        reference = participant_reference(participant)
        notes = list(
            Contribution.objects.filter(participant=participant).select_related("activity")
        )
        note_ids = {n.pk for n in notes}
        vote_activities = set(
            Vote.objects.filter(participant=participant).values_list("activity_id", flat=True)
        ) | set(
            Rating.objects.filter(participant=participant).values_list("activity_id", flat=True)
        )
        journeys = set(
            StageFeeling.objects.filter(participant=participant).values_list(
                "activity_id", flat=True
            )
        )
        items = VoteItem.objects.filter(contribution_id__in=note_ids)
        item_activities = set(items.values_list("activity_id", flat=True))
        items.update(label=erased_item_label())
        reacted = list(
            Reaction.objects.filter(participant=participant).values_list(
                "contribution_id", flat=True
            )
        )
        counts = {
            "contributions": len(notes),
            "reactions": len(reacted),
            "votes": Vote.objects.filter(participant=participant).delete()[0],
            "ratings": Rating.objects.filter(participant=participant).delete()[0],
            "feelings": StageFeeling.objects.filter(participant=participant).delete()[0],
        }
        Reaction.objects.filter(participant=participant).delete()
        Contribution.objects.filter(pk__in=reacted).exclude(pk__in=note_ids).update(
            reaction_count=F("reaction_count") - 1
        )
        if workshop.spotlight_id in note_ids:
            workshop.spotlight = None
            Workshop.objects.filter(pk=workshop.pk).update(spotlight=None)
            publish_workshop(workshop)
        public = {n.pk for n in notes if is_public(n, n.activity)}
        Contribution.objects.filter(pk__in=note_ids).delete()
        CommandReceipt.objects.filter(workshop=workshop, actor=f"p{participant.pk}").delete()
        participant.delete()
        _scrub_note_events(workshop.pk, note_ids)
        for note_id in sorted(note_ids):
            publish(
                workshop.pk,
                ContributionRemovedEvent,
                phones=SAME if note_id in public else REDACTED,
                contribution_id=note_id,
            )
        for note in Contribution.objects.filter(pk__in=reacted).select_related("activity"):
            publish_note(note, note.activity, was_public=is_public(note, note.activity))
        by_pk = Activity.objects.in_bulk(vote_activities | item_activities | journeys)
        for pk in sorted(item_activities):
            publish_items(by_pk[pk])
        for pk in sorted(vote_activities | item_activities):
            publish_tally(by_pk[pk])
        for pk in sorted(journeys):
            if by_pk[pk].kind == ActivityKind.JOURNEY:
                publish_curve(by_pk[pk])
        Erasure.objects.create(
            workshop=workshop,
            reference=reference,
            source=ErasureSource.PARTICIPANT if by is None else ErasureSource.LEAD,
            erased_by=by,
            erased_at=timezone.now(),
            counts=counts,
        )
    return counts
