"""Setting up a journey map on the agenda: its frame (persona, scenario, as-is or
to-be, paired map), its stages (the activity's columns, in order) and its lanes; and
sending its irritants to a dot vote.

Stages and lanes keep their keys through renames and reordering, so cards and ratings
stay where they were put. A stage or lane that holds cards (or ratings) is never
dropped: it can be renamed, and a lane turned off.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from ateliers.actions import activity_of, facilitator_command, publish_activity
from ateliers.agenda import append_activity, clean_title, vote_activity_add
from ateliers.agenda_templates import (
    DEFAULT_STAGES,
    MAX_STAGES,
    check_settings,
    clean_columns,
    clean_lanes,
    default_lanes,
)
from ateliers.errors import InvalidInput
from ateliers.models import Activity, ActivityKind, Horizon, Identity, VoteTarget, Workshop
from ateliers.text import clean_text
from realtime.receipts import CommandResult

PERSONA_MAX, SCENARIO_MAX, PROMPT_MAX = 200, 300, 300


def _frame(
    workshop: Workshop,
    activity: Activity | None,
    *,
    stages: list[str],
    lanes: list[dict[str, Any]] | None,
    persona: str,
    scenario: str,
    horizon: str,
    pair_id: int | None,
) -> dict[str, Any]:
    """Check a map's frame against the rules; return the model fields to set."""
    if horizon not in Horizon.values:
        raise InvalidInput(_("Choisissez parcours actuel ou souhaité."))
    old_stages = activity.columns if activity else []
    old_lanes = activity.lanes if activity else []
    columns = clean_columns(stages, old_stages, MAX_STAGES)
    if len(columns) < 2:
        raise InvalidInput(_("Un parcours a au moins deux étapes."))
    new_lanes = clean_lanes(lanes, old_lanes) if lanes is not None else old_lanes or default_lanes()
    if activity is not None:
        _keep_what_holds_cards(activity, columns, new_lanes)
    pair = None
    if pair_id is not None:
        pair = Activity.objects.filter(
            pk=pair_id, workshop=workshop, kind=ActivityKind.JOURNEY
        ).first()
        if pair is None or (activity is not None and pair.pk == activity.pk):
            raise InvalidInput(_("Le parcours apparié doit être un autre parcours de cet atelier."))
    return {
        "columns": columns,
        "lanes": new_lanes,
        "persona": clean_text(persona, limit=PERSONA_MAX),
        "scenario": clean_text(scenario, limit=SCENARIO_MAX),
        "horizon": horizon,
        "pair": pair,
    }


def _keep_what_holds_cards(
    activity: Activity, columns: list[dict[str, str]], lanes: list[dict[str, Any]]
) -> None:
    stage_keys = {c["key"] for c in columns}
    lane_keys = {lane["key"] for lane in lanes}
    cards = activity.contributions.values_list("column", "lane")
    rated = activity.feelings.values_list("stage", flat=True)
    if any(column not in stage_keys for column, _lane in cards) or any(
        stage not in stage_keys for stage in rated
    ):
        raise InvalidInput(
            _("Une étape qui a des cartes ou des ressentis se renomme, sans se retirer.")
        )
    if any(lane not in lane_keys for _column, lane in cards):
        raise InvalidInput(_("Une ligne qui a des cartes se renomme ou se ferme, sans se retirer."))


def journey_add(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    title: str,
    prompt: str = "",
    stages: list[str] | None = None,
    lanes: list[dict[str, Any]] | None = None,
    persona: str = "",
    scenario: str = "",
    horizon: str = Horizon.AS_IS,
    pair_id: int | None = None,
    private: bool = False,
    identity: str = Identity.ANONYMOUS,
    max_notes: int = 30,
    request_id: str | None = None,
) -> CommandResult:
    """Append a journey map to the agenda (the usual stages and lanes unless given)."""
    check_settings(identity, max_notes)
    title = clean_title(title)

    def add(workshop: Workshop) -> tuple[int, dict[str, int]]:
        frame = _frame(
            workshop,
            None,
            stages=list(DEFAULT_STAGES) if stages is None else stages,
            lanes=lanes,
            persona=persona,
            scenario=scenario,
            horizon=horizon,
            pair_id=pair_id,
        )
        return append_activity(
            workshop,
            kind=ActivityKind.JOURNEY,
            title=title,
            prompt=clean_text(prompt, limit=PROMPT_MAX),
            private=private,
            identity=identity,
            max_notes=max_notes,
            **frame,
        )

    return facilitator_command(user, workshop_id, request_id, add)


