"""The agenda: ready-made templates, and editing activities before and during a workshop.

Edits are facilitator commands (ateliers.actions.facilitator_command) and publish
`activity.updated` / `activity.removed`, so a screen or phone already open follows an
agenda changed mid-session. Two settings are frozen once an activity has notes: its
identity mode (signing notes that were written anonymously would betray their authors)
and private mode (notes already shown cannot be taken back from the room).
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max
from django.utils.translation import gettext as _

from ateliers.actions import activity_of, facilitator_command, publish_activity
from ateliers.agenda_templates import check_settings, clean_columns
from ateliers.errors import InvalidInput, InvalidTransition, NotFound
from ateliers.models import (
    MAX_VOTES_PER_PERSON,
    VOTING_KINDS,
    Activity,
    ActivityKind,
    ActivityState,
    Identity,
    VoteTarget,
    Workshop,
)
from ateliers.text import clean_text
from realtime.broadcast import publish
from realtime.events import ActivityRemovedEvent
from realtime.receipts import CommandResult

# The activity title column's length (Activity.title).
ACTIVITY_TITLE_MAX = 200


def clean_title(title: str) -> str:
    return clean_text(
        title, limit=ACTIVITY_TITLE_MAX, empty_message=_("Donnez un titre à l'activité.")
    )


def append_activity(workshop: Workshop, **fields: Any) -> tuple[int, dict[str, int]]:
    """A new activity at the end of the agenda, published; its id for the ack."""
    last = workshop.activities.aggregate(last=Max("position"))["last"] or 0
    activity = Activity.objects.create(workshop=workshop, position=last + 1, **fields)
    return publish_activity(activity), {"activity_id": activity.pk}


def activity_add(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    title: str,
    prompt: str = "",
    columns: list[str] | None = None,
    identity: str = Identity.ANONYMOUS,
    private: bool = False,
    reactions: bool = False,
    max_notes: int = 10,
    request_id: str | None = None,
) -> CommandResult:
    """Append an ideation board to the agenda."""
    check_settings(identity, max_notes)
    title = clean_title(title)

    def add(workshop: Workshop) -> tuple[int, dict[str, int]]:
        return append_activity(
            workshop,
            kind=ActivityKind.IDEATION,
            title=title,
            prompt=prompt.strip()[:300],
            columns=clean_columns(columns or [], []),
            identity=identity,
            private=private,
            reactions=reactions,
            max_notes=max_notes,
        )

    return facilitator_command(user, workshop_id, request_id, add)


def activity_update(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    activity_id: int,
    title: str,
    prompt: str,
    columns: list[str],
    identity: str,
    private: bool,
    reactions: bool,
    max_notes: int,
    request_id: str | None = None,
) -> CommandResult:
    """Change an activity's wording and settings, before or during the workshop."""
    check_settings(identity, max_notes)
    title = clean_title(title)

    def update(workshop: Workshop) -> int:
        activity = activity_of(workshop, activity_id)
        if activity.is_voting:
            raise InvalidInput(_("Cette activité est un vote : modifiez-la comme un vote."))
        if activity.contributions.exists():
            if identity != activity.identity:
                raise InvalidTransition(
                    _("Des contributions ont déjà été envoyées : leur signature ne change plus.")
                )
            if private != activity.private:
                raise InvalidTransition(
                    _("Des contributions ont déjà été envoyées : le mode privé ne change plus.")
                )
        new_columns = clean_columns(columns, activity.columns)
        dropped = activity.column_keys() - {c["key"] for c in new_columns}
        if dropped and activity.contributions.filter(column__in=dropped).exists():
            raise InvalidTransition(
                _("Une colonne qui contient des contributions ne peut pas être supprimée.")
            )
        activity.title, activity.prompt = title, prompt.strip()[:300]
        activity.columns, activity.identity, activity.private = new_columns, identity, private
        activity.reactions, activity.max_notes = reactions, max_notes
        activity.save()
        return publish_activity(activity)

    return facilitator_command(user, workshop_id, request_id, update)


def activity_move(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    activity_id: int,
    offset: int,
    request_id: str | None = None,
) -> CommandResult:
    """Swap an activity with its neighbour before (-1) or after (+1) it."""

    def move(workshop: Workshop) -> int:
        agenda = list(workshop.activities.order_by("position"))
        ids = [a.pk for a in agenda]
        if activity_id not in ids:
            raise NotFound()
        here = ids.index(activity_id)
        there = here + (1 if offset > 0 else -1)
        if not 0 <= there < len(agenda):
            raise InvalidTransition(_("L'activité est déjà à ce bout de l'agenda."))
        a, b = agenda[here], agenda[there]
        a_position, b_position = a.position, b.position
        # Through a free position: (workshop, position) is unique at every statement.
        a.position = 0
        a.save(update_fields=["position"])
        b.position = a_position
        b.save(update_fields=["position"])
        a.position = b_position
        a.save(update_fields=["position"])
        publish_activity(b)
        return publish_activity(a)

    return facilitator_command(user, workshop_id, request_id, move)


def activity_delete(
    *, user: AbstractBaseUser, workshop_id: int, activity_id: int, request_id: str | None = None
) -> CommandResult:
    """Remove an activity that nobody has written in and that is not on screen."""

    def delete(workshop: Workshop) -> int:
        activity = activity_of(workshop, activity_id)
        if workshop.current_activity_id == activity.pk:
            raise InvalidTransition(_("C'est l'activité en cours : passez d'abord à une autre."))
        if (
            activity.contributions.exists()
            or activity.vote_items.filter(votes__isnull=False).exists()
            or activity.vote_items.filter(ratings__isnull=False).exists()
        ):
            raise InvalidTransition(_("Cette activité a des contributions : elle est conservée."))
        activity.delete()
        return publish(workshop.pk, ActivityRemovedEvent, activity_id=activity_id)

    return facilitator_command(user, workshop_id, request_id, delete)


