"""Voting on the phone in a real browser: the rules said before voting, points added and
taken back up to the per-item max and the budget, a point tapped offline and sent on
return, the points still there after a reload, the hidden then revealed results, the
closed vote; and a two-axis rating, set, kept across a reload, cleared, then revealed.

The facilitator's side is driven server-side through the actions (the big screen has
its own tests)."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ateliers import actions, agenda
from ateliers.models import ActivityKind
from participation import actions as participation_actions
from participation import moderation, voting
from participation.models import Participant, Rating, Vote, VoteItem
from tests.e2e.helpers import assert_accessible, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOTES = ("Un guichet unique", "Des horaires élargis", "Moins de formulaires")


def live_workshop_with_notes():
    """A live "Idéation + vote" workshop whose board holds NOTES, posted by someone else
    (actions run off the test thread: Playwright's event loop runs there)."""
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user,
        challenge=ChallengeFactory(leads=[user]),
        title="Atelier accueil",
        template="ideation_vote",  # a board, then "Vote": results hidden, 5 points, 2 per item
    )
    board, vote = workshop.activities.order_by("position")
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
    other = on_server(
        participation_actions.participant_join,
        workshop=workshop,
        device_token="un-autre-telephone",
        profile="agent",
    )
    for body in NOTES:
        on_server(
            participation_actions.contribution_create,
            participant=other,
            activity_id=board.pk,
            body=body,
            column="c2",
        )
    return user, workshop, board, vote, other


def join(browser: Browser, live_url: str, join_code: str) -> Page:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    phone = context.new_page()
    phone.goto(f"{live_url}/rejoindre/{join_code}/")
    phone.get_by_text("Usager·e").click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Irritants et idées")
    return phone


