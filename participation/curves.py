"""The emotion curve of a journey map: how each stage feels, from every participant's
rating on −2…+2, in total and split by profile.

Arithmetic on rows (`build_curve`, no database) and the one read of a map's rows
(`curve_out`): the live curve, the snapshot, the evidence document and the exports all
compute it here, so they always agree.

- mean: arithmetic mean; spread: population standard deviation (the people in the room
  are the whole population, not a sample), both rounded to 2 decimals;
- counts: how many people chose −2, −1, 0, +1, +2;
- by profile, under the small-group rule (participation.disclosure): a profile's curve is
  given only when its number of raters is shown exactly, and inside it a stage rated by
  fewer than SMALL_GROUP of them shows "<5" and no figures (a mean of two people is
  their two answers).
"""

from collections import defaultdict
from collections.abc import Iterable
from statistics import fmean, pstdev

from ateliers.models import Activity
from participation.disclosure import SMALL_GROUP, protect_counts
from participation.models import StageFeeling
from realtime.events import CurveOut, ProfileCurveOut, StageCurveOut

SCALE = (-2, -1, 0, 1, 2)

# (participant id, profile, stage key, value)
FeelingRow = tuple[int, str, str, int]


def stage_curve(stage: str, values: list[int]) -> StageCurveOut:
    """One stage's figures from its ratings."""
    if not values:
        return StageCurveOut(stage=stage, n=0, mean=None, sd=None, counts=[0] * len(SCALE))
    return StageCurveOut(
        stage=stage,
        n=len(values),
        mean=round(fmean(values), 2),
        sd=round(pstdev(values), 2),
        counts=[values.count(v) for v in SCALE],
    )


def _protected_stage(stage: str, values: list[int]) -> StageCurveOut:
    if 0 < len(values) < SMALL_GROUP:
        return StageCurveOut(stage=stage, n="<5", mean=None, sd=None, counts=None)
    return stage_curve(stage, values)


def build_curve(activity_id: int, stage_keys: list[str], rows: Iterable[FeelingRow]) -> CurveOut:
    """The full curve (facilitators' view) of a map whose stages are `stage_keys`, in
    order. Ratings of a stage no longer on the map are left out."""
    known = set(stage_keys)
    values: dict[str, list[int]] = defaultdict(list)
    by_profile: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    raters: set[int] = set()
    raters_by_profile: dict[str, set[int]] = defaultdict(set)
    for participant_id, profile, stage, value in rows:
        if stage not in known:
            continue
        values[stage].append(value)
        by_profile[profile][stage].append(value)
        raters.add(participant_id)
        raters_by_profile[profile].add(participant_id)
    shown = protect_counts({p: len(ids) for p, ids in raters_by_profile.items()})
    return CurveOut(
        activity_id=activity_id,
        raters=len(raters),
        stages=[stage_curve(key, values[key]) for key in stage_keys],
        by_profile={
            profile: ProfileCurveOut(
                raters=count,
                stages=[_protected_stage(key, by_profile[profile][key]) for key in stage_keys]
                if isinstance(count, int)
                else None,
            )
            for profile, count in shown.items()
        },
    )


def curve_out(activity: Activity) -> CurveOut:
    """A map's emotion curve computed from its rows now (facilitators' screens only:
    phones never get the curve, see participation.journeys)."""
    rows = StageFeeling.objects.filter(activity=activity).values_list(
        "participant_id", "participant__profile", "stage", "value"
    )
    return build_curve(activity.pk, [column["key"] for column in activity.columns], rows)
