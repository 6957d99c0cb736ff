"""Recording decisions about a workshop's outputs, and switching its public results page:
who may, on what, with which rules."""

import pytest

from ateliers.decisions import (
    ReasonRequired,
    decision_clear,
    decision_set,
    public_results_set,
    public_results_url,
)
from ateliers.errors import Forbidden, InvalidInput, NotFound
from ateliers.models import Decision, DecisionStatus
from tests.factories import ChallengeFactory, UserFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(facilitator):
    return seed_evidence_workshop(facilitator)


def decide(user, seed, kind="vote_item", target_id=None, **fields):
    fields.setdefault("status", DecisionStatus.KEPT)
    return decision_set(
        user=user,
        workshop_id=seed.workshop.pk,
        target_kind=kind,
        target_id=target_id or seed.items["papiers"].pk,
        **fields,
    )


def test_a_lead_records_then_changes_a_decision_on_the_same_row(facilitator, seed):
    first = decide(facilitator, seed, destination="Formulaire simplifié")
    again = decide(
        facilitator, seed, status=DecisionStatus.EXPLORE, destination="Groupe de travail"
    )
    assert again.pk == first.pk
    decision = Decision.objects.get(vote_item=seed.items["papiers"])
    assert (decision.status, decision.destination) == ("a_explorer", "Groupe de travail")
    assert decision.decided_by == facilitator
    assert decision.workshop == seed.workshop


def test_a_facilitator_who_is_not_a_lead_may_read_but_not_decide(seed):
    animator = UserFactory()
    seed.workshop.facilitators.add(animator)
    with pytest.raises(Forbidden):
        decide(animator, seed)
    with pytest.raises(Forbidden):
        public_results_set(user=animator, workshop_id=seed.workshop.pk, on=True)
    assert not Decision.objects.exists()


def test_the_lead_of_another_challenge_learns_nothing(seed):
    other = UserFactory()
    ChallengeFactory(leads=[other])
    with pytest.raises(NotFound):
        decide(other, seed)
    with pytest.raises(NotFound):
        public_results_set(user=other, workshop_id=seed.workshop.pk, on=True)


def test_setting_aside_needs_a_reason(facilitator, seed):
    with pytest.raises(ReasonRequired) as refused:
        decide(facilitator, seed, status=DecisionStatus.SET_ASIDE, reason="   ")
    assert "pourquoi" in refused.value.message
    assert not Decision.objects.exists()
    decide(facilitator, seed, status=DecisionStatus.SET_ASIDE, reason="Déjà prévu en 2026")
    assert Decision.objects.get().reason == "Déjà prévu en 2026"


def test_an_unknown_status_or_kind_is_refused(facilitator, seed):
    with pytest.raises(InvalidInput):
        decide(facilitator, seed, status="peut-etre")
    with pytest.raises(InvalidInput):
        decide(facilitator, seed, kind="activity")


def test_the_target_must_belong_to_the_workshop(facilitator, seed):
    other = seed_evidence_workshop(facilitator)
    for kind, target in (
        ("vote_item", other.items["papiers"].pk),
        ("contribution", other.notes["papiers"].pk),
        ("cluster", other.cluster.pk),
    ):
        with pytest.raises(NotFound):
            decide(facilitator, seed, kind=kind, target_id=target)
    assert not Decision.objects.exists()


def test_a_hidden_note_is_not_an_output_to_decide_on(facilitator, seed):
    with pytest.raises(NotFound):
        decide(facilitator, seed, kind="contribution", target_id=seed.notes["insulte"].pk)


def test_a_decision_can_be_withdrawn(facilitator, seed):
    decide(facilitator, seed, kind="cluster", target_id=seed.cluster.pk)
    assert decision_clear(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="cluster",
        target_id=seed.cluster.pk,
    )
    assert not Decision.objects.exists()
    assert not decision_clear(
        user=facilitator,
        workshop_id=seed.workshop.pk,
        target_kind="cluster",
        target_id=seed.cluster.pk,
    )


def test_the_public_page_keeps_its_address_when_switched_off_and_on(facilitator, seed):
    assert public_results_url(None, seed.workshop) is None
    workshop = public_results_set(user=facilitator, workshop_id=seed.workshop.pk, on=True)
    token = workshop.public_token
    assert len(token) >= 20
    assert public_results_url(None, workshop) == f"/resultats/{token}/"
    workshop = public_results_set(user=facilitator, workshop_id=seed.workshop.pk, on=False)
    assert (workshop.public_results, workshop.public_token) == (False, token)
    assert public_results_url(None, workshop) is None
    workshop = public_results_set(user=facilitator, workshop_id=seed.workshop.pk, on=True)
    assert workshop.public_token == token
