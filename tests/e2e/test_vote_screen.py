"""The facilitator's side of a vote in a real browser, big screen and moderation page
open at once: the shortlist chosen on the tablet while the vote is still pending; the
big screen showing only the number of voters while the results are hidden (never a
count); the reveal from the big screen, the ranking in order with its counts, the split
by profile under the small-group rule; the close from the tablet ("Résultats
définitifs"); then a two-axis rating drawn as a matrix. Votes and ratings are cast
server-side (the phone has its own tests). axe on both pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from ateliers import actions, agenda
from participation.actions import contribution_create, participant_join
from participation.models import VoteItem
from participation.voting import rating_set, vote_add
from tests.e2e.helpers import assert_accessible, logged_in, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOTES = [
    ("Un seul guichet pour tout", "c2"),
    ("Formulaire en ligne illisible", "c1"),
    ("Rendez-vous trop lointains", "c1"),
    ("Note laissée hors du vote", "c2"),
]
SHORTLIST = [body for body, _ in NOTES[:3]]
GUICHET, FORMULAIRE, RENDEZ_VOUS = SHORTLIST


@pytest.fixture
def workshop():
    """A live "Idéation + vote" workshop on its board, with four notes, and people of
    three profiles: 6 usager·es, 5 partenaires, 2 agent·es. (With only usager·es and a
    small group of agent·es, the small-group rule would also mask the usager·es: a
    single small group among several hides the next smallest; here it hides the
    partenaires.)"""
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user,
        challenge=ChallengeFactory(leads=[user]),
        title="Atelier accueil",
        template="ideation_vote",
    )
    board, vote = workshop.activities.order_by("position")
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
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
        for profile, count in [("usager", 6), ("partenaire", 5), ("agent", 2)]
    }
    for n, (body, column) in enumerate(NOTES):
        on_server(
            contribution_create,
            participant=people["usager"][n],
            activity_id=board.pk,
            body=body,
            column=column,
        )
    workshop.extra = {"user": user, "board": board, "vote": vote, "people": people}
    return workshop


def item_ids(activity_id: int) -> dict[str, int]:
    """The vote's items in order, label -> id."""
    return on_server(
        lambda: dict(VoteItem.objects.filter(activity_id=activity_id).values_list("label", "pk"))
    )


def cast_votes(people: dict, items: dict[str, int]) -> None:
    """13 voters. Usager·es: 2 points on the guichet, 1 on the form (12 and 6).
    Partenaires: 1 on the form, 1 on the appointments. Agent·es: 2 on the appointments.
    Totals: guichet 12, formulaire 11, rendez-vous 9."""
    plan = {
        "usager": [GUICHET, GUICHET, FORMULAIRE],
        "partenaire": [FORMULAIRE, RENDEZ_VOUS],
        "agent": [RENDEZ_VOUS, RENDEZ_VOUS],
    }
    for profile, choices in plan.items():
        for participant in people[profile]:
            for label in choices:
                vote_add(participant=participant, item_id=items[label])


def ranking_rows(page: Page, bind: str):
    return page.locator(f"[data-bind={bind}] > li")