def test_a_phone_places_its_points_keeps_them_across_a_reload_and_sees_the_results(
    live_url, browser
):
    user, workshop, _board, vote, other = live_workshop_with_notes()
    phone = join(browser, live_url, workshop.join_code)

    on_server(actions.agenda_next, user=user, workshop_id=workshop.pk)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Vote")
    expect(phone.get_by_text("Mettez vos points sur ce qui compte le plus")).to_be_visible()
    expect(phone.get_by_text("Vote ouvert")).to_be_visible()
    # How it works, before the first tap.
    expect(
        phone.get_by_text("Vos votes sont anonymes : personne ne verra qui a voté quoi.")
    ).to_be_visible()
    expect(
        phone.get_by_text("Vous avez 5 points à répartir, 2 points au plus sur un même élément.")
    ).to_be_visible()
    left = phone.locator("[data-bind=vote-left]")
    expect(left).to_have_text("Il vous reste 5 points sur 5")
    expect(left.locator("xpath=..")).to_have_attribute("aria-live", "polite")
    # No compose form and no board during a vote.
    expect(phone.get_by_label("Votre idée")).to_be_hidden()

    cards = phone.locator("[data-bind=vote-items] > li")
    expect(cards).to_have_count(3)
    guichet, horaires, formulaires = (cards.filter(has_text=body) for body in NOTES)

    def add(card, label):
        card.get_by_role("button", name=f"Ajouter un point à « {label} »").click()

    def remove(card, label):
        card.get_by_role("button", name=f"Retirer un point de « {label} »").click()

    # Nothing to take back yet.
    expect(guichet.get_by_role("button", name="Retirer un point")).to_be_disabled()
    box = guichet.get_by_role("button", name="Ajouter un point").bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44

    add(guichet, NOTES[0])
    expect(left).to_have_text("Il vous reste 4 points sur 5")
    expect(guichet).to_contain_text("Vos points : 1")
    add(guichet, NOTES[0])
    expect(guichet).to_contain_text("Vos points : 2")
    # The per-item max: "+" is off, and the card says why.
    expect(guichet.get_by_role("button", name="Ajouter un point")).to_be_disabled()
    expect(guichet).to_contain_text("Maximum atteint : 2 points au plus sur un même élément.")
    expect(guichet.get_by_role("button", name="Retirer un point")).to_be_enabled()
    assert_accessible(phone)

    add(horaires, NOTES[1])
    add(horaires, NOTES[1])
    add(formulaires, NOTES[2])
    expect(left).to_have_text("Il vous reste 0 point sur 5")
    # The budget is spent: every "+" is off and the participant is told what to do.
    expect(
        phone.get_by_text("Vous avez utilisé tous vos points. Retirez-en un pour voter ailleurs.")
    ).to_be_visible()
    expect(formulaires.get_by_role("button", name="Ajouter un point")).to_be_disabled()

    remove(horaires, NOTES[1])
    expect(left).to_have_text("Il vous reste 1 point sur 5")
    expect(horaires).to_contain_text("Vos points : 1")
    expect(formulaires.get_by_role("button", name="Ajouter un point")).to_be_enabled()
    expect(phone.locator(".cocon-vote__item--pending")).to_have_count(0)

    def my_votes():
        rows = Vote.objects.filter(activity=vote).exclude(participant=other)
        return sorted(rows.values_list("item__label", flat=True))

    assert my_votes() == sorted([NOTES[0], NOTES[0], NOTES[1], NOTES[2]])

    # The same person's other device spends the last point; this phone, not told, tries
    # anyway: the server's refusal shows next to the item, and no point is left.
    me = Participant.objects.filter(workshop=workshop).exclude(pk=other.pk).get()
    items = {item.label: item.pk for item in VoteItem.objects.filter(activity=vote)}
    on_server(voting.vote_add, participant=me, item_id=items[NOTES[2]])
    add(horaires, NOTES[1])
    expect(horaires.locator(".cocon-vote__error")).to_have_text(
        "Vous avez utilisé tous vos points. Retirez-en un pour voter ailleurs."
    )
    expect(left).to_have_text("Il vous reste 0 point sur 5")
    expect(horaires.get_by_role("button", name="Ajouter un point")).to_be_disabled()
    # Taking a point back gets the true count from the server, and clears the refusal.
    remove(formulaires, NOTES[2])
    expect(left).to_have_text("Il vous reste 1 point sur 5")
    expect(formulaires).to_contain_text("Vos points : 1")
    expect(horaires.locator(".cocon-vote__error")).to_be_hidden()
    assert my_votes() == sorted([NOTES[0], NOTES[0], NOTES[1], NOTES[2]])

    # A point tapped offline waits, visibly, and is sent once on return.
    phone.context.set_offline(True)
    expect(phone.get_by_role("status")).to_contain_text("Hors connexion : vos votes")
    add(horaires, NOTES[1])
    expect(horaires).to_contain_text("En attente du réseau")
    expect(horaires).to_contain_text("Vos points : 2")
    expect(left).to_have_text("Il vous reste 0 point sur 5")
    phone.context.set_offline(False)
    expect(horaires).not_to_contain_text("En attente du réseau")
    expect(phone.locator(".cocon-vote__item--pending")).to_have_count(0)
    expected = sorted([NOTES[0], NOTES[0], NOTES[1], NOTES[1], NOTES[2]])
    assert my_votes() == expected

    # A reload shows the same points: nothing lost, nothing doubled.
    phone.reload()
    expect(left).to_have_text("Il vous reste 0 point sur 5")
    expect(guichet).to_contain_text("Vos points : 2")
    expect(horaires).to_contain_text("Vos points : 2")
    expect(formulaires).to_contain_text("Vos points : 1")
    assert my_votes() == expected

    # While the results are hidden, the phone only learns how many people voted.
    for _ in range(2):
        on_server(voting.vote_add, participant=other, item_id=items[NOTES[2]])
    results = phone.locator("[data-bind=vote-ranking]")
    expect(phone.get_by_text("2 personnes ont voté.")).to_be_visible()
    expect(results).to_be_hidden()
    expect(
        phone.locator("[data-bind=vote]").get_by_text(
            "Les résultats s'afficheront ici quand l'animation les révélera."
        )
    ).to_be_visible()

    # Revealed: a ranking, highest first, ties in the order of the items.
    on_server(moderation.activity_reveal, user=user, workshop_id=workshop.pk, activity_id=vote.pk)
    expect(results).to_be_visible()
    expect(results.locator("li")).to_have_text(
        [
            re.compile(f"{NOTES[2]}.*3 points"),
            re.compile(f"{NOTES[0]}.*2 points"),
            re.compile(f"{NOTES[1]}.*2 points"),
        ]
    )
    assert_accessible(phone)

    # Closed: said plainly, nothing can be changed any more.
    on_server(actions.activity_close, user=user, workshop_id=workshop.pk, activity_id=vote.pk)
    expect(phone.get_by_text("Le vote est clos.")).to_be_visible()
    expect(phone.get_by_text("Vote clos")).to_be_visible()
    buttons = phone.locator("[data-bind=vote-items] button")
    expect(buttons).to_have_count(6)
    for index in range(6):
        expect(buttons.nth(index)).to_be_disabled()
    assert my_votes() == expected
    phone.context.close()


