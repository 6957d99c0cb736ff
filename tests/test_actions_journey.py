"""Journey maps: the facilitator frames the map (stages, lanes, persona), phones add cards
to cells and say how each stage feels, the facilitator moves cards and sends the
irritants to a dot vote. Who may do what, and what the room sees."""

import pytest

from ateliers import actions as workshop_actions
from ateliers import journey_maps
from ateliers.agenda_templates import DEFAULT_STAGES
from ateliers.errors import (
    ActivityClosed,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from ateliers.models import Activity, ActivityKind, LaneKind, Workshop
from ateliers.selectors import workshop_snapshot
from participation import actions, journeys, moderation
from participation.models import Contribution, StageFeeling, VoteItem
from realtime.models import WorkshopEvent
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey_workshop(facilitator, challenge) -> Workshop:
    """A live workshop of the "Parcours usager" template, on its map."""
    workshop = workshop_actions.workshop_create(
        user=facilitator, challenge=challenge, title="Parcours RSA", template="parcours"
    )
    workshop_actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def journey(journey_workshop) -> Activity:
    return journey_workshop.current_activity


def join(workshop, token: str, profile: str = "usager"):
    return actions.participant_join(workshop=workshop, device_token=token, profile=profile)


def lane_of(journey: Activity, kind: str) -> str:
    return next(lane["key"] for lane in journey.lanes if lane["kind"] == kind)


def stage(journey: Activity, n: int) -> str:
    return journey.columns[n]["key"]


def card(person, journey, body="Trop de papiers", n=0, kind=LaneKind.PAIN_POINTS) -> int:
    done = actions.contribution_create(
        participant=person,
        activity_id=journey.pk,
        body=body,
        column=stage(journey, n),
        lane=lane_of(journey, kind),
    )
    return done.result["contribution_id"]


# The frame ----------------------------------------------------------------------------------


def test_the_template_prepares_a_typical_map_then_a_vote_on_its_irritants(journey_workshop):
    first, second = journey_workshop.activities.order_by("position")
    assert first.kind == ActivityKind.JOURNEY
    assert [c["label"] for c in first.columns] == list(DEFAULT_STAGES)
    assert [lane["kind"] for lane in first.lanes] == [
        "actions",
        "touchpoints",
        "thoughts",
        "pain_points",
        "opportunities",
    ]
    assert all(lane["enabled"] for lane in first.lanes)
    assert first.persona and first.scenario
    assert second.kind == ActivityKind.VOTE and second.source_id == first.pk


def test_stages_renamed_and_reordered_keep_their_cards_and_ratings(
    facilitator, journey_workshop, journey
):
    person = join(journey_workshop, "a")
    card_id = card(person, journey, n=1)
    journeys.feeling_set(
        participant=person, activity_id=journey.pk, stage=stage(journey, 1), value=-2
    )
    labels = [c["label"] for c in journey.columns]
    old_key = stage(journey, 1)
    journey_maps.journey_update(
        user=facilitator,
        workshop_id=journey_workshop.pk,
        activity_id=journey.pk,
        title=journey.title,
        prompt=journey.prompt,
        stages=[labels[1], labels[0], *labels[2:], "Recours"],  # reordered, one added
        lanes=journey.lanes,
        persona="Une allocataire de 58 ans",
        scenario="Renouveler ses droits",
        horizon="as_is",
        pair_id=None,
        private=False,
        identity=journey.identity,
        max_notes=journey.max_notes,
    )
    journey.refresh_from_db()
    assert journey.columns[0] == {"key": old_key, "label": labels[1]}
    assert journey.columns[-1]["label"] == "Recours" and len(journey.columns) == 6
    assert Contribution.objects.get(pk=card_id).column == old_key
    assert journey.persona == "Une allocataire de 58 ans"


def test_a_stage_or_lane_holding_cards_cannot_be_dropped(facilitator, journey_workshop, journey):
    person = join(journey_workshop, "a")
    card(person, journey, n=0)
    labels = [c["label"] for c in journey.columns]
    frame = {
        "user": facilitator,
        "workshop_id": journey_workshop.pk,
        "activity_id": journey.pk,
        "title": journey.title,
        "prompt": "",
        "persona": "",
        "scenario": "",
        "horizon": "as_is",
        "pair_id": None,
        "private": False,
        "identity": journey.identity,
        "max_notes": journey.max_notes,
    }
    with pytest.raises(InvalidInput, match="étape"):
        journey_maps.journey_update(**frame, stages=labels[1:], lanes=journey.lanes)
    without_pains = [lane for lane in journey.lanes if lane["kind"] != "pain_points"]
    with pytest.raises(InvalidInput, match="ligne"):
        journey_maps.journey_update(**frame, stages=labels, lanes=without_pains)
    # Turned off instead: kept, with its card, but takes no new one.
    off = [{**lane, "enabled": lane["kind"] != "pain_points"} for lane in journey.lanes]
    journey_maps.journey_update(**frame, stages=labels, lanes=off)
    journey.refresh_from_db()
    assert Contribution.objects.filter(activity=journey).count() == 1
    with pytest.raises(InvalidInput, match="ligne ouverte"):
        card(person, journey, body="Encore un", n=0)


@pytest.mark.parametrize(
    ("stages", "lanes", "message"),
    [
        (["Seule étape"], None, "deux étapes"),
        ([f"Étape {n}" for n in range(11)], None, "10"),
        (["A", "B"], [], "au moins une ligne"),
        (["A", "B"], [{"label": "X", "kind": "actions", "enabled": False}], "ouverte"),
        (["A", "B"], [{"label": "X", "kind": "emotions"}], "Type de ligne"),
        (["A", "B"], [{"label": "X", "kind": "actions"}, {"label": "X", "kind": "other"}], "même"),
    ],
)
def test_a_map_frame_that_breaks_the_rules_is_refused(
    facilitator, journey_workshop, stages, lanes, message
):
    before = journey_workshop.activities.count()
    with pytest.raises(InvalidInput, match=message):
        journey_maps.journey_add(
            user=facilitator,
            workshop_id=journey_workshop.pk,
            title="Parcours",
            stages=stages,
            lanes=lanes,
        )
    assert journey_workshop.activities.count() == before


def test_a_to_be_map_pairs_only_with_another_map_of_the_workshop(
    facilitator, journey_workshop, journey, challenge
):
    made = journey_maps.journey_add(
        user=facilitator,
        workshop_id=journey_workshop.pk,
        title="Parcours souhaité",
        horizon="to_be",
        pair_id=journey.pk,
    )
    to_be = Activity.objects.get(pk=made.result["activity_id"])
    assert (to_be.horizon, to_be.pair_id) == ("to_be", journey.pk)
    other = workshop_actions.workshop_create(
        user=facilitator, challenge=challenge, title="Autre", template="parcours"
    )
    with pytest.raises(InvalidInput, match="apparié"):
        journey_maps.journey_add(
            user=facilitator,
            workshop_id=journey_workshop.pk,
            title="Mauvaise paire",
            pair_id=other.activities.first().pk,
        )


def test_only_the_workshop_facilitators_frame_a_map(journey_workshop, journey):
    stranger = UserFactory()
    ChallengeFactory(leads=[stranger])
    with pytest.raises((NotFound, Forbidden)):
        journey_maps.journey_add(user=stranger, workshop_id=journey_workshop.pk, title="Intrus")
    assert journey_workshop.activities.count() == 2


# Cards ---------------------------------------------------------------------------------------


def test_a_card_goes_in_a_stage_and_an_open_lane(journey_workshop, journey):
    person = join(journey_workshop, "a")
    card_id = card(person, journey, n=2, kind=LaneKind.OPPORTUNITIES)
    stored = Contribution.objects.get(pk=card_id)
    assert (stored.column, stored.lane) == (stage(journey, 2), lane_of(journey, "opportunities"))
    shown = workshop_snapshot(journey_workshop.pk, person).contributions
    assert [(c.id, c.column, c.lane) for c in shown] == [(card_id, stored.column, stored.lane)]


@pytest.mark.parametrize(
    ("column", "lane", "message"),
    [("", "l1", "étape"), ("c99", "l1", "étape"), ("c1", "", "ligne"), ("c1", "l99", "ligne")],
)
def test_a_card_without_a_cell_is_refused(journey_workshop, journey, column, lane, message):
    person = join(journey_workshop, "a")
    with pytest.raises(InvalidInput, match=message):
        actions.contribution_create(
            participant=person, activity_id=journey.pk, body="Perdue", column=column, lane=lane
        )
    assert not Contribution.objects.exists()


def test_a_note_of_a_board_has_no_lane(live_workshop):
    person = join(live_workshop, "a")
    with pytest.raises(InvalidInput, match="lignes"):
        actions.contribution_create(
            participant=person, activity_id=live_workshop.current_activity_id, body="x", lane="l1"
        )


def test_the_author_moves_their_card_to_another_cell(journey_workshop, journey):
    person = join(journey_workshop, "a")
    card_id = card(person, journey, n=0)
    actions.contribution_update(
        participant=person,
        contribution_id=card_id,
        body="Trop de papiers, vraiment",
        column=stage(journey, 3),
        lane=lane_of(journey, "thoughts"),
    )
    stored = Contribution.objects.get(pk=card_id)
    assert (stored.column, stored.lane) == (stage(journey, 3), lane_of(journey, "thoughts"))


def test_the_facilitator_places_a_card_in_another_cell(facilitator, journey_workshop, journey):
    person = join(journey_workshop, "a")
    card_id = card(person, journey, n=0, kind=LaneKind.ACTIONS)
    journeys.contribution_place(
        user=facilitator,
        workshop_id=journey_workshop.pk,
        contribution_id=card_id,
        column=stage(journey, 4),
        lane=lane_of(journey, "pain_points"),
    )
    stored = Contribution.objects.get(pk=card_id)
    assert (stored.column, stored.lane) == (stage(journey, 4), lane_of(journey, "pain_points"))
    with pytest.raises(InvalidInput):
        journeys.contribution_place(
            user=facilitator,
            workshop_id=journey_workshop.pk,
            contribution_id=card_id,
            column="c99",
            lane=lane_of(journey, "actions"),
        )
    other = UserFactory()
    with pytest.raises((NotFound, Forbidden)):
        journeys.contribution_place(
            user=other,
            workshop_id=journey_workshop.pk,
            contribution_id=card_id,
            column=stage(journey, 0),
            lane=lane_of(journey, "actions"),
        )
    stored.refresh_from_db()
    assert stored.column == stage(journey, 4)


def test_cards_are_hidden_spotlighted_and_merged_as_notes_are(
    facilitator, journey_workshop, journey
):
    person = join(journey_workshop, "a")
    first, second = card(person, journey, "Attente"), card(person, journey, "File d'attente")
    moderation.cluster_create(
        user=facilitator,
        workshop_id=journey_workshop.pk,
        activity_id=journey.pk,
        title="Attente au guichet",
        contribution_ids=[first, second],
    )
    moderation.contribution_hide(
        user=facilitator, workshop_id=journey_workshop.pk, contribution_id=second, reason="Doublon"
    )
    moderation.contribution_spotlight(
        user=facilitator, workshop_id=journey_workshop.pk, contribution_id=first
    )
    phone = workshop_snapshot(journey_workshop.pk, join(journey_workshop, "b"))
    assert [c.id for c in phone.contributions] == [first]
    assert phone.contributions[0].cluster_id is not None
    assert phone.workshop.spotlight_id == first


# Feelings ------------------------------------------------------------------------------------


def test_a_participant_rates_each_stage_once_and_can_change_or_withdraw(journey_workshop, journey):
    person = join(journey_workshop, "a")
    first, second = stage(journey, 0), stage(journey, 1)
    journeys.feeling_set(participant=person, activity_id=journey.pk, stage=first, value=1)
    done = journeys.feeling_set(participant=person, activity_id=journey.pk, stage=first, value=-2)
    assert done.result == {"activity_id": journey.pk, "stages": {first: -2}}
    done = journeys.feeling_set(participant=person, activity_id=journey.pk, stage=second, value=2)
    assert done.result["stages"] == {first: -2, second: 2}
    done = journeys.feeling_clear(participant=person, activity_id=journey.pk, stage=first)
    assert done.result["stages"] == {second: 2}
    assert list(StageFeeling.objects.values_list("stage", "value")) == [(second, 2)]
    me = workshop_snapshot(journey_workshop.pk, person).me
    assert [(f.activity_id, f.stages) for f in me.feelings] == [(journey.pk, {second: 2})]


def test_a_retried_rating_is_applied_once(journey_workshop, journey):
    person = join(journey_workshop, "a")
    for _ in range(3):
        journeys.feeling_set(
            participant=person,
            activity_id=journey.pk,
            stage=stage(journey, 0),
            value=-1,
            request_id="r-1",
        )
    assert StageFeeling.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "stage_key", "message"), [(3, "c1", "−2"), (-3, "c1", "−2"), (0, "c99", "étape")]
)
def test_a_rating_off_the_scale_or_the_map_is_refused(
    journey_workshop, journey, value, stage_key, message
):
    person = join(journey_workshop, "a")
    with pytest.raises(InvalidInput, match=message):
        journeys.feeling_set(
            participant=person, activity_id=journey.pk, stage=stage_key, value=value
        )
    assert not StageFeeling.objects.exists()


