"""A journey map in the evidence figures: cards cell by cell, the emotion curve by
profile, the priority irritants and the methods, checked against the rows of a workshop
seeded through the real actions (tests.journey_seed); hidden cards and a private map
never revealed give counts, never text."""

import json
from collections import Counter, defaultdict
from statistics import fmean, pstdev

import pytest
from django.db.models import Count

from ateliers import actions
from ateliers.decisions import decision_set
from ateliers.evidence import challenge_evidence, journey_document, results_document
from ateliers.models import Workshop
from participation import actions as participation_actions
from participation import journeys
from participation.models import Contribution, ContributionStatus, StageFeeling, Vote
from tests.factories import seed_evidence_workshop
from tests.journey_seed import HIDDEN_TEXT, PRIVATE_TEXT, seed_journey_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(facilitator):
    return seed_journey_workshop(facilitator)


@pytest.fixture
def doc(seed):
    return results_document(seed.workshop)


def entry_of(doc: dict, activity_id: int) -> dict:
    return next(j for j in doc["outputs"]["journeys"] if j["activity_id"] == activity_id)


# Methods and totals --------------------------------------------------------------------------


def test_a_map_that_produced_something_adds_the_journey_method(seed, doc):
    assert [m["code"] for m in doc["workshop"]["methods"]] == ["vote", "parcours"]
    assert doc["workshop"]["methods"][1]["label"] == "Cartographie du parcours usager"
    totals = doc["outputs"]["totals"]
    assert totals["journeys"] == 2
    assert (
        totals["cards"]
        == Contribution.objects.filter(
            activity__workshop=seed.workshop, status=ContributionStatus.VISIBLE
        ).count()
    )
    assert totals["hidden_cards"] == 1
    assert totals["stage_ratings"] == StageFeeling.objects.count() == 35
    assert totals["notes"] == 0  # cards are not board notes


def test_an_unused_map_is_no_method_but_a_rating_alone_is(facilitator, challenge):
    workshop = actions.workshop_create(
        user=facilitator, challenge=challenge, title="Parcours", template="parcours"
    )
    actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    assert results_document(workshop)["workshop"]["methods"] == []
    journey = workshop.activities.order_by("position").first()
    person = participation_actions.participant_join(
        workshop=workshop, device_token="t", profile="usager"
    )
    journeys.feeling_set(
        participant=person, activity_id=journey.pk, stage=journey.columns[0]["key"], value=-1
    )
    doc = results_document(workshop)
    assert [m["code"] for m in doc["workshop"]["methods"]] == ["parcours"]
    assert doc["outputs"]["totals"]["journeys"] == 1
    # Saying how a stage felt is taking part.
    assert doc["participation"]["active"] == 1


def test_someone_who_only_rated_stages_is_active(seed, doc):
    # 14 joined; the second partner did nothing; three people only rated stages.
    assert doc["participation"]["joined"] == 14
    assert doc["participation"]["active"] == 13


# The map -------------------------------------------------------------------------------------


def test_the_frame_stages_and_lanes_are_the_map_as_set_up(seed, doc):
    journey = entry_of(doc, seed.journey.pk)
    assert journey["title"] == seed.journey.title
    assert (journey["persona"], journey["scenario"]) == (
        seed.journey.persona,
        seed.journey.scenario,
    )
    assert (journey["horizon"], journey["pair_id"]) == ("as_is", None)
    assert [(s["key"], s["label"]) for s in journey["stages"]] == [
        (c["key"], c["label"]) for c in seed.journey.columns
    ]
    assert [
        (lane["key"], lane["label"], lane["kind"], lane["enabled"]) for lane in journey["lanes"]
    ] == [
        (lane["key"], lane["label"], lane["kind"], lane["enabled"]) for lane in seed.journey.lanes
    ]
    to_be = entry_of(doc, seed.private_map.pk)
    assert (to_be["horizon"], to_be["pair_id"], to_be["pair_title"]) == (
        "to_be",
        seed.journey.pk,
        seed.journey.title,
    )


