"""The facilitator's two pages in a real browser, open at once for the same person: the
big screen (projected) and the moderation page (a tablet). They stay in step through
the server: private mode and reveal, hide with a reason and restore, spotlight, clusters
by the accessible select and by drag and drop, keyboard shortcuts; axe on both pages."""

import re

import pytest
from playwright.sync_api import expect

from ateliers import actions
from participation.actions import contribution_create, participant_join
from tests.e2e.helpers import assert_accessible, logged_in, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workshop():
    """A live Simplificathon: a private activity with 4 columns, then "Solutions"
    (pseudonymous, 2 columns)…, and three notes already sent to the private one."""
    user = UserFactory(username="animatrice")
    challenge = ChallengeFactory(leads=[user])
    workshop = actions.workshop_create(
        user=user, challenge=challenge, title="Simplifier l'accueil", template="simplificathon"
    )
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
    first, second = workshop.activities.order_by("position")[:2]
    alice = on_server(
        participant_join, workshop=workshop, device_token="device-alice", profile="usager"
    )
    bob = on_server(participant_join, workshop=workshop, device_token="device-bob", profile="agent")
    for participant, body, column in [
        (alice, "Formulaire en ligne illisible", "c1"),
        (bob, "Trop de justificatifs demandés", "c1"),
        (alice, "Accueil téléphonique saturé", "c2"),
    ]:
        on_server(
            contribution_create,
            participant=participant,
            activity_id=first.pk,
            body=body,
            column=column,
        )
    workshop.refresh_from_db()
    workshop.extra = {"first": first, "second": second, "bob": bob}
    return workshop