def test_ratings_stop_when_the_map_closes_and_the_final_curve_is_published(
    facilitator, journey_workshop, journey
):
    person = join(journey_workshop, "a")
    journeys.feeling_set(participant=person, activity_id=journey.pk, stage="c1", value=1)
    workshop_actions.activity_close(
        user=facilitator, workshop_id=journey_workshop.pk, activity_id=journey.pk
    )
    with pytest.raises(ActivityClosed):
        journeys.feeling_set(participant=person, activity_id=journey.pk, stage="c1", value=-1)
    with pytest.raises(ActivityClosed):
        card(person, journey)
    assert StageFeeling.objects.get().value == 1
    last = WorkshopEvent.objects.filter(workshop=journey_workshop).order_by("-seq").first()
    assert '"journey.curve"' in last.payload and '"mean":1.0' in last.payload


def test_ratings_go_only_to_a_journey_of_ones_own_workshop(journey_workshop, journey, workshop):
    person = join(journey_workshop, "a")
    vote = journey_workshop.activities.get(kind=ActivityKind.VOTE)
    with pytest.raises(InvalidInput, match="parcours"):
        journeys.feeling_set(participant=person, activity_id=vote.pk, stage="c1", value=1)
    with pytest.raises(NotFound):
        journeys.feeling_set(
            participant=person, activity_id=workshop.activities.get().pk, stage="c1", value=1
        )


