"""What facilitators do to a board: hide and restore notes (the reason is kept), put one
in the spotlight, group notes into titled clusters, and reveal a private activity.

Every command runs in `ateliers.actions.facilitator_command`: the workshop locked, the
facilitator checked, a retry answered from its receipt, a closed workshop refused.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.actions import activity_of, facilitator_command, publish_activity, publish_workshop
from ateliers.errors import InvalidInput, InvalidTransition, NotFound
from ateliers.models import ActivityState, Workshop
from ateliers.selectors import activity_out
from ateliers.text import clean_text
from participation.actions import note_in, publish_note
from participation.models import Cluster, Contribution, ContributionStatus
from participation.selectors import cluster_out, contribution_out, is_public, phone_shape
from participation.voting import publish_tally, republish_items_of
from realtime.broadcast import SAME, publish
from realtime.events import ActivityRevealedEvent, ClusterRemovedEvent, ClusterUpdatedEvent
from realtime.receipts import CommandResult

REASON_MAX, TITLE_MAX = 200, 120


def _cluster(workshop: Workshop, cluster_id: int) -> Cluster:
    cluster = Cluster.objects.filter(pk=cluster_id, activity__workshop=workshop).first()
    if cluster is None:
        raise NotFound()
    return cluster


def _set_status(note: Contribution, workshop: Workshop, status: str, reason: str) -> int:
    if note.status == status:
        raise InvalidTransition()
    was_public = is_public(note, note.activity)
    note.status = status
    fields = ["status"]
    if reason:
        note.hidden_reason = reason
        fields.append("hidden_reason")
    note.save(update_fields=fields)
    if status == ContributionStatus.HIDDEN and workshop.spotlight_id == note.pk:
        workshop.spotlight = None
        workshop.save(update_fields=["spotlight"])
        publish_workshop(workshop)
    seq = publish_note(note, note.activity, was_public=was_public)
    # A hidden note leaves the votes that showed it (and a restored one comes back).
    return republish_items_of(note) or seq


def contribution_hide(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    contribution_id: int,
    reason: str,
    request_id: str | None = None,
) -> CommandResult:
    """Take a note off every screen and phone; it stays in the record with its reason."""
    reason = clean_text(
        reason, limit=REASON_MAX, empty_message=_("Indiquez pourquoi la contribution est masquée.")
    )
    return facilitator_command(
        user,
        workshop_id,
        request_id,
        lambda w: _set_status(note_in(w, contribution_id), w, ContributionStatus.HIDDEN, reason),
    )


def contribution_restore(
    *, user: AbstractBaseUser, workshop_id: int, contribution_id: int, request_id: str | None = None
) -> CommandResult:
    """Show a hidden note again (its hiding reason stays in the record)."""
    return facilitator_command(
        user,
        workshop_id,
        request_id,
        lambda w: _set_status(note_in(w, contribution_id), w, ContributionStatus.VISIBLE, ""),
    )


def contribution_spotlight(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    contribution_id: int | None,
    request_id: str | None = None,
) -> CommandResult:
    """Show one visible note large on the big screen (None: turn the spotlight off)."""

    def spotlight(workshop: Workshop) -> int:
        if contribution_id is None:
            workshop.spotlight = None
        else:
            note = note_in(workshop, contribution_id)
            if note.status != ContributionStatus.VISIBLE:
                raise InvalidTransition(
                    _("Une contribution masquée ne peut pas être mise en avant.")
                )
            workshop.spotlight = note
        workshop.save(update_fields=["spotlight"])
        return publish_workshop(workshop)

    return facilitator_command(user, workshop_id, request_id, spotlight)


def _move(note: Contribution, cluster: Cluster | None) -> int:
    if cluster is not None and cluster.activity_id != note.activity_id:
        raise InvalidInput(_("Ce regroupement appartient à une autre activité."))
    was_public = is_public(note, note.activity)
    note.cluster = cluster
    note.save(update_fields=["cluster"])
    return publish_note(note, note.activity, was_public=was_public)


def contribution_move(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    contribution_id: int,
    cluster_id: int | None,
    request_id: str | None = None,
) -> CommandResult:
    """Put a note in a cluster of its activity (None: take it out of any)."""

    def move(workshop: Workshop) -> int:
        cluster = None if cluster_id is None else _cluster(workshop, cluster_id)
        return _move(note_in(workshop, contribution_id), cluster)

    return facilitator_command(user, workshop_id, request_id, move)


def cluster_create(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    activity_id: int,
    title: str,
    contribution_ids: list[int] | None = None,
    request_id: str | None = None,
) -> CommandResult:
    """A new titled cluster on an activity's board, with the given notes in it."""
    title = clean_text(title, limit=TITLE_MAX, empty_message=_("Donnez un titre au regroupement."))

    def create(workshop: Workshop) -> tuple[int, dict[str, int]]:
        activity = activity_of(workshop, activity_id)
        last = activity.clusters.aggregate(last=Max("position"))["last"]
        cluster = Cluster.objects.create(
            activity=activity, title=title, position=0 if last is None else last + 1
        )
        seq = publish(workshop.pk, ClusterUpdatedEvent, cluster=cluster_out(cluster))
        for contribution_id in dict.fromkeys(contribution_ids or []):
            seq = _move(note_in(workshop, contribution_id), cluster)
        return seq, {"cluster_id": cluster.pk}

    return facilitator_command(user, workshop_id, request_id, create)


