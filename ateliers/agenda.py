"""The agenda: ready-made templates, and editing activities before and during a workshop.

Edits are facilitator commands (ateliers.actions.facilitator_command) and publish
`activity.updated` / `activity.removed`, so a screen or phone already open follows an
agenda changed mid-session. Two settings are frozen once an activity has notes: its
identity mode (signing notes that were written anonymously would betray their authors)
and private mode (notes already shown cannot be taken back from the room).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max
from django.utils.translation import gettext as _

from ateliers.actions import facilitator_command, publish_activity
from ateliers.agenda_templates import check_settings, clean_columns
from ateliers.errors import InvalidInput, InvalidTransition, NotFound
from ateliers.models import Activity, ActivityKind, Identity, Workshop
from realtime.broadcast import publish
from realtime.events import ActivityRemovedEvent
from realtime.receipts import CommandResult


def _activity(workshop: Workshop, activity_id: int) -> Activity:
    activity = Activity.objects.filter(pk=activity_id, workshop=workshop).first()
    if activity is None:
        raise NotFound()
    return activity


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
    title = title.strip()
    if not title:
        raise InvalidInput(_("Donnez un titre à l'activité."))

    def add(workshop: Workshop) -> tuple[int, dict[str, int]]:
        last = workshop.activities.aggregate(last=Max("position"))["last"] or 0
        activity = Activity.objects.create(
            workshop=workshop,
            position=last + 1,
            kind=ActivityKind.IDEATION,
            title=title[:200],
            prompt=prompt.strip()[:300],
            columns=clean_columns(columns or [], []),
            identity=identity,
            private=private,
            reactions=reactions,
            max_notes=max_notes,
        )
        return publish_activity(activity), {"activity_id": activity.pk}

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
    title = title.strip()
    if not title:
        raise InvalidInput(_("Donnez un titre à l'activité."))

    def update(workshop: Workshop) -> int:
        activity = _activity(workshop, activity_id)
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
        activity.title, activity.prompt = title[:200], prompt.strip()[:300]
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
        activity = _activity(workshop, activity_id)
        if workshop.current_activity_id == activity.pk:
            raise InvalidTransition(_("C'est l'activité en cours : passez d'abord à une autre."))
        if activity.contributions.exists():
            raise InvalidTransition(_("Cette activité a des contributions : elle est conservée."))
        activity.delete()
        return publish(workshop.pk, ActivityRemovedEvent, activity_id=activity_id)

    return facilitator_command(user, workshop_id, request_id, delete)