# What phones see of the curve -----------------------------------------------------------------


def test_the_screen_gets_the_curve_and_its_split_and_phones_never_the_curve(
    facilitator, journey_workshop, journey, django_capture_on_commit_callbacks
):
    """Phones do not show the room's curve (nobody rates after seeing the others)."""
    for n in range(10):
        person = join(journey_workshop, f"u{n}", "usager" if n < 5 else "agent")
        value = -1 if n < 5 else 2
        journeys.feeling_set(participant=person, activity_id=journey.pk, stage="c1", value=value)
    screen = workshop_snapshot(journey_workshop.pk).curves[0]
    assert screen.stages[0].mean == 0.5 and screen.stages[0].sd == 1.5
    assert screen.by_profile["usager"].stages[0].mean == -1.0
    assert screen.by_profile["agent"].stages[0].mean == 2.0
    assert workshop_snapshot(journey_workshop.pk, person).curves == []
    with django_capture_on_commit_callbacks(execute=True):
        journeys.feeling_set(participant=person, activity_id=journey.pk, stage="c2", value=1)
    event = WorkshopEvent.objects.filter(workshop=journey_workshop).order_by("-seq").first()
    assert '"journey.curve"' in event.payload
    assert event.phone_payload == f'{{"type":"redacted","seq":{event.seq}}}'


