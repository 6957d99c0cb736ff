"""Journey maps from phones: the only code that writes stage ratings and moves cards
between cells, and the live emotion curve.

A card is a Contribution with a stage (`column`) and a row (`lane`): posting, editing,
hiding, spotlighting and clustering ("merging") go through the same actions as notes.
What is particular to a map is here: rating how a stage feels (−2…+2) and placing a
card in another cell.

Ratings follow votes (participation.voting): each locks its participant's row (one
person's devices and retries queue) and holds a SHARE lock on the map's row, which
closing it must wait for; it publishes no event of its own but asks for the curve to be
published soon (participation.pacing), so 300 people rating at once cost a few curve
messages per second, not 300 per socket.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ateliers.actions import facilitator_command
from ateliers.errors import (
    ActivityClosed,
    InvalidInput,
    NotFound,
    WorkshopClosed,
    WorkshopNotLive,
)
from ateliers.models import Activity, ActivityKind, ActivityState, LaneKind, Workshop, WorkshopState
from participation import pacing
from participation.actions import clean_column, clean_lane, note_in, participant_actor, publish_note
from participation.curves import curve_out
from participation.models import Contribution, ContributionStatus, Participant, StageFeeling
from participation.selectors import is_public, my_feelings
from realtime.broadcast import REDACTED, publish
from realtime.events import JourneyCurveEvent, MyFeelingsOut
from realtime.receipts import CommandResult, find_receipt, remember

# The curve -------------------------------------------------------------------------------


def publish_curve(activity: Activity) -> int:
    """Publish the map's curve to facilitators' screens. Phones get only its sequence
    number: a phone does not show the room's curve, so that nobody rates a stage after
    seeing how the others rated it (and 300 phones are spared two messages a second)."""
    return publish(
        activity.workshop_id, JourneyCurveEvent, phones=REDACTED, curve=curve_out(activity)
    )


def my_feelings_out(activity: Activity, participant: Participant) -> MyFeelingsOut:
    return my_feelings(participant, [activity])[0]


# Rating a stage ----------------------------------------------------------------------------


def _lock_rows(participant: Participant, activity_id: int) -> None:
    """The participant's row (one command at a time per person) and a SHARE lock on the
    map (closing it waits for ratings in flight). SQLite has neither, nor needs them:
    it runs one write transaction at a time."""
    if not connection.features.has_select_for_update:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM participation_participant WHERE id = %s FOR NO KEY UPDATE",
            [participant.pk],
        )
        cursor.execute("SELECT 1 FROM ateliers_activity WHERE id = %s FOR SHARE", [activity_id])


def _feeling_command(
    participant: Participant,
    activity_id: int,
    stage: str,
    request_id: str | None,
    change: Callable[[Activity], None],
) -> CommandResult:
    """The frame of both rating commands; the ack carries the participant's ratings."""
    with transaction.atomic():
        _lock_rows(participant, activity_id)
        actor = participant_actor(participant)
        if done := find_receipt(participant.workshop_id, actor, request_id):
            return done
        activity = (
            Activity.objects.select_related("workshop")
            .filter(pk=activity_id, workshop_id=participant.workshop_id)
            .first()
        )
        if activity is None:
            raise NotFound()
        if activity.kind != ActivityKind.JOURNEY:
            raise InvalidInput(_("Cette activité n'est pas un parcours."))
        workshop = activity.workshop
        if workshop.state != WorkshopState.LIVE:
            raise WorkshopClosed() if workshop.state == WorkshopState.CLOSED else WorkshopNotLive()
        if activity.state != ActivityState.OPEN:
            raise ActivityClosed(_("Ce parcours est fermé : les ressentis ne changent plus."))
        if stage not in activity.column_keys():
            raise InvalidInput(_("Cette étape ne fait pas partie du parcours."))
        change(activity)
        pacing.publish_soon("curve", workshop.pk, activity.pk, publish_curve)
        result = my_feelings_out(activity, participant).model_dump(mode="json")
        return remember(workshop.pk, actor, request_id, workshop.last_seq, result)


def feeling_set(
    *,
    participant: Participant,
    activity_id: int,
    stage: str,
    value: int,
    request_id: str | None = None,
) -> CommandResult:
    """How a stage of an open map feels to the participant (−2…+2); again replaces it."""
    if not -2 <= value <= 2:
        raise InvalidInput(_("Le ressenti va de −2 à +2."))

    def rate(activity: Activity) -> None:
        StageFeeling.objects.update_or_create(
            activity=activity, participant=participant, stage=stage, defaults={"value": value}
        )

    return _feeling_command(participant, activity_id, stage, request_id, rate)


def feeling_clear(
    *, participant: Participant, activity_id: int, stage: str, request_id: str | None = None
) -> CommandResult:
    """Withdraw the participant's rating of a stage (nothing to withdraw is no error:
    the phone shows no rating either way)."""

    def clear(activity: Activity) -> None:
        StageFeeling.objects.filter(
            activity=activity, participant=participant, stage=stage
        ).delete()

    return _feeling_command(participant, activity_id, stage, request_id, clear)


# The facilitator's cards -------------------------------------------------------------------


def contribution_place(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    contribution_id: int,
    column: str,
    lane: str,
    request_id: str | None = None,
) -> CommandResult:
    """Move a card of a journey map to another cell (stage `column`, row `lane`)."""

    def place(workshop: Workshop) -> int:
        card = note_in(workshop, contribution_id)
        activity = card.activity
        if activity.kind != ActivityKind.JOURNEY:
            raise InvalidInput(_("Seules les cartes d'un parcours changent de case."))
        was_public = is_public(card, activity)
        card.column, card.lane = clean_column(activity, column), clean_lane(activity, lane)
        card.save(update_fields=["column", "lane"])
        return publish_note(card, activity, was_public=was_public)

    return facilitator_command(user, workshop_id, request_id, place)


# What a vote on irritants puts to the room -------------------------------------------------


def pain_point_cards(journey: Activity) -> list[tuple[Contribution, str]]:
    """The visible cards of the map's pain-point lanes still open, in stage order then
    as posted, each with the label a vote shows: "<stage> — <text>"."""
    lanes = {
        lane["key"]
        for lane in journey.lanes
        if lane.get("kind") == LaneKind.PAIN_POINTS and lane.get("enabled", True)
    }
    order = {column["key"]: n for n, column in enumerate(journey.columns)}
    labels = {column["key"]: column["label"] for column in journey.columns}
    cards = Contribution.objects.filter(
        activity=journey, lane__in=lanes, column__in=order, status=ContributionStatus.VISIBLE
    ).order_by("created_at", "pk")
    ranked = sorted(cards, key=lambda card: order[card.column])  # stable: time within a stage
    return [(card, f"{labels[card.column]} — {card.body}") for card in ranked]