def cluster_rename(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    cluster_id: int,
    title: str,
    request_id: str | None = None,
) -> CommandResult:
    title = clean_text(title, limit=TITLE_MAX, empty_message=_("Donnez un titre au regroupement."))

    def rename(workshop: Workshop) -> int:
        cluster = _cluster(workshop, cluster_id)
        cluster.title = title
        cluster.save(update_fields=["title"])
        return publish(workshop.pk, ClusterUpdatedEvent, cluster=cluster_out(cluster))

    return facilitator_command(user, workshop_id, request_id, rename)


def cluster_delete(
    *, user: AbstractBaseUser, workshop_id: int, cluster_id: int, request_id: str | None = None
) -> CommandResult:
    """Remove a cluster; its notes stay on the board, unclustered."""

    def delete(workshop: Workshop) -> int:
        cluster = _cluster(workshop, cluster_id)
        for note in cluster.contributions.select_related("activity", "participant"):
            _move(note, None)
        cluster.delete()
        return publish(workshop.pk, ClusterRemovedEvent, cluster_id=cluster_id)

    return facilitator_command(user, workshop_id, request_id, delete)


def activity_reveal(
    *, user: AbstractBaseUser, workshop_id: int, activity_id: int, request_id: str | None = None
) -> CommandResult:
    """Show a private activity's notes to everyone, all at once."""

    def reveal(workshop: Workshop) -> int:
        activity = activity_of(workshop, activity_id)
        if not activity.is_hidden_from_phones:
            raise InvalidTransition(_("Cette activité n'a rien de masqué à révéler."))
        if activity.state == ActivityState.PENDING:
            raise InvalidTransition(_("Cette activité n'a pas encore commencé."))
        activity.revealed_at = timezone.now()
        activity.save(update_fields=["revealed_at"])
        if activity.is_voting:  # the results, for everyone
            publish_activity(activity)
            return publish_tally(activity)
        notes = activity.contributions.filter(status=ContributionStatus.VISIBLE).select_related(
            "participant"
        )
        shapes = [contribution_out(note, activity) for note in notes]
        phone_shapes = [phone_shape(shape) for shape in shapes]
        shown = activity_out(activity)
        return publish(
            workshop.pk,
            ActivityRevealedEvent,
            phones=SAME
            if phone_shapes == shapes
            else (ActivityRevealedEvent, {"activity": shown, "contributions": phone_shapes}),
            activity=shown,
            contributions=shapes,
        )

    return facilitator_command(user, workshop_id, request_id, reveal)