# The vote on irritants -----------------------------------------------------------------------


def test_the_irritants_go_to_a_dot_vote_right_after_the_map(facilitator, journey_workshop, journey):
    person = join(journey_workshop, "a")
    late = card(person, journey, "Pas de réponse", n=3)
    early = card(person, journey, "Formulaire illisible", n=1)
    card(person, journey, "Je remplis le formulaire", n=1, kind=LaneKind.ACTIONS)
    hidden = card(person, journey, "Insulte", n=0)
    moderation.contribution_hide(
        user=facilitator, workshop_id=journey_workshop.pk, contribution_id=hidden, reason="Propos"
    )
    made = journey_maps.journey_vote(
        user=facilitator, workshop_id=journey_workshop.pk, activity_id=journey.pk
    )
    agenda = list(journey_workshop.activities.order_by("position"))
    assert [a.pk for a in agenda][:2] == [journey.pk, made.result["activity_id"]]
    assert agenda[2].title == "Irritants prioritaires"  # the template's vote, moved down
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=journey_workshop.pk, activity_id=made.result["activity_id"]
    )
    items = VoteItem.objects.filter(activity_id=made.result["activity_id"]).order_by("position")
    labels = {c["key"]: c["label"] for c in journey.columns}
    assert [(i.contribution_id, i.label) for i in items] == [
        (early, f"{labels[stage(journey, 1)]} — Formulaire illisible"),
        (late, f"{labels[stage(journey, 3)]} — Pas de réponse"),
    ]


def test_a_private_map_must_be_revealed_before_its_irritants_are_voted(
    facilitator, journey_workshop, journey
):
    journey.private = True
    journey.save()
    card(join(journey_workshop, "a"), journey)
    made = journey_maps.journey_vote(
        user=facilitator, workshop_id=journey_workshop.pk, activity_id=journey.pk
    )
    with pytest.raises(InvalidTransition, match="Révélez"):
        workshop_actions.agenda_goto(
            user=facilitator,
            workshop_id=journey_workshop.pk,
            activity_id=made.result["activity_id"],
        )
    assert not VoteItem.objects.exists()


def test_a_vote_on_a_journey_counts_its_irritants_not_its_clusters(
    facilitator, journey_workshop, journey
):
    from ateliers import agenda

    with pytest.raises(InvalidInput, match="irritants"):
        agenda.vote_activity_add(
            user=facilitator,
            workshop_id=journey_workshop.pk,
            title="Vote",
            source_id=journey.pk,
            vote_target="clusters",
        )
