"""The only code that changes challenges, workshops and activities.

Each action checks permission and state, writes in one transaction with the workshop
row locked, and publishes its event (realtime.broadcast.publish) to be sent after
commit. Pages, the API, the WebSocket consumer and management commands all call these.
"""

import functools
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.agenda_templates import DEFAULT_TEMPLATE, activities_from_template
from ateliers.errors import (
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    WorkshopClosed,
    WorkshopNotLive,
)
from ateliers.join_codes import new_join_code
from ateliers.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Challenge,
    Method,
    Workshop,
    WorkshopMode,
    WorkshopState,
)
from ateliers.permissions import can_facilitate, can_manage_challenge, can_view_challenge
from ateliers.selectors import activity_out, workshop_out
from realtime.broadcast import publish
from realtime.events import ActivityUpdatedEvent, WorkshopUpdatedEvent
from realtime.receipts import CommandResult, find_receipt, remember

JOIN_CODE_ATTEMPTS = 20


def user_actor(user: AbstractBaseUser) -> str:
    return f"u{user.pk}"


def lock_workshop(workshop_id: int) -> Workshop:
    """Lock the workshop row for this transaction: writers of one workshop queue here.

    FOR NO KEY UPDATE, not FOR UPDATE: rows that merely reference the workshop (a vote's
    receipt) take a KEY SHARE lock on it, which must not wait for the writers' queue.
    A raw query: every command runs it, and building it with the ORM cost more CPU than
    running it (docs/performance.md).
    """
    found = list(Workshop.objects.raw(_lock_sql(), [workshop_id]))
    if not found:
        raise NotFound()
    return found[0]


LOCK_WORKSHOP_SQL = "SELECT * FROM ateliers_workshop WHERE id = %s"


@functools.cache
def _lock_sql() -> str:
    # No row locks on SQLite (`make run`): its transactions are serialised anyway.
    lock = " FOR NO KEY UPDATE" if connection.features.has_select_for_update else ""
    return LOCK_WORKSHOP_SQL + lock


def challenge_create(*, user: AbstractBaseUser, title: str, **dossier: Any) -> Challenge:
    """Create a challenge; its creator becomes its first project lead."""
    with transaction.atomic():
        challenge = Challenge.objects.create(title=title, **dossier)
        challenge.leads.add(user)
    return challenge


def _workshop_facts(
    title: str, place: str, mode: str, extra_methods: Sequence[str] | None
) -> dict[str, Any]:
    """A workshop's facts, checked: a title, a known format, known methods (each once,
    in the order of `Method`)."""
    title, place = (title or "").strip(), (place or "").strip()
    if not title:
        raise InvalidInput(_("Donnez un titre à l'atelier."))
    if len(title) > 200 or len(place) > 200:
        raise InvalidInput(_("Le titre et le lieu tiennent en 200 caractères chacun."))
    if mode not in WorkshopMode.values:
        raise InvalidInput(_("Format d'atelier inconnu."))
    chosen = set(extra_methods or [])
    if not chosen <= set(Method.values):
        raise InvalidInput(_("Méthode inconnue."))
    methods = [value for value in Method.values if value in chosen]
    return {"title": title, "place": place, "mode": mode, "extra_methods": methods}


