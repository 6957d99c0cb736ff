"""An optional profile: "Je préfère ne pas le dire" is counted as "non renseigné" on every
path that counts people by profile, under the small-group rule."""

import pytest

from ateliers.evidence import results_document
from participation.models import Participant, Profile
from participation.tallies import tally_out
from tests.factories import seed_evidence_workshop

pytestmark = pytest.mark.django_db


def test_people_who_gave_no_profile_are_counted_as_non_renseigne(facilitator):
    seed = seed_evidence_workshop(facilitator)
    Participant.objects.filter(pk__in=[seed.people["u1"].pk, seed.people["u2"].pk]).update(
        profile=Profile.UNSPECIFIED
    )
    doc = results_document(seed.workshop)
    rows = {r["profile"]: r for r in doc["participation"]["by_profile"]}
    assert rows["non_renseigne"]["label"] == "Non renseigné"
    assert rows["non_renseigne"]["joined"] == "<5"  # two people: never an exact small count
    assert doc["participation"]["joined"] == 10
    # Their dots are counted in the vote's split by profile, under the same rule.
    tally = tally_out(seed.vote)
    assert "non_renseigne" in (tally.by_profile or {})


def test_a_document_without_anyone_unspecified_has_no_such_row(facilitator):
    doc = results_document(seed_evidence_workshop(facilitator).workshop)
    assert "non_renseigne" not in {r["profile"] for r in doc["participation"]["by_profile"]}