def test_the_big_screen_and_the_moderation_page_run_a_workshop_together(
    live_url, browser, workshop
):
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
    wall = screen.locator("[data-bind=board] li")
    notes = tablet.locator("[data-bind=notes] > li")

    def note_on_tablet(text: str):
        return notes.filter(has_text=text)

    # Private activity: the big screen shows how many notes came in, never their text;
    # the moderation page lists them all.
    expect(screen.get_by_text("3 contributions reçues")).to_be_visible()
    expect(screen.get_by_text("e-administration : 2")).to_be_visible()
    expect(screen.get_by_text("Formulaire en ligne illisible")).to_have_count(0)
    expect(wall).to_have_count(0)
    expect(notes).to_have_count(3)
    expect(tablet.get_by_role("heading", name="Contributions : Irritants")).to_be_visible()
    # Not revealed yet: nothing of it can be put on the big screen.
    expect(notes.first.get_by_role("button", name="Mettre en avant")).to_be_hidden()
    assert_accessible(screen)
    assert_accessible(tablet)

    screen.get_by_role("button", name="Révéler les contributions").click()
    expect(wall).to_have_count(3)
    column = screen.get_by_role("region", name=re.compile("^e-administration"))
    expect(column.locator("li")).to_have_count(2)
    expect(screen.get_by_text("3 contributions reçues")).to_be_hidden()
    assert_accessible(screen)

    # Hide with a reason on the tablet: off the big screen, the reason stays on the tablet.
    target = note_on_tablet("Trop de justificatifs demandés")
    target.get_by_role("button", name="Masquer", exact=True).click()
    target.get_by_label("Raison du masquage").fill("Hors sujet")
    target.get_by_role("button", name="Confirmer le masquage").click()
    expect(target).to_contain_text("Masquée : Hors sujet")
    expect(wall).to_have_count(2)
    expect(wall.filter(has_text="Trop de justificatifs")).to_have_count(0)
    expect(tablet.get_by_text("2 contributions visibles · 1 masquée")).to_be_visible()
    assert_accessible(tablet)

    target.get_by_role("button", name="Rétablir").click()
    expect(wall.filter(has_text="Trop de justificatifs demandés")).to_have_count(1)
    expect(target).not_to_contain_text("Masquée")

    # Spotlight from the tablet, closed on the big screen.
    spotlit = note_on_tablet("Accueil téléphonique saturé")
    spotlit.get_by_role("button", name="Mettre en avant").click()
    dialog = screen.get_by_role("dialog", name="Contribution mise en avant")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Accueil téléphonique saturé")
    expect(spotlit.get_by_role("button", name="Retirer de l'écran")).to_be_visible()
    assert_accessible(screen)
    dialog.get_by_role("button", name="Fermer").click()
    expect(dialog).to_be_hidden()
    expect(spotlit.get_by_role("button", name="Mettre en avant")).to_be_visible()

    # Spotlight by activating a note on the big screen; Escape puts it out.
    wall.filter(has_text="Formulaire en ligne illisible").get_by_role("button").click()
    expect(dialog).to_contain_text("Formulaire en ligne illisible")
    screen.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    first_note = note_on_tablet("Formulaire en ligne illisible")
    expect(first_note.get_by_role("button", name="Mettre en avant")).to_be_visible()

    # A cluster made on the tablet, a note moved in with the select (no dragging).
    tablet.get_by_label("Titre du nouveau regroupement").fill("Démarches en ligne")
    tablet.get_by_role("button", name="Créer le regroupement").click()
    expect(tablet.locator("[data-bind=clusters]")).to_contain_text("Démarches en ligne")
    note_on_tablet("Formulaire en ligne illisible").get_by_label("Regroupement").select_option(
        label="Démarches en ligne"
    )
    group = screen.locator(".cocon-wall__group").filter(
        has=screen.get_by_role("heading", name=re.compile("^Démarches en ligne"))
    )
    expect(group.locator("li")).to_have_text(["Formulaire en ligne illisible"])
    expect(
        tablet.locator("[data-bind=clusters] li").filter(has_text="Démarches en ligne")
    ).to_contain_text("1 contribution")

    # Drag and drop on the big screen: onto "Nouveau regroupement", named in a dialog.
    wall.filter(has_text="Trop de justificatifs demandés").get_by_role("button").drag_to(
        screen.locator("[data-drop=new]")
    )
    new_cluster = screen.get_by_role("dialog", name="Nouveau regroupement")
    new_cluster.get_by_label("Titre du regroupement").fill("Pièces à fournir")
    new_cluster.get_by_role("button", name="Créer le regroupement").click()
    expect(
        screen.locator(".cocon-wall__group")
        .filter(has=screen.get_by_role("heading", name=re.compile("^Pièces à fournir")))
        .locator("li")
    ).to_have_text(["Trop de justificatifs demandés"])
    moved = note_on_tablet("Trop de justificatifs demandés").get_by_label("Regroupement")
    expect(moved).to_have_value(re.compile(r"^\d+$"))

    # Rename and delete on the tablet; a deleted cluster's note stays, unclustered.
    clusters = tablet.locator("[data-bind=clusters] li")
    renamed = clusters.filter(has_text="Démarches en ligne")
    renamed.get_by_role("button", name="Renommer").click()
    renamed.get_by_label("Nouveau titre").fill("Services en ligne")
    renamed.get_by_role("button", name="Enregistrer").click()
    expect(screen.get_by_role("heading", name=re.compile("^Services en ligne"))).to_be_visible()
    clusters.filter(has_text="Pièces à fournir").get_by_role("button", name="Supprimer").click()
    expect(clusters).to_have_count(1)
    expect(screen.get_by_role("heading", name=re.compile("^Pièces à fournir"))).to_have_count(0)
    expect(wall.filter(has_text="Trop de justificatifs demandés")).to_have_count(1)
    expect(moved).to_have_value("")

    # The help dialog lists the shortcuts; → moves to the next activity on both pages.
    screen.get_by_role("button", name="Raccourcis").click()
    help_dialog = screen.get_by_role("dialog", name="Raccourcis clavier")
    expect(help_dialog).to_contain_text("Passer à l'activité suivante")
    assert_accessible(screen)
    screen.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    screen.keyboard.press("ArrowRight")
    expect(screen.locator("[aria-current=step]")).to_contain_text("Solutions")
    prompt = "Quelle mesure prendre pour faire plus simple ?"
    expect(screen.get_by_role("heading", name=prompt)).to_be_visible()
    expect(tablet.get_by_role("heading", name="Contributions : Solutions")).to_be_visible()
    expect(wall).to_have_count(0)

    # A signed note: the author shows only once the facilitator shows authors (A).
    on_server(
        contribution_create,
        participant=workshop.extra["bob"],
        activity_id=workshop.extra["second"].pk,
        body="Un seul guichet",
        column="c1",
    )
    expect(wall).to_have_count(1)
    author = workshop.extra["bob"].pseudonym
    expect(wall.first).not_to_contain_text(author)
    screen.keyboard.press("a")
    expect(wall.first).to_contain_text(author)
    expect(tablet.get_by_role("button", name="Masquer les auteurs")).to_be_visible()

    # ← goes back; the moderation page can jump to any activity.
    screen.keyboard.press("ArrowLeft")
    expect(screen.locator("[aria-current=step]")).to_contain_text("Irritants")
    tablet.locator("[data-bind=agenda] li").filter(has_text="Solutions").get_by_role(
        "button", name=re.compile("^Aller à cette activité")
    ).click()
    expect(screen.locator("[aria-current=step]")).to_contain_text("Solutions")
    assert_accessible(tablet)
    screen.context.close()
    tablet.context.close()