def test_cards_per_cell_equal_the_visible_rows(seed, doc):
    journey = entry_of(doc, seed.journey.pk)
    rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, column, lane in (
        Contribution.objects.filter(activity=seed.journey, status=ContributionStatus.VISIBLE)
        .order_by("created_at", "pk")
        .values_list("pk", "column", "lane")
    ):
        rows[column, lane].append(pk)
    cells = {(c["stage"], c["lane"]): c for c in journey["cells"]}
    # Every cell of the grid is there, lane by lane, each stage in order.
    assert list(cells) == [
        (stage["key"], lane["key"]) for lane in seed.journey.lanes for stage in seed.journey.columns
    ]
    for key, cell in cells.items():
        assert [card["id"] for card in cell["cards"]] == rows.get(key, [])
        assert cell["cards_count"] == len(rows.get(key, []))
        assert all((card["stage"], card["lane"]) == key for card in cell["cards"])
    assert journey["cards_count"] == sum(len(ids) for ids in rows.values()) == 9
    assert journey["hidden_cards_count"] == 1
    pains = cells[seed.stage(2), seed.lane("pain_points")]["cards"]
    assert [(c["text"], c["cluster"]) for c in pains[:2]] == [
        ("Trop de pièces justificatives", "Démarches trop lourdes"),
        ("Formulaire illisible", "Démarches trop lourdes"),
    ]
    lanes = {lane["key"]: lane["cards_count"] for lane in journey["lanes"]}
    assert lanes[seed.lane("pain_points")] == 5
    assert [s["cards_count"] for s in journey["stages"]] == [2, 1, 3, 2, 1]
    (cluster,) = journey["clusters"]
    assert (cluster["title"], cluster["notes_count"]) == ("Démarches trop lourdes", 2)


def test_hidden_cards_and_a_private_map_never_revealed_give_no_text(seed, doc):
    text = json.dumps(doc, ensure_ascii=False)
    assert HIDDEN_TEXT not in text and "Propos injurieux" not in text
    assert PRIVATE_TEXT not in text
    private = entry_of(doc, seed.private_map.pk)
    assert private["private"] and not private["revealed"] and private["texts_withheld"]
    assert private["cards_count"] == 1  # counted
    (cell,) = [c for c in private["cells"] if c["cards_count"]]
    assert cell["cards"] == [] and private["clusters"] == []
    assert private["curve"]["raters"] == 1  # figures, not text, are kept
    assert entry_of(doc, seed.journey.pk)["texts_withheld"] is False


# The emotion curve ---------------------------------------------------------------------------


def test_the_curve_equals_the_ratings_stage_by_stage(seed, doc):
    curve = entry_of(doc, seed.journey.pk)["curve"]
    assert curve["raters"] == (
        StageFeeling.objects.filter(activity=seed.journey).values("participant").distinct().count()
    )
    for n, stage in enumerate(curve["stages"]):
        values = list(
            StageFeeling.objects.filter(activity=seed.journey, stage=seed.stage(n)).values_list(
                "value", flat=True
            )
        )
        assert (stage["stage"], stage["label"]) == (
            seed.stage(n),
            seed.journey.columns[n]["label"],
        )
        assert stage["n"] == len(values)
        counts = Counter(values)
        assert stage["counts"] == [counts[v] for v in (-2, -1, 0, 1, 2)]
        if values:
            assert stage["mean"] == round(fmean(values), 2)
            assert stage["sd"] == round(pstdev(values), 2)
        else:
            assert stage["mean"] is None and stage["sd"] is None
    assert [s["mean"] for s in curve["stages"]] == [-0.23, -0.55, -1.38, 1.5, None]


def test_the_curve_by_profile_follows_the_small_group_rule(seed, doc):
    curve = entry_of(doc, seed.journey.pk)["curve"]
    by_profile = {p["profile"]: p for p in curve["by_profile"]}
    assert list(by_profile) == ["usager", "agent", "partenaire", "elu"]  # profile order
    usagers, agents = by_profile["usager"], by_profile["agent"]
    assert (usagers["raters"], agents["raters"]) == (6, 5)
    rows = StageFeeling.objects.filter(activity=seed.journey, participant__profile="usager")
    first = list(rows.filter(stage=seed.stage(0)).values_list("value", flat=True))
    assert usagers["stages"][0]["n"] == 6
    assert usagers["stages"][0]["mean"] == round(fmean(first), 2) == -1.33
    # Three usagers rated "Faire la démarche": their mean would be their answers.
    third = usagers["stages"][2]
    assert (third["n"], third["mean"], third["sd"], third["counts"]) == ("<5", None, None, None)
    assert agents["stages"][2]["mean"] == -1.0 and agents["stages"][2]["n"] == 5
    # One elected official and one partner rated: both small groups, no curve at all.
    for small in ("elu", "partenaire"):
        assert (by_profile[small]["raters"], by_profile[small]["stages"]) == ("<5", None)


# Priority irritants --------------------------------------------------------------------------


