"""The big screen of a journey map in a real browser (1600×900), driven by the
facilitator: persona and scenario in the header, stages as columns and lanes as rows
(the irritants marked), an honest empty map; cards and ratings posted by phones (through
the actions) appear without a reload; the emotion curve's text equivalent gives the mean
and spread of a stage; "Par profil" draws usager·es against agent·es once both are at
least 5, and says "moins de 5" before; the paired to-be map is in the legend; a card
moved to another cell with the keyboard dialog, another dragged onto a cell, two merged
into a cluster by dropping one on the other; a card spotlit with its stage and lane;
"Voter sur les irritants" adds the vote after the map; a closed map can still be tidied.
Axe runs on each state."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import Locator, Page, expect

from ateliers import actions, agenda, journey_maps
from ateliers.models import Activity, ActivityKind
from participation.actions import contribution_create, participant_join
from participation.journeys import feeling_set, publish_curve
from participation.models import Cluster, Contribution, StageFeeling
from tests.e2e.helpers import assert_accessible, logged_in, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MINUS = "\u2212"
FORM_CRASH = "Le formulaire plante à la dernière page"
NO_NEWS = "Aucune nouvelle pendant trois semaines"
CALLS = "Appelle trois fois le standard"
SAME_WAIT = "Personne ne répond au téléphone"


@pytest.fixture
def workshop():
    """A "Parcours usager" workshop without its ready-made vote (the screen's button adds
    one), a to-be map paired with the as-is one, started; people of three profiles: 6
    usager·es, 5 partenaires, 5 agent·es (3 rate first)."""
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user,
        challenge=ChallengeFactory(leads=[user]),
        title="Atelier crèches",
        template="parcours",
    )
    journey, vote = workshop.activities.order_by("position")
    agenda.activity_delete(user=user, workshop_id=workshop.pk, activity_id=vote.pk)
    journey_maps.journey_update(
        user=user,
        workshop_id=workshop.pk,
        activity_id=journey.pk,
        title="Parcours actuel",
        prompt="Comment se passe une demande de place en crèche ?",
        stages=["Découvrir", "Demander", "Attendre"],
        lanes=journey.lanes,
        persona="Une mère isolée",
        scenario="Obtenir une place en crèche",
        horizon="as_is",
        pair_id=None,
        private=False,
        identity="anonymous",
        max_notes=30,
    )
    journey_maps.journey_add(
        user=user,
        workshop_id=workshop.pk,
        title="Parcours souhaité",
        stages=["Découvrir", "Demander", "Attendre"],
        horizon="to_be",
        pair_id=journey.pk,
    )
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
    journey.refresh_from_db()
    people = {
        profile: [
            on_server(
                participant_join,
                workshop=workshop,
                device_token=f"{profile}-{n}",
                profile=profile,
            )
            for n in range(count)
        ]
        for profile, count in [("usager", 6), ("partenaire", 5), ("agent", 5)]
    }
    stages = [stage["key"] for stage in journey.columns]
    lanes = {lane["kind"]: lane["key"] for lane in journey.lanes}
    workshop.extra = {
        "user": user,
        "journey": journey,
        "people": people,
        "stages": stages,
        "lanes": lanes,
    }
    return workshop


def rate(people: dict, stage: str, journey_id: int, plan: dict[str, list[int]]) -> None:
    """Each profile's first people rate `stage` with the values of `plan`, in order."""
    for profile, values in plan.items():
        for participant, value in zip(people[profile], values, strict=False):
            feeling_set(participant=participant, activity_id=journey_id, stage=stage, value=value)


def rate_paired(people: list, stage_label: str, value: int) -> None:
    """Ratings of the to-be map (pending: no phone can rate it now), and its curve."""
    to_be = Activity.objects.get(title="Parcours souhaité")
    stage = next(s["key"] for s in to_be.columns if s["label"] == stage_label)
    for participant in people:
        StageFeeling.objects.create(
            activity=to_be, participant=participant, stage=stage, value=value
        )
    with transaction.atomic():
        publish_curve(to_be)


def cell(page: Page, stage: str, lane: str) -> Locator:
    return page.locator(f"td[data-stage='{stage}'][data-lane='{lane}']")


def values_row(page: Page, stage: str) -> Locator:
    """The curve's text equivalent, one stage."""
    return page.locator(f"[data-bind=curve-values] tr[data-stage='{stage}']")


