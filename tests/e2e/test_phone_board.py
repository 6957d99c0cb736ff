"""The phone's ideation board in a real browser: how notes are signed, choosing a
column, editing and withdrawing one's own note, a +1 on someone else's, the note limit,
a draft that survives changes of activity and a reload, and a note hidden by the
facilitator.

The facilitator's side is driven server-side through the actions (the big screen has
its own test)."""

import pytest
from playwright.sync_api import Page, expect

from ateliers import actions, agenda
from ateliers.models import Identity
from participation import actions as participation_actions
from participation import moderation
from participation.models import Contribution, Participant, Reaction
from tests.e2e.helpers import assert_accessible, on_server
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def choose(page: Page, column: str) -> None:
    """Pick the compose form's column (DSFR radios: the label is what one taps)."""
    page.locator("[data-bind=compose]").get_by_role("group", name="Catégorie").get_by_text(
        column, exact=True
    ).click()


def test_the_phone_board_signs_sorts_edits_reacts_and_keeps_drafts_across_activities(
    live_url, browser
):
    user = UserFactory(username="animatrice")
    workshop = actions.workshop_create(
        user=user,
        challenge=ChallengeFactory(leads=[user]),
        title="Atelier accueil",
        template="ideation_vote",  # "Irritants et idées": columns, +1s, anonymous
    )
    board_activity = workshop.activities.order_by("position").first()
    solutions_id = on_server(
        agenda.activity_add,
        user=user,
        workshop_id=workshop.pk,
        title="Solutions",
        prompt="Que proposez-vous ?",
        identity=Identity.PSEUDONYMOUS,
        max_notes=1,
    ).result["activity_id"]
    on_server(actions.workshop_start, user=user, workshop_id=workshop.pk)
    other = on_server(
        participation_actions.participant_join,
        workshop=workshop,
        device_token="un-autre-telephone",
        profile="usager",
    )
    other_note_id = on_server(
        participation_actions.contribution_create,
        participant=other,
        activity_id=board_activity.pk,
        body="Trop de formulaires papier",
        column="c1",
    ).result["contribution_id"]
    on_server(
        moderation.cluster_create,
        user=user,
        workshop_id=workshop.pk,
        activity_id=board_activity.pk,
        title="Paperasse",
        contribution_ids=[other_note_id],
    )

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    phone = context.new_page()
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.goto(f"{live_url}/rejoindre/{workshop.join_code}/")
    phone.get_by_text("Usager·e").click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()

    # The current activity, and how notes are signed, before writing anything.
    title = phone.get_by_role("heading", level=1)
    expect(title).to_have_text("Irritants et idées")
    expect(phone.get_by_text("Contributions ouvertes")).to_be_visible()
    expect(
        phone.get_by_text("Vos contributions sont anonymes : personne ne verra qui les a écrites.")
    ).to_be_visible()

    # The board is grouped by column; a clustered note shows its cluster.
    board = phone.locator("[data-bind=board]")
    expect(board.get_by_role("heading", name="Irritants (1)", exact=True)).to_be_visible()
    expect(board.get_by_role("heading", name="Idées (0)", exact=True)).to_be_visible()
    other_note = board.locator("li", has_text="Trop de formulaires papier")
    expect(other_note).to_contain_text("Regroupement : Paperasse")

    # A column must be chosen.
    idea = phone.get_by_label("Votre idée")
    send = phone.get_by_role("button", name="Envoyer", exact=True)
    idea.fill("Un guichet unique")
    send.click()
    expect(phone.get_by_text("Choisissez une catégorie pour votre contribution.")).to_be_visible()
    choose(phone, "Idées")
    send.click()
    mine = phone.locator("[data-bind=mine] li")
    guichet = mine.filter(has_text="Un guichet unique")
    expect(guichet).to_contain_text("Reçue")
    expect(idea).to_have_value("")
    expect(phone.get_by_text("1 / 10 contributions envoyées")).to_be_visible()
    assert Contribution.objects.get(body="Un guichet unique").column == "c2"
    expect(board.get_by_role("heading", name="Idées (1)", exact=True)).to_be_visible()
    assert_accessible(phone)

    # +1 on someone else's note; one's own note shows its count but no button.
    plus = other_note.get_by_role("button", name="+1")
    expect(plus).to_have_attribute("aria-pressed", "false")
    plus.click()
    expect(plus).to_have_attribute("aria-pressed", "true")
    expect(plus).to_have_text("+1 (1)")
    assert Reaction.objects.filter(contribution_id=other_note_id).count() == 1
    own_on_board = board.locator("li", has_text="Un guichet unique")
    expect(own_on_board).to_contain_text("+1 (0)")
    expect(own_on_board.get_by_role("button")).to_have_count(0)
    plus.click()
    expect(plus).to_have_attribute("aria-pressed", "false")
    expect(plus).to_have_text("+1 (0)")

    # Editing one's own note.
    guichet.get_by_role("button", name="Modifier").click()
    edit = guichet.get_by_label("Nouveau texte de la contribution")
    expect(edit).to_be_focused()
    edit.fill("Un guichet unique, en ligne aussi")
    guichet.get_by_role("button", name="Enregistrer").click()
    expect(guichet).to_contain_text("Un guichet unique, en ligne aussi")
    expect(guichet).to_contain_text("(modifiée)")
    expect(guichet).to_contain_text("Reçue")
    expect(board.locator("li", has_text="en ligne aussi")).to_contain_text("(modifiée)")
    assert Contribution.objects.get(body="Un guichet unique, en ligne aussi").edited_at

    # Withdrawing one (after a confirmation).
    idea.fill("À retirer")
    choose(phone, "Irritants")
    send.click()
    withdrawn = mine.filter(has_text="À retirer")
    expect(withdrawn).to_contain_text("Reçue")
    withdrawn.get_by_role("button", name="Retirer").click()
    expect(withdrawn).to_have_count(0)
    expect(board.locator("li", has_text="À retirer")).to_have_count(0)
    expect(phone.get_by_text("1 / 10 contributions envoyées")).to_be_visible()
    assert not Contribution.objects.filter(body="À retirer").exists()

    # A draft being typed when the facilitator moves on stays, bound to its activity.
    idea.fill("Des horaires élargis")
    choose(phone, "Idées")
    on_server(actions.agenda_goto, user=user, workshop_id=workshop.pk, activity_id=solutions_id)
    expect(title).to_have_text("Solutions")
    pseudonym = Participant.objects.exclude(pk=other.pk).get(workshop=workshop).pseudonym
    expect(
        phone.get_by_text(f"Vos contributions seront signées de votre pseudonyme « {pseudonym} »")
    ).to_be_visible()
    expect(idea).to_have_value("")
    panel = phone.get_by_role("region", name="Brouillon pour « Irritants et idées »")
    expect(panel).to_contain_text("Des horaires élargis")
    expect(panel.get_by_role("button", name="Utiliser pour « Solutions »")).to_be_visible()
    assert_accessible(phone)

    # It survives a reload, and goes to the activity it was written for (still open).
    phone.reload()
    expect(panel).to_contain_text("Des horaires élargis")
    panel.get_by_role("button", name="Envoyer dans « Irritants et idées »").click()
    expect(panel).to_have_count(0)
    expect(mine.filter(has_text="Des horaires élargis")).to_contain_text("Reçue")
    sent = Contribution.objects.get(body="Des horaires élargis")
    assert (sent.activity_id, sent.column) == (board_activity.pk, "c2")

    # "Solutions" takes one note each: then sending is off, with the reason.
    idea.fill("Simplifier le vocabulaire")
    send.click()
    expect(mine.filter(has_text="Simplifier le vocabulaire")).to_contain_text("Reçue")
    expect(board.locator("li", has_text="Simplifier le vocabulaire")).to_contain_text(
        f"Par {pseudonym}"
    )
    expect(phone.get_by_text("1 / 1 contributions envoyées")).to_be_visible()
    expect(phone.get_by_text("le maximum pour cette activité")).to_be_visible()
    expect(send).to_be_disabled()

    # A draft for an activity that closes is kept, and can be used for the current one.
    idea.fill("Une idée pour plus tard")
    on_server(
        actions.agenda_goto, user=user, workshop_id=workshop.pk, activity_id=board_activity.pk
    )
    on_server(actions.activity_close, user=user, workshop_id=workshop.pk, activity_id=solutions_id)
    expect(title).to_have_text("Irritants et idées")
    panel = phone.get_by_role("region", name="Brouillon pour « Solutions »")
    expect(panel).to_contain_text("« Solutions » est fermée : votre texte est conservé ici.")
    expect(panel.get_by_role("button", name="Envoyer dans")).to_have_count(0)
    expect(send).to_be_enabled()
    panel.get_by_role("button", name="Utiliser pour « Irritants et idées »").click()
    expect(panel).to_have_count(0)
    expect(idea).to_have_value("Une idée pour plus tard")
    expect(idea).to_be_focused()
    choose(phone, "Idées")
    send.click()
    expect(mine.filter(has_text="Une idée pour plus tard")).to_contain_text("Reçue")
    assert Contribution.objects.get(body="Une idée pour plus tard").activity_id == (
        board_activity.pk
    )

    # A draft can also be erased, after a confirmation.
    idea.fill("Brouillon jetable")
    on_server(actions.agenda_goto, user=user, workshop_id=workshop.pk, activity_id=solutions_id)
    panel = phone.get_by_role("region", name="Brouillon pour « Irritants et idées »")
    expect(panel).to_contain_text("Brouillon jetable")
    panel.get_by_role("button", name="Effacer le brouillon").click()
    expect(panel).to_have_count(0)
    phone.reload()
    expect(title).to_have_text("Solutions")
    expect(phone.get_by_text("Brouillon jetable")).to_have_count(0)

    # A note the facilitator hides leaves the board; its author is told, even after a reload.
    hidden = Contribution.objects.get(body="Simplifier le vocabulaire")
    on_server(
        moderation.contribution_hide,
        user=user,
        workshop_id=workshop.pk,
        contribution_id=hidden.pk,
        reason="Hors sujet",
    )
    expect(board.locator("li", has_text="Simplifier le vocabulaire")).to_have_count(0)
    expect(mine.filter(has_text="Simplifier le vocabulaire")).to_contain_text(
        "Masquée par l'animation"
    )
    phone.reload()
    expect(mine.filter(has_text="Simplifier le vocabulaire")).to_contain_text(
        "Masquée par l'animation"
    )
    context.close()
