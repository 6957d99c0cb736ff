"""The evidence figures of a workshop and of a challenge, checked against the rows of a
workshop seeded through the real actions (tests.factories.seed_evidence_workshop)."""

import json
from collections import Counter
from datetime import timedelta
from statistics import fmean, pstdev

import pytest
from django.db.models import Count
from django.utils import timezone

from ateliers import actions, agenda
from ateliers.decisions import decision_set
from ateliers.evidence import SCHEMA, challenge_evidence, results_document
from ateliers.models import Activity, Workshop
from participation import actions as participation_actions
from participation import voting
from participation.disclosure import protect_counts
from participation.models import (
    Contribution,
    ContributionStatus,
    Participant,
    Profile,
    Rating,
    Reaction,
    Vote,
)
from tests.factories import (
    ChallengeFactory,
    closed_workshop_with_results,
    seed_evidence_workshop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(facilitator):
    return seed_evidence_workshop(facilitator)


@pytest.fixture
def doc(seed):
    return results_document(seed.workshop)


def by_profile(rows: list[dict], key: str = "count") -> dict:
    return {row["profile"]: row[key] for row in rows}


def vote_of(doc: dict) -> dict:
    (vote,) = doc["outputs"]["votes"]
    return vote


def item_of(doc: dict, label: str) -> dict:
    return next(i for i in vote_of(doc)["items"] if i["label"] == label)


# Workshop facts ---------------------------------------------------------------------------


def test_the_document_is_versioned_json_with_the_workshop_facts(seed, doc):
    assert json.loads(json.dumps(doc)) == doc
    assert doc["schema"] == SCHEMA == "cocon.results/1"
    facts = doc["workshop"]
    assert facts["title"] == "Accueil en mairie"
    assert facts["challenge"]["title"] == seed.workshop.challenge.title
    assert facts["place"] == "Lille"
    assert (facts["mode"], facts["mode_label"]) == ("hybride", "Hybride")
    assert facts["closed_at"] is not None
    # Methods: one per kind of activity that produced something, then those tagged by hand.
    assert [(m["code"], m["label"]) for m in facts["methods"]] == [
        ("ideation", "Idéation"),
        ("vote", "Vote par points"),
        ("matrice", "Matrice impact × faisabilité"),
        ("personas", "Personas"),
    ]


def test_duration_runs_from_opening_to_closing(seed):
    opened = timezone.now() - timedelta(hours=3)
    Workshop.objects.filter(pk=seed.workshop.pk).update(
        opened_at=opened, closed_at=opened + timedelta(minutes=95, seconds=20)
    )
    seed.workshop.refresh_from_db()
    assert results_document(seed.workshop)["workshop"]["duration_minutes"] == 95


def test_a_workshop_not_yet_held_has_no_duration_and_no_method(workshop):
    doc = results_document(workshop)
    assert doc["workshop"]["duration_minutes"] is None
    assert doc["workshop"]["methods"] == []  # a board nobody wrote on is not a method used
    assert doc["participation"]["joined"] == 0
    assert doc["participation"]["both_present"] is False


# Participation ----------------------------------------------------------------------------


def test_people_by_profile_are_counted_from_the_rows_under_the_small_group_rule(seed, doc):
    part = doc["participation"]
    joined = Counter(
        Participant.objects.filter(workshop=seed.workshop).values_list("profile", flat=True)
    )
    assert part["joined"] == sum(joined.values()) == 10
    # "Non renseigné" is listed only when someone chose it (docs/privacy.md).
    given = [p for p in Profile.values if p != Profile.UNSPECIFIED]
    expected = protect_counts({p: joined.get(p, 0) for p in given})
    assert by_profile(part["by_profile"], "joined") == expected
    assert expected == {"usager": "<5", "agent": 6, "partenaire": 0, "elu": "<5", "autre": 0}
    # Took part: wrote a note (even one hidden later), gave a +1, voted or rated. Agent a6
    # and the elected official only joined.
    assert part["active"] == 8
    # Only one small group among the active (usagers): agents are hidden too, or 8 - 5
    # would give the usagers' number away.
    assert by_profile(part["by_profile"], "active") == {
        "usager": "<5",
        "agent": "hidden",
        "partenaire": 0,
        "elu": 0,
        "autre": 0,
    }
    assert part["agents_present"] and part["users_present"] and part["both_present"]


def test_organisations_and_territories_are_grouped_whatever_the_spelling(doc):
    organisations = doc["participation"]["organisations"]
    # "Mairie de Lille" in three spellings, "CAF du Nord" in two, and the Conseil
    # départemental: three organisations, each under five people, so none is named.
    assert organisations["count"] == 3
    assert organisations["items"] == []
    # Four people gave none ("<5"): the only small count beside one exact one, so that
    # one is hidden too, or 10 - 6 would give the four away.
    assert organisations["others"] == {"count": 3, "people": "hidden"}
    assert organisations["not_given"] == "<5"
    territories = doc["participation"]["territories"]
    assert territories["count"] == 3
    # "Lille" and "lille " are one territory of five: named. Roubaix (3) and Tourcoing
    # (1) are counted together, without their names.
    assert territories["items"] == [{"name": "Lille", "people": 5}]
    assert territories["others"] == {"count": 2, "people": "<5"}
    assert territories["not_given"] == "<5"


def test_organisations_under_five_people_are_never_named(facilitator):
    """Names of groups of fewer than five people appear nowhere in the document:
    "Mairie de X, 2 people" would point at the two who came."""
    doc = results_document(closed_workshop_with_results(facilitator))
    organisations = doc["participation"]["organisations"]
    # Five agents of the CAF: named. The elected official's council: counted, not named.
    # (Six usagers gave none; the CAF's five is hidden, or 12 - 6 - 5 would leave one.)
    assert organisations["count"] == 2
    assert organisations["items"] == [{"name": "CAF du Nord", "people": "hidden"}]
    assert organisations["others"] == {"count": 1, "people": "<5"}
    assert organisations["not_given"] == 6
    assert "Wattrelos" not in json.dumps(doc, ensure_ascii=False)


def test_agents_alone_are_not_both_present(live_workshop):
    for n in range(3):
        participation_actions.participant_join(
            workshop=live_workshop, device_token=f"agent-{n}", profile="agent"
        )
    part = results_document(live_workshop)["participation"]
    assert part["agents_present"] is True
    assert part["users_present"] is False
    assert part["both_present"] is False


# Boards -----------------------------------------------------------------------------------


def test_board_figures_equal_the_notes_without_the_hidden_ones(seed, doc):
    (board,) = doc["outputs"]["boards"]
    rows = Contribution.objects.filter(activity=seed.board)
    visible = rows.filter(status=ContributionStatus.VISIBLE)
    assert board["notes_count"] == visible.count() == 4
    assert board["hidden_notes_count"] == rows.filter(status="hidden").count() == 2
    assert {n["id"] for n in board["notes"]} == set(visible.values_list("pk", flat=True))
    assert {c["label"]: c["notes_count"] for c in board["columns"]} == {"Irritants": 3, "Idées": 1}
    text = json.dumps(doc, ensure_ascii=False)
    assert "Message insultant" not in text and "Prise de rendez-vous" not in text
    assert "Propos injurieux" not in text  # nor why it was hidden
    assert doc["outputs"]["totals"]["notes"] == 4
    assert doc["outputs"]["totals"]["hidden_notes"] == 2


def test_each_note_carries_its_column_cluster_reactions_and_author_profile(seed, doc):
    notes = {n["text"]: n for n in doc["outputs"]["boards"][0]["notes"]}
    papiers = notes["Trop de papiers à fournir"]
    assert papiers["column"] == "Irritants"
    assert papiers["cluster"] is None
    assert (
        papiers["reactions"] == Reaction.objects.filter(contribution=seed.notes["papiers"]).count()
    )
    assert papiers["reactions"] == 2
    assert papiers["author_profile"] == "agent"  # six agents took part: no one singled out
    # Three usagers only: the profile would point at the author, so it is withheld.
    assert notes["On ne sait pas qui appeler"]["author_profile"] is None
    assert notes["On ne sait pas qui appeler"]["cluster"] == "Accueil"
    assert notes["Horaires d'ouverture trop courts"]["cluster_id"] == seed.cluster.pk


def test_no_name_or_pseudonym_of_a_participant_is_in_the_document(seed, doc):
    text = json.dumps(doc, ensure_ascii=False)
    for person in Participant.objects.filter(workshop=seed.workshop):
        assert person.pseudonym and person.pseudonym not in text
        if person.display_name:
            assert person.display_name not in text
    assert "Camille Dupont" not in text


def test_a_cluster_counts_its_visible_notes_and_the_profiles_of_their_authors(doc):
    (cluster,) = doc["outputs"]["boards"][0]["clusters"]
    assert cluster["title"] == "Accueil"
    assert cluster["notes_count"] == 2
    # One agent and one usager wrote them: both small groups.
    assert by_profile(cluster["authors"]) == {"usager": "<5", "agent": "<5"}


def test_a_private_board_never_revealed_is_still_in_the_results(facilitator, live_workshop):
    made = agenda.activity_add(
        user=facilitator, workshop_id=live_workshop.pk, title="En privé", private=True
    )
    board_id = made.result["activity_id"]
    actions.agenda_goto(user=facilitator, workshop_id=live_workshop.pk, activity_id=board_id)
    person = participation_actions.participant_join(
        workshop=live_workshop, device_token="p", profile="usager"
    )
    participation_actions.contribution_create(
        participant=person, activity_id=board_id, body="Dit en confiance"
    )
    board = next(b for b in results_document(live_workshop)["outputs"]["boards"] if b["private"])
    assert board["revealed"] is False
    assert [n["text"] for n in board["notes"]] == ["Dit en confiance"]


# Votes and ratings -----------------------------------------------------------------------


def test_votes_are_ranked_by_points_equal_to_the_vote_rows(seed, doc):
    vote = vote_of(doc)
    rows = dict(Vote.objects.filter(activity=seed.vote).values_list("item").annotate(n=Count("id")))
    for item in vote["items"]:
        assert item["points"] == rows.get(item["id"], 0)
        assert item["voters"] == (
            Vote.objects.filter(item_id=item["id"]).values("participant").distinct().count()
        )
    assert [(i["label"], i["points"], i["rank"]) for i in vote["items"]] == [
        ("Trop de papiers à fournir", 5, 1),
        ("Horaires d'ouverture trop courts", 5, 1),  # a tie shares the rank
        ("Un guichet unique", 2, 3),
        ("On ne sait pas qui appeler", 0, 4),
    ]
    assert vote["points"] == Vote.objects.filter(activity=seed.vote).count() == 12
    assert vote["voters"] == 6
    # Its note was hidden after the vote: the item left the vote (and the document).
    assert vote["withdrawn_items"] == 1
    assert by_profile(vote["voters_by_profile"]) == {"usager": "<5", "agent": "<5"}


def test_the_profile_mix_of_points_is_shown_only_where_its_voters_are(facilitator, live_workshop):
    board = live_workshop.current_activity
    author = participation_actions.participant_join(
        workshop=live_workshop, device_token="author", profile="partenaire"
    )
    for body in ("Idée A", "Idée B"):
        participation_actions.contribution_create(
            participant=author, activity_id=board.pk, body=body
        )
    made = agenda.vote_activity_add(
        user=facilitator, workshop_id=live_workshop.pk, title="Vote", source_id=board.pk
    )
    vote = Activity.objects.get(pk=made.result["activity_id"])
    actions.agenda_goto(user=facilitator, workshop_id=live_workshop.pk, activity_id=vote.pk)
    a, b = vote.vote_items.order_by("position")

    def voters(profile: str, n: int) -> list[Participant]:
        return [
            participation_actions.participant_join(
                workshop=live_workshop, device_token=f"{profile}-{i}", profile=profile
            )
            for i in range(n)
        ]

    agents, users = voters("agent", 5), voters("usager", 6)
    for person in agents:
        voting.vote_add(participant=person, item_id=a.pk)
        voting.vote_add(participant=person, item_id=b.pk)
    for person in users[:5]:
        voting.vote_add(participant=person, item_id=a.pk)
        voting.vote_add(participant=person, item_id=a.pk)
    voting.vote_add(participant=users[5], item_id=b.pk)
    figures = {i["label"]: i for i in vote_of(results_document(live_workshop))["items"]}
    assert by_profile(figures["Idée A"]["voters_by_profile"]) == {"usager": 5, "agent": 5}
    assert by_profile(figures["Idée A"]["points_by_profile"]) == {"usager": 10, "agent": 5}
    assert figures["Idée A"]["points"] == 15
    # One usager on B: under five, and the agents hidden with it (complementary).
    assert by_profile(figures["Idée B"]["voters_by_profile"]) == {"usager": "<5", "agent": "hidden"}
    assert by_profile(figures["Idée B"]["points_by_profile"]) == {"usager": "<5", "agent": "hidden"}


def test_ratings_give_the_mean_and_spread_of_the_rows(seed, doc):
    (rating,) = doc["outputs"]["ratings"]
    assert (rating["axis_x"], rating["axis_y"]) == ("Impact", "Faisabilité")
    assert rating["raters"] == 3
    for item in rating["items"]:
        rows = list(Rating.objects.filter(item_id=item["id"]).values_list("x", "y"))
        assert item["n"] == len(rows)
        if rows:
            assert item["x_mean"] == round(fmean(x for x, _y in rows), 2)
            assert item["y_sd"] == round(pstdev([y for _x, y in rows]), 2)
        else:
            assert item["x_mean"] is None
    papiers = next(i for i in rating["items"] if i["label"] == "Trop de papiers à fournir")
    assert (papiers["x_mean"], papiers["y_mean"], papiers["x_sd"]) == (4.0, 3.0, 1.0)


def test_priority_pain_points_are_the_voted_notes_of_the_irritants_column(doc):
    pain = doc["outputs"]["priority_pain_points"]
    assert [(p["label"], p["points"], p["rank"]) for p in pain] == [
        ("Trop de papiers à fournir", 5, 1),
        ("Horaires d'ouverture trop courts", 5, 1),
    ]  # not the idea "Un guichet unique" (column Idées), not the unvoted pain point
    assert item_of(doc, "On ne sait pas qui appeler")["pain_point"] is True
    assert item_of(doc, "Un guichet unique")["pain_point"] is False


# Decisions and their trace ---------------------------------------------------------------


def test_a_decision_on_a_vote_item_traces_back_to_the_note_and_its_cluster(facilitator, seed):
    decision_set(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="vote_item",
        target_id=seed.items["horaires"].pk,
        status="retenu",
        destination="Horaires élargis le samedi (prototype v2)",
    )
    (decision,) = results_document(seed.workshop)["decisions"]
    assert decision["target"] == {"kind": "vote_item", "id": seed.items["horaires"].pk}
    assert (decision["status"], decision["status_label"]) == ("retenu", "Retenu")
    assert decision["destination"] == "Horaires élargis le samedi (prototype v2)"
    trace = decision["trace"]
    assert trace["note"]["text"] == "Horaires d'ouverture trop courts"
    assert trace["note"]["column"] == "Irritants"
    assert trace["note"]["board"] == "Irritants et idées"
    assert trace["cluster"]["title"] == "Accueil"
    assert [n["text"] for n in trace["cluster"]["notes"]] == [
        "Horaires d'ouverture trop courts",
        "On ne sait pas qui appeler",
    ]
    (item,) = trace["vote_items"]
    assert (item["label"], item["points"], item["rank"], item["voters"]) == (
        "Horaires d'ouverture trop courts",
        5,
        1,
        3,
    )


def test_a_decision_on_a_note_finds_the_votes_it_went_through(facilitator, seed):
    decision_set(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="contribution",
        target_id=seed.notes["guichet"].pk,
        status="ecarte",
        reason="Hors du périmètre de la mairie",
    )
    decision_set(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="cluster",
        target_id=seed.cluster.pk,
        status="a_explorer",
    )
    decisions = {d["target"]["kind"]: d for d in results_document(seed.workshop)["decisions"]}
    note = decisions["contribution"]
    assert note["reason"] == "Hors du périmètre de la mairie"
    assert note["trace"]["note"]["text"] == "Un guichet unique"
    assert note["trace"]["cluster"] is None
    # Through the dot vote and through the rating.
    assert sorted((i["vote"], i["points"]) for i in note["trace"]["vote_items"]) == [
        ("Matrice", None),
        ("Vote", 2),
    ]
    cluster = decisions["cluster"]
    assert cluster["trace"]["cluster"]["title"] == "Accueil"
    assert cluster["trace"]["note"] is None
    assert cluster["trace"]["vote_items"] == []  # the votes were on notes, not clusters


# A challenge across its workshops --------------------------------------------------------


def test_challenge_totals_add_up_rows_before_protecting_them(facilitator):
    challenge = ChallengeFactory(leads=[facilitator])
    first = seed_evidence_workshop(facilitator, challenge)
    second = seed_evidence_workshop(facilitator, challenge)
    decision_set(
        user=facilitator,
        workshop_id=first.workshop.pk,
        target_kind="vote_item",
        target_id=first.items["papiers"].pk,
        status="retenu",
    )
    evidence = challenge_evidence(challenge)
    assert evidence["schema"] == "cocon.challenge-evidence/1"
    assert [w["id"] for w in evidence["workshops"]] == [first.workshop.pk, second.workshop.pk]
    for summary in evidence["workshops"]:
        assert by_profile(summary["participation"]["by_profile"], "active")["usager"] == "<5"
        assert summary["notes"] == 4 and summary["points"] == 12 and summary["voters"] == 6
    totals = evidence["totals"]
    assert totals["workshops"] == 2
    part = totals["participation"]
    assert part["joined"] == 20 and part["active"] == 16
    # 3 + 3 usagers took part: six, shown, though each workshop alone shows "<5".
    assert by_profile(part["by_profile"], "active") == {
        "usager": 6,
        "agent": 10,
        "partenaire": 0,
        "elu": 0,
        "autre": 0,
    }
    # Joined: two elected officials ("<5"), so the next smallest group is hidden too.
    assert by_profile(part["by_profile"], "joined") == {
        "usager": "hidden",
        "agent": 12,
        "partenaire": 0,
        "elu": "<5",
        "autre": 0,
    }
    assert part["organisations"]["count"] == 3  # the same three, not six
    assert {o["name"]: o["people"] for o in part["organisations"]["items"]}["Mairie de Lille"] == 6
    assert [m["code"] for m in totals["methods"]] == ["ideation", "vote", "matrice", "personas"]
    assert totals["notes"] == 8 and totals["hidden_notes"] == 4 and totals["points"] == 24
    assert {d["status"]: d["count"] for d in totals["decisions"]} == {
        "retenu": 1,
        "a_explorer": 0,
        "ecarte": 0,
    }


def test_the_figures_take_a_fixed_number_of_queries(
    facilitator, seed, django_assert_max_num_queries
):
    workshop = Workshop.objects.select_related("challenge").get(pk=seed.workshop.pk)
    with django_assert_max_num_queries(12):
        results_document(workshop)
    challenge = seed.workshop.challenge
    seed_evidence_workshop(facilitator, challenge)
    with django_assert_max_num_queries(10):
        challenge_evidence(challenge)