def test_the_big_screen_maps_the_journey_live_and_the_facilitator_reshapes_it(
    live_url, browser, workshop
):
    extra = workshop.extra
    journey, people = extra["journey"], extra["people"]
    first, second, third = extra["stages"]
    actions_lane, pains = extra["lanes"]["actions"], extra["lanes"]["pain_points"]
    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1600, "height": 900},
    )
    screen.on("dialog", lambda dialog: dialog.accept())
    journey_box = screen.locator("[data-bind=journey]")

    # The frame: who travels toward what goal, the stages as columns, the lanes as rows.
    expect(journey_box).to_be_visible()
    expect(screen.locator("[data-bind=journey-frame]")).to_have_text(
        "Qui : Une mère isolée · Objectif : Obtenir une place en crèche"
    )
    expect(journey_box.locator("[data-bind=journey-horizon]")).to_have_text("Parcours actuel")
    grid = journey_box.locator("table.cocon-journey__map")
    expect(grid.get_by_role("columnheader")).to_have_text(
        [re.compile(r"^Découvrir"), re.compile(r"^Demander"), re.compile(r"^Attendre")]
    )
    expect(grid.get_by_role("rowheader")).to_have_count(5)
    expect(journey_box.locator("tr.cocon-journey__lane--pain th")).to_have_text("Irritants")
    # Honest when empty: no card, nobody rated.
    expect(journey_box.get_by_text("Aucune carte pour l'instant")).to_be_visible()
    expect(journey_box.get_by_text("Personne n'a encore donné son ressenti")).to_be_visible()
    expect(journey_box.get_by_role("button", name="Par profil")).to_be_hidden()
    expect(values_row(screen, first).locator("[data-value=mean]")).to_have_text(
        "pas encore de ressenti"
    )
    # The paired to-be map is announced in the legend.
    expect(journey_box.locator("[data-bind=curve-legend]")).to_contain_text("Parcours actuel")
    expect(journey_box.locator("[data-bind=curve-legend]")).to_contain_text("Parcours souhaité")
    assert_accessible(screen)

    # Phones add cards: they appear in their cells, no reload.
    for participant, body, stage, lane in [
        (people["usager"][0], FORM_CRASH, first, pains),
        (people["usager"][1], NO_NEWS, second, actions_lane),
        (people["agent"][0], CALLS, first, actions_lane),
        (people["partenaire"][0], SAME_WAIT, third, pains),
    ]:
        on_server(
            contribution_create,
            participant=participant,
            activity_id=journey.pk,
            body=body,
            column=stage,
            lane=lane,
        )
    expect(cell(screen, first, pains)).to_contain_text(FORM_CRASH)
    expect(cell(screen, second, actions_lane)).to_contain_text(NO_NEWS)
    expect(cell(screen, third, pains)).to_contain_text(SAME_WAIT)
    expect(journey_box.get_by_text("Aucune carte pour l'instant")).to_be_hidden()
    expect(screen.locator("[data-bind=count]")).to_have_text("4 cartes")

    # Ratings of stage 1 by 14 people: 6 usager·es (−2 −2 −2 −1 −1 −1), 5 partenaires
    # (0 × 5), 3 agent·es (1 1 0). Mean −7/14 = −0,50; population sd √(13,5/14) = 0,98.
    # Stage 2 by the usager·es only: 1 1 1 2 2 2, mean 1,5, sd 0,5.
    on_server(
        rate,
        people=people,
        stage=first,
        journey_id=journey.pk,
        plan={"usager": [-2, -2, -2, -1, -1, -1], "partenaire": [0] * 5, "agent": [1, 1, 0]},
    )
    on_server(
        rate,
        people=people,
        stage=second,
        journey_id=journey.pk,
        plan={"usager": [1, 1, 1, 2, 2, 2]},
    )
    expect(journey_box.get_by_text("14 personnes ont donné leur ressenti")).to_be_visible()
    expect(values_row(screen, first).locator("[data-value=mean]")).to_have_text(
        f"{MINUS}0,50 ± 0,98"
    )
    expect(values_row(screen, first).locator("td").first).to_have_text("14")
    expect(values_row(screen, first)).to_contain_text(
        f"{MINUS}2 : 3, {MINUS}1 : 3, 0 : 6, +1 : 2, +2 : 0"
    )
    expect(values_row(screen, second).locator("[data-value=mean]")).to_have_text("+1,50 ± 0,50")
    expect(values_row(screen, third).locator("[data-value=mean]")).to_have_text(
        "pas encore de ressenti"
    )
    chart = journey_box.locator("svg.cocon-curve__svg")
    expect(chart).to_have_attribute("data-rated", "2")
    expect(chart.locator(".cocon-curve__value")).to_have_text([f"{MINUS}0,5", "+1,5"])
    expect(chart.locator(".cocon-curve__band")).to_have_count(1)
    # The to-be map nobody rated yet: its column says so.
    expect(values_row(screen, first).locator("[data-value=paired]")).to_have_text(
        "pas encore de ressenti"
    )
    expect(chart.locator(".cocon-curve__line--paired .cocon-curve__point")).to_have_count(0)
    # Once it has ratings (written here as they were when it was open), its curve is
    # drawn dashed, stage matched to stage by name: "Demander" rated +1 by 5 usager·es.
    on_server(rate_paired, people=people["usager"][:5], stage_label="Demander", value=1)
    expect(values_row(screen, second).locator("[data-value=paired]")).to_have_text("+1,00 ± 0,00")
    expect(values_row(screen, first).locator("[data-value=paired]")).to_have_text(
        "pas encore de ressenti"
    )
    expect(chart.locator(".cocon-curve__line--paired .cocon-curve__point")).to_have_count(1)

    # By profile: the usager·es drawn; 3 agent·es are "moins de 5".
    journey_box.get_by_role("button", name="Par profil").click()
    legend = journey_box.locator("[data-bind=curve-legend]")
    expect(legend.locator("[data-profile=usager]")).to_have_text("Usager·es : 6 personnes")
    expect(legend.locator("[data-profile=agent]")).to_have_text("Agent·es : moins de 5 personnes")
    expect(chart.locator("g[data-profile=usager] path")).to_have_count(1)
    expect(chart.locator("g[data-profile=agent]")).to_have_count(0)
    expect(values_row(screen, first).locator("[data-profile=usager]")).to_have_text(
        f"{MINUS}1,50 ± 0,50 (6 personnes)"
    )
    expect(values_row(screen, first).locator("[data-profile=agent]")).to_have_count(0)
    assert_accessible(screen)

    # Two more agent·es (1, 2): five of them, 1 1 0 1 2, mean 1, sd √(2/5) = 0,63.
    on_server(
        lambda: [
            feeling_set(participant=p, activity_id=journey.pk, stage=first, value=v)
            for p, v in zip(people["agent"][3:], [1, 2], strict=True)
        ]
    )
    expect(legend.locator("[data-profile=agent]")).to_have_text("Agent·es : 5 personnes")
    expect(chart.locator("g[data-profile=agent] .cocon-curve__point")).to_have_count(1)
    expect(values_row(screen, first).locator("[data-profile=agent]")).to_have_text(
        "+1,00 ± 0,63 (5 personnes)"
    )
    expect(values_row(screen, first).locator("[data-profile=usager]")).to_have_text(
        f"{MINUS}1,50 ± 0,50 (6 personnes)"
    )
    journey_box.get_by_role("button", name="Tous").click()
    expect(values_row(screen, first).locator("td").first).to_have_text("16")

    # Move a card with the keyboard: its "Déplacer" dialog, stage and lane selects.
    no_news = journey_box.locator("li", has_text=NO_NEWS)
    no_news.get_by_role("button", name=NO_NEWS).focus()
    screen.keyboard.press("m")
    dialog = screen.get_by_role("dialog", name="Déplacer la carte")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Étape")).to_be_focused()
    dialog.get_by_label("Étape").select_option(label="Attendre")
    dialog.get_by_label("Ligne").select_option(label="Irritants")
    assert_accessible(screen)
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(dialog).to_be_hidden()
    expect(cell(screen, third, pains)).to_contain_text(NO_NEWS)
    expect(cell(screen, second, actions_lane)).not_to_contain_text(NO_NEWS)
    card = on_server(lambda: Contribution.objects.get(body=NO_NEWS))
    assert (card.column, card.lane) == (third, pains)

    # Drag a card onto another cell.
    journey_box.get_by_role("button", name=CALLS).drag_to(cell(screen, second, actions_lane))
    expect(cell(screen, second, actions_lane)).to_contain_text(CALLS)
    expect(cell(screen, first, actions_lane)).not_to_contain_text(CALLS)

    # Merge: drop a card on another, name the cluster; both end in it, in its cell.
    journey_box.get_by_role("button", name=SAME_WAIT).drag_to(
        journey_box.get_by_role("button", name=NO_NEWS)
    )
    cluster_dialog = screen.get_by_role("dialog", name="Nouveau regroupement")
    expect(cluster_dialog).to_contain_text("Les deux cartes y seront placées.")
    cluster_dialog.get_by_label("Titre du regroupement").fill("Silence radio")
    cluster_dialog.get_by_role("button", name="Créer le regroupement").click()
    group = cell(screen, third, pains).locator(".cocon-journey__group--cluster")
    expect(group.locator(".cocon-journey__cluster-title")).to_have_text("Silence radio")
    expect(group.locator("li")).to_have_count(2)
    cluster = on_server(lambda: Cluster.objects.get(title="Silence radio"))
    assert set(cluster.contributions.values_list("body", flat=True)) == {NO_NEWS, SAME_WAIT}

    # Spotlight: the card in large type, with where it sits on the map.
    journey_box.get_by_role("button", name=FORM_CRASH).click()
    spotlight = screen.get_by_role("dialog", name="Contribution mise en avant")
    expect(spotlight).to_contain_text(FORM_CRASH)
    expect(spotlight).to_contain_text("Découvrir · Irritants")
    spotlight.get_by_role("button", name="Fermer").click()
    expect(spotlight).to_be_hidden()

    # The irritants to a dot vote, right after the map.
    expect(journey_box.get_by_text("3 irritants sur la carte")).to_be_visible()
    journey_box.get_by_role("button", name="Voter sur les irritants").click()
    strip = screen.locator("[data-bind=agenda] li")
    expect(strip).to_have_text(
        [
            re.compile(r"Parcours actuel"),
            re.compile(r"Irritants prioritaires"),
            re.compile(r"Parcours souhaité"),
        ]
    )
    expect(journey_box.get_by_role("status")).to_have_text(
        "Un vote sur les irritants a été ajouté juste après le parcours."
    )
    expect(
        journey_box.get_by_role("button", name="Aller au vote sur les irritants")
    ).to_be_visible()
    vote = on_server(lambda: Activity.objects.get(kind=ActivityKind.VOTE))
    assert vote.source_id == journey.pk

    # Closed: no new card or rating, but the facilitator may still tidy the map.
    screen.get_by_role("button", name="Fermer les contributions").click()
    expect(journey_box.get_by_text("Parcours clos : plus de nouvelles cartes")).to_be_visible()
    expect(cell(screen, second, actions_lane)).to_contain_text(CALLS)
    expect(journey_box.get_by_role("button", name=CALLS)).to_have_attribute("draggable", "true")
    assert_accessible(screen)


