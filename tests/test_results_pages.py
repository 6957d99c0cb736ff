"""The results page (leads and facilitators) and the public page "what became of your
contributions" (anyone with its address, while it is on)."""

import pytest
from django.urls import reverse

from ateliers import actions, agenda
from ateliers.decisions import decision_set, public_results_set
from ateliers.models import Activity, Decision, Workshop
from participation import actions as participation_actions
from participation import moderation, voting
from tests.factories import ChallengeFactory, UserFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(facilitator):
    return seed_evidence_workshop(facilitator)


def results_url(seed) -> str:
    return reverse("workshop_results", kwargs={"pk": seed.workshop.pk})


def post_decision(client, seed, **fields):
    return client.post(
        reverse("decision_save", kwargs={"pk": seed.workshop.pk}),
        {"target_kind": "vote_item", "target_id": seed.items["papiers"].pk, **fields},
    )


def test_the_lead_sees_the_figures_and_a_decision_form_per_output(client, facilitator, seed):
    client.force_login(facilitator)
    response = client.get(results_url(seed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Participant·es par profil" in page
    assert "moins de 5" in page  # usagers and the elected official
    assert "Trop de papiers à fournir" in page
    assert "Irritants prioritaires" in page
    assert "Message insultant" not in page
    assert "Camille Dupont" not in page and "Dominique Martin" not in page
    assert f'id="vote_item-{seed.items["papiers"].pk}-status"' in page
    assert f'id="cluster-{seed.cluster.pk}-status"' in page
    assert f'id="contribution-{seed.notes["guichet"].pk}-status"' in page


def test_a_facilitator_who_is_not_a_lead_reads_without_forms(client, seed):
    animator = UserFactory()
    seed.workshop.facilitators.add(animator)
    client.force_login(animator)
    response = client.get(results_url(seed))
    assert response.status_code == 200
    assert "Lecture seule" in response.content.decode()
    assert 'name="status"' not in response.content.decode()
    assert post_decision(client, seed, status="retenu").status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["other_lead", "anonymous"])
def test_outsiders_get_404_or_the_login_page(client, seed, who):
    if who == "other_lead":
        other = UserFactory()
        ChallengeFactory(leads=[other])
        client.force_login(other)
        assert client.get(results_url(seed)).status_code == 404
        assert post_decision(client, seed, status="retenu").status_code == 404
        switch = reverse("public_results_switch", kwargs={"pk": seed.workshop.pk})
        assert client.post(switch, {"on": "1"}).status_code == 404
    else:
        response = client.get(results_url(seed))
        assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert not Decision.objects.exists()


def test_the_lead_records_a_decision_from_the_page(client, facilitator, seed):
    client.force_login(facilitator)
    response = post_decision(client, seed, status="retenu", destination="Formulaire v2")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#vote_item-{seed.items['papiers'].pk}")
    decision = Decision.objects.get(vote_item=seed.items["papiers"])
    assert (decision.status, decision.destination) == ("retenu", "Formulaire v2")
    page = client.get(results_url(seed)).content.decode()
    assert "Formulaire v2" in page
    assert "Décisions et traçabilité" in page


def test_setting_aside_without_a_reason_keeps_what_was_typed(client, facilitator, seed):
    client.force_login(facilitator)
    response = post_decision(client, seed, status="ecarte", destination="Rien pour l'instant")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez pourquoi cet élément est écarté" in page
    assert 'value="Rien pour l&#x27;instant"' in page
    assert not Decision.objects.exists()


def test_a_target_of_another_workshop_is_refused(client, facilitator, seed):
    other = seed_evidence_workshop(facilitator, seed.workshop.challenge)
    client.force_login(facilitator)
    response = post_decision(client, seed, status="retenu", target_id=other.items["papiers"].pk)
    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_the_public_page_is_404_until_switched_on_and_after_switched_off(client, facilitator, seed):
    client.force_login(facilitator)
    switch = reverse("public_results_switch", kwargs={"pk": seed.workshop.pk})
    assert client.post(switch, {"on": "1"}).status_code == 302
    token = Workshop.objects.get(pk=seed.workshop.pk).public_token
    client.logout()
    public = reverse("public_results", kwargs={"token": token})
    assert client.get(public).status_code == 200
    assert client.get(reverse("public_results", kwargs={"token": "x" + token})).status_code == 404
    public_results_set(user=facilitator, workshop_id=seed.workshop.pk, on=False)
    assert client.get(public).status_code == 404


def test_the_public_page_shows_decisions_and_no_name(client, facilitator, seed):
    for kind, target, status, extra in (
        ("vote_item", seed.items["papiers"].pk, "retenu", {"destination": "Formulaire v2"}),
        ("cluster", seed.cluster.pk, "a_explorer", {"reason": "Note interne de l'équipe"}),
        ("contribution", seed.notes["guichet"].pk, "ecarte", {"reason": "Hors périmètre"}),
    ):
        decision_set(
            user=facilitator,
            workshop_id=seed.workshop.pk,
            target_kind=kind,
            target_id=target,
            status=status,
            **extra,
        )
    workshop = public_results_set(user=facilitator, workshop_id=seed.workshop.pk, on=True)
    page = client.get(reverse("public_results", kwargs={"token": workshop.public_token}))
    text = page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    assert "Ce que sont devenues vos contributions" in text
    assert "Accueil en mairie" in text
    assert "Trop de papiers à fournir" in text and "Formulaire v2" in text
    assert "Accueil" in text and "À explorer" in text
    assert "Un guichet unique" in text and "Hors périmètre" in text  # set aside: why
    assert "Note interne de l&#x27;équipe" not in text  # other reasons stay with the team
    assert "Message insultant" not in text and "Propos injurieux" not in text
    # Organisations are all under five people here: counted, never named.
    assert "3 organisations représentées" in text
    for name in ("Mairie de Lille", "CAF du Nord", "Conseil départemental"):
        assert name not in text
    assert "3 territoires (Lille et d'autres)" in text  # five people from Lille: named
    for person in seed.people.values():
        if person.display_name:
            assert person.display_name not in text
        assert person.pseudonym not in text


def test_the_public_page_keeps_what_the_room_has_not_seen(client, facilitator, live_workshop):
    """A private board never revealed, and a vote still open with its results hidden,
    stay off the public page even when the page is on during the workshop."""
    board = live_workshop.current_activity
    person = participation_actions.participant_join(
        workshop=live_workshop, device_token="p", profile="usager"
    )
    done = participation_actions.contribution_create(
        participant=person, activity_id=board.pk, body="Idée montrée à la salle"
    )
    made = agenda.vote_activity_add(
        user=facilitator, workshop_id=live_workshop.pk, title="Vote secret", source_id=board.pk
    )  # results hidden until revealed, by default
    vote = Activity.objects.get(pk=made.result["activity_id"])
    actions.agenda_goto(user=facilitator, workshop_id=live_workshop.pk, activity_id=vote.pk)
    voting.vote_add(participant=person, item_id=vote.vote_items.get().pk)
    made = agenda.activity_add(
        user=facilitator, workshop_id=live_workshop.pk, title="En privé", private=True
    )
    private_id = made.result["activity_id"]
    actions.agenda_goto(user=facilitator, workshop_id=live_workshop.pk, activity_id=private_id)
    secret = participation_actions.contribution_create(
        participant=person, activity_id=private_id, body="Confié à l'équipe seulement"
    )
    grouped = moderation.cluster_create(
        user=facilitator,
        workshop_id=live_workshop.pk,
        activity_id=private_id,
        title="Regroupement jamais montré",
    )
    targets = [
        ("contribution", done.result["contribution_id"]),
        ("contribution", secret.result["contribution_id"]),
        ("cluster", grouped.result["cluster_id"]),
    ]
    for kind, target_id in targets:
        decision_set(
            user=facilitator,
            workshop_id=live_workshop.pk,
            target_kind=kind,
            target_id=target_id,
            status="retenu",
        )
    workshop = public_results_set(user=facilitator, workshop_id=live_workshop.pk, on=True)
    text = client.get(reverse("public_results", kwargs={"token": workshop.public_token}))
    text = text.content.decode()
    assert "Idée montrée à la salle" in text  # its decision
    assert "Confié à l&#x27;équipe seulement" not in text
    assert "Confié à l'équipe seulement" not in text
    assert "Regroupement jamais montré" not in text  # a cluster of that board: its title too
    assert "Vote secret" not in text
    actions.activity_close(user=facilitator, workshop_id=live_workshop.pk, activity_id=vote.pk)
    text = client.get(reverse("public_results", kwargs={"token": workshop.public_token}))
    assert "Vote secret" in text.content.decode()  # closed: its results may be quoted
