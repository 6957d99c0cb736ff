"""A journey map on a phone in a real browser (360×740): the persona and the scenario,
one stage at a time (previous / next, the list of stages), two stages rated on the −2…+2
scale (the same value again takes a rating back), a card added to a lane of stage 2 after
an empty try, everything still there after a reload; then a card written offline while
the facilitator closes the map comes back into its form with the reason, and the closed
map refuses new ratings. Axe runs on each state of the page.

The facilitator starts the "Parcours usager" workshop from the big screen; the rest of
their side is driven server-side through the actions (the big screen has its own tests)."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ateliers import actions
from participation.models import Contribution, Participant, StageFeeling
from tests.e2e.helpers import assert_accessible, logged_in, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
CARD = "Le formulaire en ligne plante à la dernière page"


def fits_the_screen(page: Page) -> bool:
    """No horizontal scroll on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def join(browser: Browser, live_url: str, join_code: str) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    phone = context.new_page()
    phone.goto(f"{live_url}/rejoindre/{join_code}/")
    phone.get_by_text("Usager·e").click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Parcours usager")
    return phone


def test_a_phone_rates_stages_and_adds_cards_one_stage_at_a_time_and_finds_them_after_a_reload(
    live_url, browser
):
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user,
        challenge=ChallengeFactory(leads=[user]),
        title="Atelier démarches",
        template="parcours",
    )
    journey = workshop.activities.order_by("position").first()
    stages = [stage["key"] for stage in journey.columns]
    pain_points = next(lane["key"] for lane in journey.lanes if lane["kind"] == "pain_points")

    screen = logged_in(
        browser,
        f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/",
        {"width": 1600, "height": 900},
    )
    start = screen.get_by_role("button", name="Démarrer l'atelier")
    start.click()
    expect(start).to_be_hidden()  # live: the map is the current activity, open

    phone = join(browser, live_url, workshop.join_code)
    journey_section = phone.locator("[data-bind=journey]")
    expect(journey_section).to_be_visible()
    # Who travels toward what goal, before the first stage; no notes board on a map.
    expect(journey_section).to_contain_text(
        "Une personne qui fait cette démarche pour la première fois"
    )
    expect(journey_section).to_contain_text("Obtenir une réponse à sa demande")
    expect(journey_section).to_contain_text("Parcours actuel")
    expect(phone.get_by_label("Votre idée")).to_be_hidden()
    expect(phone.locator("[data-bind=elsewhere]")).to_be_hidden()

    title = phone.locator("#journey-stage-title")
    expect(title).to_have_text("Étape 1 sur 5 : Découvrir le besoin")
    stage_list = phone.get_by_role("navigation", name="Étapes du parcours")
    expect(stage_list.get_by_role("button")).to_have_count(5)
    expect(
        stage_list.get_by_role("button", name="1. Découvrir le besoin", exact=True)
    ).to_have_attribute("aria-current", "step")
    expect(phone.get_by_role("button", name="Étape précédente")).to_be_hidden()
    # Every lane of the template takes cards on this stage.
    lanes = journey_section.locator(".cocon-lane")
    expect(lanes).to_have_count(5)
    assert fits_the_screen(phone)

    # The scale: five large buttons, named by their words.
    scale = phone.get_by_role("group", name=re.compile("Comment se passe cette étape"))
    options = scale.locator(".cocon-feeling__option")
    expect(options).to_have_count(5)
    for label in ("Très difficile", "Difficile", "Neutre", "Bien", "Très bien"):
        button = scale.get_by_role("button", name=re.compile(f"^{label} "))
        expect(button).to_have_attribute("aria-pressed", "false")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    status = phone.locator("#journey-feeling-status")
    expect(status).to_have_text("Vous n'avez pas encore dit comment se passe cette étape.")
    assert_accessible(phone)

    very_hard = scale.get_by_role("button", name=re.compile("^Très difficile "))
    very_hard.click()
    expect(very_hard).to_have_attribute("aria-pressed", "true")
    expect(status).to_have_text("Votre ressenti : Très difficile (−2)")
    expect(phone.get_by_text("Étapes notées : 1 sur 5")).to_be_visible()

    # Next stage: its title takes the focus (a screen reader says where we are).
    phone.get_by_role("button", name="Étape suivante").click()
    expect(title).to_have_text("Étape 2 sur 5 : S'informer")
    expect(title).to_be_focused()
    expect(stage_list.get_by_role("button", name="1. Découvrir le besoin (notée)")).to_be_visible()
    good = scale.get_by_role("button", name=re.compile("^Bien "))
    hard = scale.get_by_role("button", name=re.compile("^Difficile "))
    expect(good).to_have_attribute("aria-pressed", "false")
    good.click()
    expect(status).to_have_text("Votre ressenti : Bien (+1)")
    # The same value again takes the rating back; another one replaces it.
    good.click()
    expect(good).to_have_attribute("aria-pressed", "false")
    expect(status).to_have_text("Vous n'avez pas encore dit comment se passe cette étape.")
    hard.click()
    expect(hard).to_have_attribute("aria-pressed", "true")
    expect(status).to_have_text("Votre ressenti : Difficile (−1)")
    expect(phone.get_by_text("Étapes notées : 2 sur 5")).to_be_visible()

    me = Participant.objects.get(workshop=workshop)

    def my_feelings() -> dict[str, int]:
        return dict(
            StageFeeling.objects.filter(participant=me, activity=journey).values_list(
                "stage", "value"
            )
        )

    expect(status).not_to_contain_text("Envoi")
    assert my_feelings() == {stages[0]: -2, stages[1]: -1}

    # A card in the "Irritants" lane of stage 2: an empty one is refused on the phone.
    lane = lanes.filter(has=phone.get_by_role("heading", name=re.compile("^Irritants")))
    lane.get_by_role("button", name="Ajouter une carte dans « Irritants »").click()
    field = lane.get_by_label("Votre carte pour « Irritants », étape « S'informer »")
    expect(field).to_be_focused()
    lane.get_by_role("button", name="Envoyer").click()
    expect(lane.locator(".fr-error-text")).to_have_text(
        "Écrivez le texte de votre carte avant de l'envoyer."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_accessible(phone)
    field.fill(CARD)
    lane.get_by_role("button", name="Envoyer").click()
    card = lane.locator(".cocon-lane__card", has_text=CARD)
    expect(card).to_contain_text("Votre carte")
    expect(card).not_to_contain_text("En attente")
    expect(lane.get_by_role("heading", name="Irritants (1)")).to_be_visible()
    expect(lane.get_by_role("button", name="Ajouter une carte dans « Irritants »")).to_be_focused()
    assert list(
        Contribution.objects.filter(participant=me).values_list("column", "lane", "body")
    ) == [(stages[1], pain_points, CARD)]
    assert fits_the_screen(phone)
    assert_accessible(phone)

    # Jump through the list of stages; the card stays in its stage.
    stage_list.get_by_role("button", name="4. Attendre et suivre").click()
    expect(title).to_have_text("Étape 4 sur 5 : Attendre et suivre")
    expect(journey_section.locator(".cocon-lane__card")).to_have_count(0)
    expect(phone.get_by_role("button", name="Étape suivante : Recevoir la réponse")).to_be_visible()
    stage_list.get_by_role("button", name=re.compile(r"^2\. S'informer")).click()
    expect(title).to_have_text("Étape 2 sur 5 : S'informer")

    # "Mes contributions" lists the card with its stage and lane; it can be rewritten
    # there and keeps its cell.
    mine = phone.locator("[data-bind=mine] li").filter(has_text=CARD)
    expect(mine).to_contain_text("S'informer · Irritants")
    mine.get_by_role("button", name="Modifier").click()
    mine.get_by_label("Nouveau texte de la contribution").fill(CARD + " (deux fois)")
    mine.get_by_role("button", name="Enregistrer").click()
    expect(mine).to_contain_text("(deux fois)")
    expect(mine).to_contain_text("(modifiée)")
    rewritten = CARD + " (deux fois)"
    for _ in range(50):  # the screen shows the edit before the server's ack
        if on_server(lambda: Contribution.objects.filter(body=rewritten).exists()):
            break
        phone.wait_for_timeout(100)
    stored = on_server(lambda: Contribution.objects.get(body=rewritten))
    assert (stored.column, stored.lane) == ("c2", "l4") and stored.edited_at

    # A reload: the same stage, the ratings and the card, from the server's catch-up.
    phone.reload()
    expect(title).to_have_text("Étape 2 sur 5 : S'informer")
    expect(hard).to_have_attribute("aria-pressed", "true")
    expect(status).to_have_text("Votre ressenti : Difficile (−1)")
    expect(lane.locator(".cocon-lane__card", has_text=CARD + " (deux fois)")).to_contain_text(
        "Votre carte"
    )
    phone.get_by_role("button", name="Étape précédente").click()
    expect(title).to_have_text("Étape 1 sur 5 : Découvrir le besoin")
    expect(very_hard).to_have_attribute("aria-pressed", "true")
    assert fits_the_screen(phone)
    assert_accessible(phone)

    # Offline, a card is written and queued; meanwhile the facilitator closes the map.
    phone.context.set_offline(True)
    expect(phone.get_by_role("status")).to_contain_text("Hors connexion")
    actions_lane = lanes.first
    actions_lane.get_by_role("button", name=re.compile("^Ajouter une carte")).click()
    actions_lane.get_by_role("textbox").fill("Je cherche sur le site de la mairie")
    actions_lane.get_by_role("button", name="Envoyer").click()
    expect(actions_lane.locator(".cocon-lane__card--pending")).to_contain_text(
        "En attente du réseau"
    )
    on_server(actions.activity_close, user=user, workshop_id=workshop.pk, activity_id=journey.pk)
    phone.context.set_offline(False)
    # The server refuses it: the text is back in its form, with the reason.
    expect(actions_lane.locator(".fr-error-text")).to_contain_text(
        "Le parcours n'accepte plus de cartes"
    )
    expect(actions_lane.get_by_role("textbox")).to_have_value("Je cherche sur le site de la mairie")
    expect(actions_lane.locator(".cocon-lane__card--pending")).to_have_count(0)
    expect(phone.get_by_text("Le parcours est fermé : vous pouvez le consulter")).to_be_visible()
    # A closed map takes no rating: the scale is off, the ratings stay as they were.
    expect(very_hard).to_be_disabled()
    expect(very_hard).to_have_attribute("aria-pressed", "true")
    # Sending again says why, and keeps the text.
    actions_lane.get_by_role("button", name="Envoyer").click()
    expect(actions_lane.locator(".fr-error-text")).to_contain_text(
        "Le parcours n'accepte pas de cartes pour le moment"
    )
    expect(actions_lane.get_by_role("textbox")).to_have_value("Je cherche sur le site de la mairie")
    assert Contribution.objects.filter(participant=me).count() == 1
    assert my_feelings() == {stages[0]: -2, stages[1]: -1}
    assert fits_the_screen(phone)
    assert_accessible(phone)