def test_a_private_map_shows_only_counts_until_revealed_and_a_closed_workshop_freezes_it(
    live_url, browser
):
    """Private: the room sees how many cards each stage received, never a card nor a
    figure of the curve, until the facilitator reveals it. Once the workshop is closed,
    the map stays on screen and nothing on it acts any more."""
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user,
        challenge=ChallengeFactory(leads=[user]),
        title="Atelier privé",
        template="parcours",
    )
    journey = workshop.activities.order_by("position").first()
    journey_maps.journey_update(
        user=user,
        workshop_id=workshop.pk,
        activity_id=journey.pk,
        title=journey.title,
        prompt=journey.prompt,
        stages=[stage["label"] for stage in journey.columns],
        lanes=journey.lanes,
        persona=journey.persona,
        scenario=journey.scenario,
        horizon="as_is",
        pair_id=None,
        private=True,
        identity="anonymous",
        max_notes=30,
    )
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
    journey.refresh_from_db()
    first = journey.columns[0]
    pains = next(lane["key"] for lane in journey.lanes if lane["kind"] == "pain_points")
    person = on_server(participant_join, workshop=workshop, device_token="u-1", profile="usager")
    on_server(
        contribution_create,
        participant=person,
        activity_id=journey.pk,
        body=FORM_CRASH,
        column=first["key"],
        lane=pains,
    )
    on_server(feeling_set, participant=person, activity_id=journey.pk, stage=first["key"], value=-2)

    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1600, "height": 900},
    )
    screen.on("dialog", lambda dialog: dialog.accept())  # reveal and close ask first
    private = screen.locator("[data-bind=private]")
    expect(private).to_contain_text("1 contribution reçue")
    expect(private).to_contain_text(f"{first['label']} : 1")
    expect(screen.locator("[data-bind=journey]")).to_be_hidden()
    expect(screen.locator("#live")).not_to_contain_text(FORM_CRASH)
    assert screen.locator("[data-bind=curve-values]").count() == 0
    assert_accessible(screen)

    private.get_by_role("button", name="Révéler les contributions").click()
    journey_box = screen.locator("[data-bind=journey]")
    expect(cell(screen, first["key"], pains)).to_contain_text(FORM_CRASH)
    expect(values_row(screen, first["key"]).locator("[data-value=mean]")).to_have_text(
        f"{MINUS}2,00 ± 0,00"
    )

    screen.get_by_role("button", name="Clôturer l'atelier").click()
    expect(screen.get_by_text("Atelier clôturé")).to_be_visible()
    expect(cell(screen, first["key"], pains)).to_contain_text(FORM_CRASH)
    card = journey_box.get_by_role("button", name=FORM_CRASH)
    expect(card).to_have_attribute("draggable", "false")
    expect(journey_box.get_by_role("button", name="Déplacer")).to_have_count(0)
    expect(journey_box.get_by_role("button", name="Voter sur les irritants")).to_be_hidden()
    card.click()
    expect(screen.get_by_role("dialog", name="Contribution mise en avant")).to_be_hidden()
    card.focus()
    screen.keyboard.press("m")
    expect(screen.get_by_role("dialog", name="Déplacer la carte")).to_be_hidden()
    assert_accessible(screen)