def journey_update(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    activity_id: int,
    title: str,
    prompt: str,
    stages: list[str],
    lanes: list[dict[str, Any]],
    persona: str,
    scenario: str,
    horizon: str,
    pair_id: int | None,
    private: bool,
    identity: str,
    max_notes: int,
    request_id: str | None = None,
) -> CommandResult:
    """Change a map's frame, stages (renamed, reordered, added) and lanes (renamed,
    turned off or on, added), even while it is open: cards and ratings keep their
    place."""
    check_settings(identity, max_notes)
    title = clean_title(title)

    def update(workshop: Workshop) -> int:
        activity = activity_of(workshop, activity_id)
        if activity.kind != ActivityKind.JOURNEY:
            raise InvalidInput(_("Cette activité n'est pas un parcours."))
        frame = _frame(
            workshop,
            activity,
            stages=stages,
            lanes=lanes,
            persona=persona,
            scenario=scenario,
            horizon=horizon,
            pair_id=pair_id,
        )
        for name, value in frame.items():
            setattr(activity, name, value)
        activity.title, activity.prompt = title, clean_text(prompt, limit=PROMPT_MAX)
        activity.private, activity.identity, activity.max_notes = private, identity, max_notes
        activity.save()
        return publish_activity(activity)

    return facilitator_command(user, workshop_id, request_id, update)


def journey_vote(
    *, user: AbstractBaseUser, workshop_id: int, activity_id: int, request_id: str | None = None
) -> CommandResult:
    """Add a dot vote on the map's irritants ("Irritants prioritaires"), results hidden
    until revealed, right after the map on the agenda. Its items are taken when it
    opens, so irritants posted until then are in it."""
    with transaction.atomic():  # both steps or neither; the add checks who may
        added = vote_activity_add(
            user=user,
            workshop_id=workshop_id,
            title=_("Irritants prioritaires"),
            prompt=_("Mettez vos points sur les irritants à traiter en premier."),
            source_id=activity_id,
            vote_target=VoteTarget.NOTES,
            request_id=request_id,
        )
        if added.replayed:
            return added
        if not Activity.objects.filter(pk=activity_id, kind=ActivityKind.JOURNEY).exists():
            raise InvalidInput(_("Les irritants viennent d'un parcours de cet atelier."))
        placed = _place_after(
            user=user,
            workshop_id=workshop_id,
            activity_id=added.result["activity_id"],
            after=activity_id,
        )
    return CommandResult(seq=placed, result=added.result)


def _place_after(*, user: AbstractBaseUser, workshop_id: int, activity_id: int, after: int) -> int:
    """Move the (last) activity to just after `after`, shifting those between down."""

    def place(workshop: Workshop) -> int:
        agenda = list(workshop.activities.order_by("position"))
        moved = next(a for a in agenda if a.pk == activity_id)
        anchor = next(a for a in agenda if a.pk == after)
        later = [a for a in agenda if anchor.position < a.position < moved.position]
        if not later:
            return workshop.last_seq
        target = later[0].position
        moved.position = 0  # through a free position: (workshop, position) is unique
        moved.save(update_fields=["position"])
        for activity in reversed(later):
            activity.position += 1
            activity.save(update_fields=["position"])
            publish_activity(activity)
        moved.position = target
        moved.save(update_fields=["position"])
        return publish_activity(moved)

    return facilitator_command(user, workshop_id, None, place).seq