def test_a_vote_from_shortlist_to_final_results_then_a_rating_matrix(live_url, browser, workshop):
    extra = workshop.extra
    vote, board = extra["vote"], extra["board"]
    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1600, "height": 900},
    )
    screen.on("dialog", lambda dialog: dialog.accept())  # reveal asks first
    tablet = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/animer/",
        {"width": 1280, "height": 900},
    )
    tablet.on("dialog", lambda dialog: dialog.accept())
    section = tablet.locator("[data-bind=vote]")

    # While the board runs, the tablet prepares the next vote: a shortlist of 3 notes.
    expect(section.get_by_role("heading", name="Vote : Vote")).to_be_visible()
    expect(section).to_contain_text("vote à venir · résultats masqués")
    expect(section.get_by_role("button", name="Révéler les résultats")).to_be_hidden()
    section.get_by_text("Choisir les éléments soumis au vote").click()
    picker = section.get_by_role("group", name="Éléments à soumettre au vote")
    expect(picker.get_by_role("checkbox")).to_have_count(4)
    section.get_by_role("button", name="Soumettre au vote").click()
    expect(section.get_by_text("Cochez au moins un élément à soumettre au vote.")).to_be_visible()
    for body in SHORTLIST:
        picker.get_by_text(body, exact=True).click()  # DSFR: the label is what one taps
    expect(picker.get_by_role("checkbox", checked=True)).to_have_count(3)
    section.get_by_role("button", name="Soumettre au vote").click()
    expect(section.locator("[data-bind=vote-items] > li")).to_have_text(SHORTLIST)
    assert list(item_ids(vote.pk)) == SHORTLIST
    assert_accessible(tablet)

    # → on the big screen: the vote opens with the shortlist. Board-only tools are gone.
    expect(screen.get_by_text("Contributions ouvertes", exact=True)).to_be_visible()
    expect(screen.get_by_role("button", name="Afficher les auteurs")).to_be_visible()
    screen.keyboard.press("ArrowRight")
    expect(screen.locator("[aria-current=step]")).to_contain_text("Vote")
    expect(screen.get_by_text("Vote ouvert", exact=True)).to_be_visible()
    votes_box = screen.locator("[data-bind=vote]")
    expect(votes_box.get_by_text("Personne n'a encore voté")).to_be_visible()
    expect(screen.get_by_role("button", name="Afficher les auteurs")).to_be_hidden()
    expect(screen.locator("[data-bind=dropbar]")).to_be_hidden()
    expect(tablet.locator("[data-bind=clusters-section]")).to_be_hidden()
    expect(tablet.locator("[data-bind=notes-section]")).to_be_hidden()

    # Hidden results: the room sees how many voted and the labels, never a count.
    on_server(cast_votes, people=extra["people"], items=item_ids(vote.pk))
    expect(votes_box.get_by_text("13 personnes ont voté")).to_be_visible()
    expect(votes_box.locator("[data-bind=vote-labels] > li")).to_have_text(SHORTLIST)
    expect(votes_box.get_by_role("button", name="Révéler les résultats")).to_be_visible()
    expect(votes_box.locator("[data-bind=vote-top] > li")).to_have_count(0)
    expect(votes_box.locator("[data-bind=vote-profiles] > *")).to_have_count(0)
    expect(votes_box).not_to_contain_text("point")
    expect(votes_box.get_by_role("button", name="Par profil")).to_be_hidden()
    # The facilitator's tablet sees them live, marked as such.
    expect(section.get_by_text("visible par l'animation seulement")).to_be_visible()
    expect(ranking_rows(section, "vote-ranking")).to_have_text(
        [
            re.compile(rf"^1\.\s*{GUICHET}\s*12 points$"),
            re.compile(rf"^2\.\s*{FORMULAIRE}\s*11 points$"),
            re.compile(rf"^3\.\s*{RENDEZ_VOUS}\s*9 points$"),
        ]
    )
    expect(section.get_by_role("button", name="Clore le vote")).to_be_visible()
    assert_accessible(screen)
    assert_accessible(tablet)

    # Reveal from the big screen: a ranking, highest first, with counts.
    votes_box.get_by_role("button", name="Révéler les résultats").click()
    top = ranking_rows(screen, "vote-top")
    expect(top).to_have_count(3)
    expect(top.nth(0)).to_contain_text(GUICHET)
    expect(top.nth(0)).to_contain_text("12 points")
    expect(top.nth(1)).to_contain_text(FORMULAIRE)
    expect(top.nth(1)).to_contain_text("11 points")
    expect(top.nth(2)).to_contain_text(RENDEZ_VOUS)
    expect(top.nth(2)).to_contain_text("9 points")
    expect(votes_box.get_by_text("Résultats définitifs")).to_be_hidden()
    expect(section.get_by_text("visible par l'animation seulement")).to_be_hidden()
    assert_accessible(screen)

    # By profile: the usager·es' own ranking; the small group and the one masked to
    # protect it read as such, with no count.
    votes_box.get_by_role("button", name="Par profil").click()
    expect(votes_box.get_by_role("button", name="Par profil")).to_have_attribute(
        "aria-pressed", "true"
    )
    usagers = votes_box.get_by_role("region", name="usager·es")
    expect(usagers).to_contain_text("6 personnes")
    expect(usagers.locator("li")).to_have_text(
        [
            re.compile(rf"{GUICHET}\s*12 points$"),
            re.compile(rf"{FORMULAIRE}\s*6 points$"),
            re.compile(rf"{RENDEZ_VOUS}\s*0 point$"),
        ]
    )
    agents = votes_box.get_by_role("region", name="agent·es")
    expect(agents).to_contain_text("moins de 5 personnes : résultats non affichés")
    expect(agents.locator("li")).to_have_count(0)
    partners = votes_box.get_by_role("region", name="partenaires")
    expect(partners).to_contain_text("effectif masqué (protection des petits groupes)")
    expect(partners.locator("li")).to_have_count(0)
    assert_accessible(screen)

    # Close from the tablet (it asks first): the results are final on both pages.
    section.get_by_role("button", name="Clore le vote").click()
    expect(votes_box.get_by_text("Résultats définitifs")).to_be_visible()
    expect(screen.get_by_text("Vote clos", exact=True)).to_be_visible()
    expect(section.get_by_text("Résultats définitifs")).to_be_visible()
    expect(section.get_by_role("button", name="Clore le vote")).to_be_hidden()
    expect(screen.get_by_role("button", name="Ouvrir le vote")).to_be_hidden()
    votes_box.get_by_role("button", name="Tous").click()
    expect(top.nth(0)).to_contain_text(GUICHET)
    assert_accessible(tablet)

    # A two-axis rating of the board's notes, results shown as they come.
    rating_id = on_server(
        agenda.vote_activity_add,
        user=extra["user"],
        workshop_id=workshop.pk,
        title="Impact et faisabilité",
        kind="rating",
        source_id=board.pk,
        private=False,
        axis_x="Impact",
        axis_y="Faisabilité",
    ).result["activity_id"]
    on_server(
        actions.agenda_goto, user=extra["user"], workshop_id=workshop.pk, activity_id=rating_id
    )
    expect(screen.get_by_text("Notation ouverte", exact=True)).to_be_visible()
    rated = item_ids(rating_id)
    assert len(rated) == 4  # every visible note of the board

    def rate() -> None:
        usagers = extra["people"]["usager"]
        for n, participant in enumerate(usagers[:4]):
            rating_set(participant=participant, item_id=rated[GUICHET], x=4 + n % 2, y=2)
            rating_set(participant=participant, item_id=rated[FORMULAIRE], x=2, y=1 + n)
        rating_set(participant=usagers[0], item_id=rated[RENDEZ_VOUS], x=3, y=3)

    on_server(rate)
    matrix = votes_box.locator("svg.cocon-matrix__svg")
    expect(matrix).to_have_attribute("data-placed", "3")
    expect(matrix.locator("circle.cocon-matrix__dot")).to_have_count(3)
    # The spread shows where people disagreed (the form's feasibility, the guichet's impact).
    expect(matrix.locator("ellipse.cocon-matrix__spread")).to_have_count(2)
    expect(matrix.get_by_text("Impact →")).to_be_visible()
    legend = votes_box.get_by_role("table")
    expect(legend.locator("tbody tr")).to_have_count(4)
    expect(legend.get_by_role("row", name=re.compile(GUICHET))).to_contain_text("4,5 ± 0,5")
    expect(legend.get_by_role("row", name=re.compile(FORMULAIRE))).to_contain_text("2,5 ± 1,1")
    expect(legend.get_by_role("row", name=re.compile("hors du vote"))).to_contain_text(
        "pas encore noté"
    )
    expect(section.get_by_role("heading", name="Notation : Impact et faisabilité")).to_be_visible()
    assert_accessible(screen)
    assert_accessible(tablet)
    screen.context.close()
    tablet.context.close()