def test_priority_irritants_are_the_ranked_items_of_the_vote_on_the_map(seed, doc):
    irritants = entry_of(doc, seed.journey.pk)["priority_irritants"]
    points = dict(
        Vote.objects.filter(activity=seed.vote).values_list("item").annotate(n=Count("id"))
    )
    assert [(i["label"], i["points"], i["rank"]) for i in irritants] == [
        ("Faire la démarche — Trop de pièces justificatives", 5, 1),
        ("Faire la démarche — Formulaire illisible", 3, 2),
        ("Découvrir le besoin — Site introuvable", 1, 3),
        ("Attendre et suivre — Aucune nouvelle du dossier", 1, 3),  # a tie shares the rank
    ]  # the unvoted irritant (the formula card) is not a priority
    for irritant in irritants:
        assert irritant["points"] == points[irritant["item_id"]]
        assert irritant["vote_activity_id"] == seed.vote.pk
        card = Contribution.objects.get(pk=irritant["card_id"])
        assert (irritant["stage"], irritant["lane"]) == (card.column, card.lane)
    # Ranked as the vote itself is.
    (vote,) = doc["outputs"]["votes"]
    ranked = {i["id"]: i["rank"] for i in vote["items"]}
    assert all(ranked[i["item_id"]] == i["rank"] for i in irritants)
    # A journey's pain-point lane feeds the workshop's priority pain points too.
    assert [p["item_id"] for p in doc["outputs"]["priority_pain_points"]] == [
        i["item_id"] for i in irritants
    ]
    assert all(item["pain_point"] for item in vote["items"])
    assert entry_of(doc, seed.private_map.pk)["priority_irritants"] == []


# Decisions -----------------------------------------------------------------------------------


def test_a_decision_on_a_card_traces_its_stage_lane_cluster_and_vote(facilitator, seed):
    card = seed.cards["Trop de pièces justificatives"]
    decision_set(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="contribution",
        target_id=card.pk,
        status="retenu",
        destination="Liste unique de pièces (prototype v1)",
    )
    (decision,) = results_document(seed.workshop)["decisions"]
    note = decision["trace"]["note"]
    assert (note["text"], note["column"], note["lane"]) == (
        "Trop de pièces justificatives",
        "Faire la démarche",
        "Irritants",
    )
    assert (note["board"], note["board_kind"]) == (seed.journey.title, "journey")
    assert decision["trace"]["cluster"]["title"] == "Démarches trop lourdes"
    (item,) = decision["trace"]["vote_items"]
    assert (item["vote"], item["points"], item["rank"]) == ("Irritants prioritaires", 5, 1)


def test_a_decision_on_a_card_of_a_private_map_never_revealed_keeps_its_text_out(facilitator, seed):
    decision_set(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="contribution",
        target_id=seed.cards[PRIVATE_TEXT].pk,
        status="a_explorer",
    )
    doc = results_document(seed.workshop)
    (decision,) = doc["decisions"]
    assert decision["trace"]["note"]["text"] is None
    assert decision["trace"]["note"]["hidden"] is False
    assert PRIVATE_TEXT not in json.dumps(doc, ensure_ascii=False)


# The map alone, and a challenge --------------------------------------------------------------


def test_the_maps_own_document_is_its_entry_in_the_results(seed, doc):
    for journey in (seed.journey, seed.private_map):
        assert journey_document(journey) == entry_of(doc, journey.pk)


def test_challenge_totals_count_maps_and_cards_apart_from_notes(facilitator, seed):
    challenge = seed.workshop.challenge
    seed_evidence_workshop(facilitator, challenge)
    evidence = challenge_evidence(challenge)
    mapped, boards = evidence["workshops"]
    assert (mapped["journeys"], mapped["cards"], mapped["hidden_cards"]) == (2, 10, 1)
    assert (mapped["notes"], mapped["hidden_notes"]) == (0, 0)
    assert (boards["journeys"], boards["cards"], boards["notes"]) == (0, 0, 4)
    totals = evidence["totals"]
    assert (totals["journeys"], totals["cards"], totals["hidden_cards"]) == (2, 10, 1)
    assert totals["notes"] == 4
    assert "parcours" in [m["code"] for m in totals["methods"]]
    assert [m["code"] for m in mapped["methods"]] == ["vote", "parcours"]


def test_maps_add_no_query_per_map(facilitator, seed, django_assert_max_num_queries):
    workshop = Workshop.objects.select_related("challenge").get(pk=seed.workshop.pk)
    with django_assert_max_num_queries(12):
        results_document(workshop)
    with django_assert_max_num_queries(12):
        journey_document(seed.journey)