def test_a_phone_rates_items_on_two_axes(live_url, browser):
    user, workshop, board, _vote, _other = live_workshop_with_notes()
    rating = on_server(
        agenda.vote_activity_add,
        user=user,
        workshop_id=workshop.pk,
        kind=ActivityKind.RATING,
        source_id=board.pk,
        title="Notation",
        prompt="Où placez-vous chaque idée ?",
        anonymous_votes=False,
    ).result["activity_id"]
    phone = join(browser, live_url, workshop.join_code)

    on_server(actions.agenda_goto, user=user, workshop_id=workshop.pk, activity_id=rating)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Notation")
    expect(phone.get_by_text("Les animateurs pourront voir qui a noté quoi.")).to_be_visible()
    progress = phone.locator("[data-bind=rating-progress]")
    expect(progress).to_have_text("Vous avez noté 0 élément sur 3")
    card = phone.locator("[data-bind=rating-items] > li", has_text=NOTES[0])
    impact = card.get_by_role("group", name="Impact")
    feasibility = card.get_by_role("group", name="Faisabilité")
    expect(impact).to_contain_text("1 = faible, 5 = fort")

    # Both axes are needed.
    impact.get_by_text("4", exact=True).click()
    card.get_by_role("button", name="Valider").click()
    expect(card).to_contain_text("Choisissez une note de 1 à 5 pour « Faisabilité »")
    expect(feasibility.get_by_role("radio").first).to_be_focused()
    feasibility.get_by_text("2", exact=True).click()
    card.get_by_role("button", name="Valider").click()
    expect(card).to_contain_text("Noté : 4 / 2")
    expect(progress).to_have_text("Vous avez noté 1 élément sur 3")
    expect(phone.locator(".cocon-vote__item--pending")).to_have_count(0)
    assert list(Rating.objects.values_list("item__label", "x", "y")) == [(NOTES[0], 4, 2)]
    assert_accessible(phone)

    # Kept across a reload, radios included.
    phone.reload()
    expect(card).to_contain_text("Noté : 4 / 2")
    expect(impact.get_by_label("4", exact=True)).to_be_checked()
    expect(feasibility.get_by_label("2", exact=True)).to_be_checked()

    # Taken back, then placed again elsewhere on the axes.
    card.get_by_role("button", name="Effacer ma note").click()
    expect(card).to_contain_text("Pas encore noté.")
    expect(phone.locator(".cocon-vote__item--pending")).to_have_count(0)
    assert not Rating.objects.exists()
    impact.get_by_text("5", exact=True).click()
    feasibility.get_by_text("3", exact=True).click()
    card.get_by_role("button", name="Valider").click()
    expect(card).to_contain_text("Noté : 5 / 3")
    expect(phone.locator(".cocon-vote__item--pending")).to_have_count(0)
    assert list(Rating.objects.values_list("x", "y")) == [(5, 3)]

    # Results hidden, then revealed: the means on each axis and how many rated.
    expect(phone.get_by_text("1 personne a noté.")).to_be_visible()
    results = phone.locator("[data-bind=rating-results]")
    expect(results).to_be_hidden()
    on_server(moderation.activity_reveal, user=user, workshop_id=workshop.pk, activity_id=rating)
    expect(results.locator("li", has_text=NOTES[0])).to_contain_text(
        "Impact : 5,0 · Faisabilité : 3,0 · 1 personne"
    )
    expect(results.locator("li", has_text=NOTES[1])).to_contain_text("Pas encore de note.")

    on_server(actions.activity_close, user=user, workshop_id=workshop.pk, activity_id=rating)
    expect(phone.get_by_text("La notation est close.")).to_be_visible()
    expect(card.get_by_role("button", name="Valider")).to_be_disabled()
    expect(impact.get_by_role("radio").first).to_be_disabled()
    phone.context.close()