def workshop_create(
    *,
    user: AbstractBaseUser,
    challenge: Challenge,
    title: str,
    place: str = "",
    starts_at: Any = None,
    prompt: str = "",
    template: str = DEFAULT_TEMPLATE,
    mode: str = WorkshopMode.IN_PERSON,
    extra_methods: Sequence[str] | None = None,
) -> Workshop:
    """Create a draft workshop with a fresh join code and the agenda of a template
    (`prompt`, if given, replaces the first activity's)."""
    if not can_manage_challenge(user, challenge):
        raise Forbidden()
    facts = _workshop_facts(title, place, mode, extra_methods)
    for _attempt in range(JOIN_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(
                    challenge=challenge,
                    starts_at=starts_at,
                    join_code=new_join_code(),
                    **facts,
                )
                workshop.facilitators.add(user)
                agenda = activities_from_template(workshop, template)
                if prompt and agenda:
                    agenda[0].prompt = prompt
                    agenda[0].save(update_fields=["prompt"])
            return workshop
        except IntegrityError:
            continue  # join code taken by another open workshop: draw again
    raise RuntimeError("could not draw a free join code")


def workshop_update(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    title: str,
    place: str = "",
    starts_at: Any = None,
    mode: str = WorkshopMode.IN_PERSON,
    extra_methods: Sequence[str] | None = None,
) -> Workshop:
    """Change a workshop's facts (title, place, date, format, methods), in any state:
    they describe what happened and may be corrected after it closed. Evidence already
    attached keeps the facts it was snapshotted with. Those who may see its challenge
    but not run it get Forbidden; others NotFound."""
    facts = _workshop_facts(title, place, mode, extra_methods)
    with transaction.atomic():
        workshop = lock_workshop(workshop_id)
        if not can_facilitate(user, workshop):
            if can_view_challenge(user, workshop.challenge):
                raise Forbidden()
            raise NotFound()
        for name, value in {**facts, "starts_at": starts_at}.items():
            setattr(workshop, name, value)
        workshop.save(update_fields=[*facts, "starts_at"])
        publish_workshop(workshop)
    return workshop


def _facilitated(user: AbstractBaseUser, workshop_id: int) -> Workshop:
    workshop = lock_workshop(workshop_id)
    if not can_facilitate(user, workshop):
        raise Forbidden()
    return workshop


def publish_workshop(workshop: Workshop) -> int:
    return publish(workshop.pk, WorkshopUpdatedEvent, workshop=workshop_out(workshop))


def publish_activity(activity: Activity) -> int:
    return publish(activity.workshop_id, ActivityUpdatedEvent, activity=activity_out(activity))


def set_activity_state(activity: Activity, state: ActivityState) -> int:
    """Change an activity's state and publish it. A vote gets its items when it opens
    and publishes its final tally when it closes; a closed vote never reopens (its
    results may be quoted in a dossier)."""
    if activity.is_voting and activity.state == ActivityState.CLOSED:
        raise InvalidTransition(_("Ce vote est clos : ses résultats sont figés."))
    activity.state = state
    activity.save(update_fields=["state"])
    seq = publish_activity(activity)
    if activity.kind == ActivityKind.JOURNEY and state == ActivityState.CLOSED:
        from participation.journeys import publish_curve  # participation builds on ateliers

        seq = publish_curve(activity)  # the final curve, whatever the pacing had pending
    if activity.is_voting:
        # participation builds on ateliers; these two steps call back into it.
        from participation.voting import prepare_vote, publish_tally

        if state == ActivityState.OPEN:
            prepare_vote(activity)
        elif state == ActivityState.CLOSED:
            seq = publish_tally(activity)
    return seq


# What a facilitator's change returns: the sequence of its last event, and optionally
# data for the ack.
Change = Callable[[Workshop], int | tuple[int, dict[str, Any]]]


def facilitator_command(
    user: AbstractBaseUser, workshop_id: int, request_id: str | None, change: Change
) -> CommandResult:
    """The frame of every facilitator command: lock the workshop, check the user may
    facilitate it, answer a retried request from its receipt, refuse a closed workshop
    (its results are frozen), apply `change` and store the receipt, in one transaction."""
    with transaction.atomic():
        workshop = _facilitated(user, workshop_id)
        if done := find_receipt(workshop.pk, user_actor(user), request_id):
            return done
        if workshop.state == WorkshopState.CLOSED:
            raise WorkshopClosed()
        outcome = change(workshop)
        seq, result = outcome if isinstance(outcome, tuple) else (outcome, {})
        return remember(workshop.pk, user_actor(user), request_id, seq, result)


def workshop_start(
    *, user: AbstractBaseUser, workshop_id: int, request_id: str | None = None
) -> CommandResult:
    """Go live: the first activity becomes current and open to contributions."""

    def start(workshop: Workshop) -> int:
        if workshop.state != WorkshopState.DRAFT:
            raise InvalidTransition()
        first = workshop.activities.order_by("position").first()
        workshop.state = WorkshopState.LIVE
        workshop.opened_at = timezone.now()
        workshop.current_activity = first
        workshop.save(update_fields=["state", "opened_at", "current_activity"])
        if first is not None:
            set_activity_state(first, ActivityState.OPEN)
        return publish_workshop(workshop)

    return facilitator_command(user, workshop_id, request_id, start)


def workshop_close(
    *, user: AbstractBaseUser, workshop_id: int, request_id: str | None = None
) -> CommandResult:
    """Close the workshop: no more joins or contributions; its join code is freed."""

    def close(workshop: Workshop) -> int:
        for activity in workshop.activities.exclude(state=ActivityState.CLOSED):
            set_activity_state(activity, ActivityState.CLOSED)
        workshop.state = WorkshopState.CLOSED
        workshop.closed_at = timezone.now()
        workshop.spotlight = None  # nothing can turn it off once the workshop is closed
        workshop.save(update_fields=["state", "closed_at", "spotlight"])
        return publish_workshop(workshop)

    return facilitator_command(user, workshop_id, request_id, close)


def workshop_show_authors(
    *, user: AbstractBaseUser, workshop_id: int, visible: bool, request_id: str | None = None
) -> CommandResult:
    """Show or hide authors' signatures on the big screen (anonymous notes have none)."""

    def show(workshop: Workshop) -> int:
        workshop.show_authors = visible
        workshop.save(update_fields=["show_authors"])
        return publish_workshop(workshop)

    return facilitator_command(user, workshop_id, request_id, show)


def activity_of(workshop: Workshop, activity_id: int) -> Activity:
    """One activity of this workshop (NotFound for any other)."""
    activity = Activity.objects.filter(pk=activity_id, workshop=workshop).first()
    if activity is None:
        raise NotFound()
    return activity


def _set_activity_state(
    user: AbstractBaseUser,
    workshop_id: int,
    activity_id: int,
    state: ActivityState,
    request_id: str | None,
) -> CommandResult:
    def set_state(workshop: Workshop) -> int:
        if workshop.state != WorkshopState.LIVE:
            raise InvalidTransition()
        activity = activity_of(workshop, activity_id)
        if activity.state == state:
            raise InvalidTransition()
        return set_activity_state(activity, state)

    return facilitator_command(user, workshop_id, request_id, set_state)


def activity_open(
    *, user: AbstractBaseUser, workshop_id: int, activity_id: int, request_id: str | None = None
) -> CommandResult:
    """Let participants contribute to this activity."""
    return _set_activity_state(user, workshop_id, activity_id, ActivityState.OPEN, request_id)


def activity_close(
    *, user: AbstractBaseUser, workshop_id: int, activity_id: int, request_id: str | None = None
) -> CommandResult:
    """Stop contributions to this activity; what was sent before stays."""
    return _set_activity_state(user, workshop_id, activity_id, ActivityState.CLOSED, request_id)


# Moving through the agenda ----------------------------------------------------------------


def _go_to(workshop: Workshop, activity: Activity) -> int:
    """Make `activity` the one every screen and phone shows. A pending activity opens;
    the one left keeps its state (a participant's draft for it can still be sent if it
    stays open), and the spotlight goes out."""
    if workshop.state != WorkshopState.LIVE:
        raise WorkshopNotLive()
    if activity.state == ActivityState.PENDING:
        set_activity_state(activity, ActivityState.OPEN)
    workshop.current_activity = activity
    workshop.spotlight = None
    workshop.save(update_fields=["current_activity", "spotlight"])
    return publish_workshop(workshop)


def agenda_goto(
    *, user: AbstractBaseUser, workshop_id: int, activity_id: int, request_id: str | None = None
) -> CommandResult:
    """Start any activity of the agenda."""
    return facilitator_command(
        user, workshop_id, request_id, lambda w: _go_to(w, activity_of(w, activity_id))
    )


def _step(user: AbstractBaseUser, workshop_id: int, request_id: str | None, forward: bool):
    def step(workshop: Workshop) -> int:
        agenda = list(workshop.activities.order_by("position"))
        ids = [a.pk for a in agenda]
        here = (
            ids.index(workshop.current_activity_id) if workshop.current_activity_id in ids else -1
        )
        there = here + 1 if forward else here - 1
        if not 0 <= there < len(agenda) or (here == -1 and not forward):
            raise InvalidTransition(
                _("C'est la dernière activité.") if forward else _("C'est la première activité.")
            )
        return _go_to(workshop, agenda[there])

    return facilitator_command(user, workshop_id, request_id, step)


def agenda_next(
    *, user: AbstractBaseUser, workshop_id: int, request_id: str | None = None
) -> CommandResult:
    """Start the activity after the current one."""
    return _step(user, workshop_id, request_id, forward=True)


def agenda_previous(
    *, user: AbstractBaseUser, workshop_id: int, request_id: str | None = None
) -> CommandResult:
    """Go back to the activity before the current one."""
    return _step(user, workshop_id, request_id, forward=False)


# The timer --------------------------------------------------------------------------------

TIMER_MAX_SECONDS = 4 * 3600


def _change_timer(
    user: AbstractBaseUser,
    workshop_id: int,
    request_id: str | None,
    change: Callable[[Workshop, datetime], None],
) -> CommandResult:
    """Apply `change` to the timer fields at the server's `now`, and publish."""

    def apply(workshop: Workshop) -> int:
        change(workshop, timezone.now())
        workshop.save(update_fields=["timer_ends_at", "timer_paused_remaining"])
        return publish_workshop(workshop)

    return facilitator_command(user, workshop_id, request_id, apply)


def _check_seconds(seconds: int) -> int:
    if not 1 <= seconds <= TIMER_MAX_SECONDS:
        raise InvalidInput(_("Durée invalide : entre 1 seconde et 4 heures."))
    return seconds


def timer_start(
    *, user: AbstractBaseUser, workshop_id: int, seconds: int, request_id: str | None = None
) -> CommandResult:
    """Start (or restart) a countdown of `seconds` from now."""
    _check_seconds(seconds)

    def start(workshop: Workshop, now: datetime) -> None:
        workshop.timer_ends_at = now + timedelta(seconds=seconds)
        workshop.timer_paused_remaining = None

    return _change_timer(user, workshop_id, request_id, start)


def timer_pause(
    *, user: AbstractBaseUser, workshop_id: int, request_id: str | None = None
) -> CommandResult:
    """Freeze the countdown; what is left is kept in whole seconds (rounded up)."""

    def pause(workshop: Workshop, now: datetime) -> None:
        if workshop.timer_ends_at is None:
            raise InvalidTransition(_("Aucun minuteur en cours."))
        left = (workshop.timer_ends_at - now).total_seconds()
        workshop.timer_paused_remaining = max(0, math.ceil(left))
        workshop.timer_ends_at = None

    return _change_timer(user, workshop_id, request_id, pause)


def timer_resume(
    *, user: AbstractBaseUser, workshop_id: int, request_id: str | None = None
) -> CommandResult:
    """Run again from what was left at the pause."""

    def resume(workshop: Workshop, now: datetime) -> None:
        if workshop.timer_paused_remaining is None:
            raise InvalidTransition(_("Le minuteur n'est pas en pause."))
        workshop.timer_ends_at = now + timedelta(seconds=workshop.timer_paused_remaining)
        workshop.timer_paused_remaining = None

    return _change_timer(user, workshop_id, request_id, resume)


def timer_extend(
    *, user: AbstractBaseUser, workshop_id: int, seconds: int, request_id: str | None = None
) -> CommandResult:
    """Add time, running or paused; a countdown already at zero restarts from now."""
    _check_seconds(seconds)

    def extend(workshop: Workshop, now: datetime) -> None:
        if workshop.timer_paused_remaining is not None:
            workshop.timer_paused_remaining = min(
                TIMER_MAX_SECONDS, workshop.timer_paused_remaining + seconds
            )
        elif workshop.timer_ends_at is not None:
            workshop.timer_ends_at = max(workshop.timer_ends_at, now) + timedelta(seconds=seconds)
        else:
            raise InvalidTransition(_("Aucun minuteur à prolonger."))

    return _change_timer(user, workshop_id, request_id, extend)


def timer_stop(
    *, user: AbstractBaseUser, workshop_id: int, request_id: str | None = None
) -> CommandResult:
    """Remove the timer from every screen."""

    def stop(workshop: Workshop, now: datetime) -> None:
        if workshop.timer_ends_at is None and workshop.timer_paused_remaining is None:
            raise InvalidTransition(_("Aucun minuteur à arrêter."))
        workshop.timer_ends_at = None
        workshop.timer_paused_remaining = None

    return _change_timer(user, workshop_id, request_id, stop)