# Votes and ratings ----------------------------------------------------------------------------


def _vote_fields(
    workshop: Workshop,
    *,
    kind: str,
    source_id: int | None,
    vote_target: str,
    votes_per_person: int,
    max_per_item: int,
    axis_x: str,
    axis_y: str,
) -> dict[str, Any]:
    """Check a vote's settings against the rules; return the model fields to set."""
    if kind not in VOTING_KINDS:
        raise InvalidInput(_("Type de vote inconnu."))
    if vote_target not in VoteTarget.values:
        raise InvalidInput(_("Choisissez ce qui est soumis au vote."))
    if not 1 <= votes_per_person <= MAX_VOTES_PER_PERSON:
        raise InvalidInput(_("Entre 1 et %(n)d points par personne.") % {"n": MAX_VOTES_PER_PERSON})
    if not 1 <= max_per_item <= votes_per_person:
        raise InvalidInput(
            _("Les points sur un même élément vont de 1 au nombre de points par personne.")
        )
    source = None
    if source_id is not None:
        source = Activity.objects.filter(
            pk=source_id,
            workshop=workshop,
            kind__in=(ActivityKind.IDEATION, ActivityKind.JOURNEY),
        ).first()
        if source is None:
            raise InvalidInput(
                _("Les éléments doivent venir d'un tableau ou d'un parcours de cet atelier.")
            )
        if source.kind == ActivityKind.JOURNEY and vote_target != VoteTarget.NOTES:
            raise InvalidInput(_("Sur un parcours, le vote porte sur les irritants."))
    axis_x, axis_y = axis_x.strip()[:40], axis_y.strip()[:40]
    if kind == ActivityKind.RATING and not (axis_x and axis_y):
        raise InvalidInput(_("Nommez les deux axes de la notation."))
    return {
        "kind": kind,
        "source": source,
        "vote_target": vote_target,
        "votes_per_person": votes_per_person,
        "max_per_item": max_per_item,
        "axis_x": axis_x or "Impact",
        "axis_y": axis_y or "Faisabilité",
    }


def vote_activity_add(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    title: str,
    kind: str = ActivityKind.VOTE,
    prompt: str = "",
    source_id: int | None = None,
    vote_target: str = VoteTarget.NOTES,
    votes_per_person: int = 5,
    max_per_item: int = 2,
    private: bool = True,
    anonymous_votes: bool = True,
    axis_x: str = "Impact",
    axis_y: str = "Faisabilité",
    request_id: str | None = None,
) -> CommandResult:
    """Append a dot vote or a two-axis rating to the agenda. `private`: results hidden
    until the facilitator reveals them."""
    title = clean_title(title)

    def add(workshop: Workshop) -> tuple[int, dict[str, int]]:
        fields = _vote_fields(
            workshop,
            kind=kind,
            source_id=source_id,
            vote_target=vote_target,
            votes_per_person=votes_per_person,
            max_per_item=max_per_item,
            axis_x=axis_x,
            axis_y=axis_y,
        )
        return append_activity(
            workshop,
            title=title,
            prompt=prompt.strip()[:300],
            private=private,
            anonymous_votes=anonymous_votes,
            **fields,
        )

    return facilitator_command(user, workshop_id, request_id, add)


def vote_activity_update(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    activity_id: int,
    title: str,
    prompt: str,
    source_id: int | None,
    vote_target: str,
    votes_per_person: int,
    max_per_item: int,
    private: bool,
    anonymous_votes: bool,
    axis_x: str = "Impact",
    axis_y: str = "Faisabilité",
    request_id: str | None = None,
) -> CommandResult:
    """Change a vote's wording and rules. Once it has opened, only the wording and the
    hiding of results before the reveal may change: the rules people voted under stay."""
    title = clean_title(title)

    def update(workshop: Workshop) -> int:
        activity = activity_of(workshop, activity_id)
        if not activity.is_voting:
            raise InvalidInput(_("Cette activité n'est pas un vote."))
        fields = _vote_fields(
            workshop,
            kind=activity.kind,
            source_id=source_id,
            vote_target=vote_target,
            votes_per_person=votes_per_person,
            max_per_item=max_per_item,
            axis_x=axis_x,
            axis_y=axis_y,
        )
        started = activity.state != ActivityState.PENDING
        rules = ("source", "vote_target", "votes_per_person", "max_per_item", "axis_x", "axis_y")
        changed = [name for name in rules if getattr(activity, name) != fields[name]]
        if started and (changed or anonymous_votes != activity.anonymous_votes):
            raise InvalidTransition(_("Le vote a commencé : ses règles ne changent plus."))
        if started and private != activity.private and activity.revealed_at is not None:
            raise InvalidTransition(_("Les résultats ont été révélés."))
        for name, value in fields.items():
            setattr(activity, name, value)
        activity.title, activity.prompt = title, prompt.strip()[:300]
        shown_changed = private != activity.private
        activity.private, activity.anonymous_votes = private, anonymous_votes
        activity.save()
        seq = publish_activity(activity)
        if started and shown_changed:  # phones see the results, or stop seeing them
            from participation.voting import publish_tally  # participation builds on ateliers

            seq = publish_tally(activity)
        return seq

    return facilitator_command(user, workshop_id, request_id, update)
