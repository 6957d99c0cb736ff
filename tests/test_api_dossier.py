"""The REST API of the dossier, workshops, results and evidence (docs/api.md): who may
read and write what (the same rules as the pages), token and session authentication,
validation, and evidence files served byte for byte."""

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ateliers import actions
from ateliers.evidence import challenge_evidence, results_document
from ateliers.models import BudgetLine, Challenge, Evidence, Workshop
from ateliers.serializers import EvidenceDocumentSerializer
from participation.actions import contribution_create, participant_join
from tests.factories import ChallengeFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_evidence(challenge: Challenge, workshop: Workshop, user) -> Evidence:
    """An evidence row as attach writes it (its own digests), without running a workshop."""
    document = json.dumps({"résultats": "Accueil du public", "n": 1}, ensure_ascii=False)
    csv, pdf = b"profil;nombre\r\nusager;<5\r\n", b"%PDF-1.7 fictif"
    return Evidence.objects.create(
        challenge=challenge,
        workshop=workshop,
        title="Résultats de l'atelier",
        attached_at=timezone.now(),
        attached_by=user,
        document=document,
        digest=sha256(document.encode()),
        csv=csv,
        csv_digest=sha256(csv),
        pdf=pdf,
        pdf_digest=sha256(pdf),
    )


@pytest.fixture
def lead(db):
    return UserFactory(username="porteuse")


@pytest.fixture
def reader(db):
    """Facilitates one workshop of the challenge: reads its dossier, changes nothing."""
    return UserFactory(username="animateur-lecteur")


@pytest.fixture
def stranger(db):
    """Leads another challenge: sees nothing of this one."""
    user = UserFactory(username="autre-porteur")
    ChallengeFactory(title="Autre défi", leads=[user])
    return user


@pytest.fixture
def challenge(lead):
    challenge = ChallengeFactory(title="Accueil en préfecture", leads=[lead], problem="Attente")
    BudgetLine.objects.create(
        challenge=challenge, label="Prestataire", amount=1000, self_financed=200, position=1
    )
    BudgetLine.objects.create(
        challenge=challenge, label="Matériel", amount=500, self_financed=0, position=2
    )
    return challenge


@pytest.fixture
def workshop(challenge, reader):
    return WorkshopFactory(challenge=challenge, title="Atelier usagers", facilitators=[reader])


@pytest.fixture
def other_workshop(challenge):
    """A workshop of the same challenge that `reader` does not facilitate."""
    return WorkshopFactory(challenge=challenge, title="Atelier agents")


@pytest.fixture
def evidence(challenge, workshop, lead):
    return stored_evidence(challenge, workshop, lead)


def as_user(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# Every endpoint, with how to build its address from the fixtures.
READS: list[tuple[str, Callable]] = [
    ("api_challenge", lambda c, w, e: {"pk": c.pk}),
    ("api_challenge_workshops", lambda c, w, e: {"pk": c.pk}),
    ("api_challenge_evidence", lambda c, w, e: {"pk": c.pk}),
    ("api_challenge_evidence_summary", lambda c, w, e: {"pk": c.pk}),
    ("api_workshop", lambda c, w, e: {"pk": w.pk}),
    ("api_workshop_results", lambda c, w, e: {"pk": w.pk}),
    ("api_evidence", lambda c, w, e: {"pk": e.pk}),
    ("api_evidence_document", lambda c, w, e: {"pk": e.pk}),
    ("api_evidence_csv", lambda c, w, e: {"pk": e.pk}),
    ("api_evidence_pdf", lambda c, w, e: {"pk": e.pk}),
]
WRITES: list[tuple[str, str, Callable, dict]] = [
    ("patch", "api_challenge", lambda c, w, e: {"pk": c.pk}, {"problem": "Nouveau"}),
    ("post", "api_challenge_evidence", lambda c, w, e: {"pk": c.pk}, {"workshop": 0}),
]


@pytest.mark.parametrize(("name", "kwargs"), READS, ids=[r[0] for r in READS])
def test_reads_follow_the_pages_permissions(
    name, kwargs, lead, reader, stranger, challenge, workshop, evidence
):
    url = reverse(name, kwargs=kwargs(challenge, workshop, evidence))
    assert as_user(lead).get(url).status_code == 200
    assert as_user(reader).get(url).status_code == 200

    # Someone who cannot see it cannot tell it from an id that does not exist.
    hidden = as_user(stranger).get(url)
    missing_kwargs = {"pk": kwargs(challenge, workshop, evidence)["pk"] + 10_000}
    missing = as_user(lead).get(reverse(name, kwargs=missing_kwargs))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.json()["code"] == "not_found"

    anonymous = as_user(None).get(url)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("method", "name", "kwargs", "body"), WRITES, ids=[f"{w[0]}-{w[1]}" for w in WRITES]
)
def test_only_leads_write(method, name, kwargs, body, lead, reader, stranger, challenge, workshop):
    url = reverse(name, kwargs=kwargs(challenge, workshop, None))
    before = Challenge.objects.get(pk=challenge.pk).problem

    refused = getattr(as_user(reader), method)(url, body, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    hidden = getattr(as_user(stranger), method)(url, body, format="json")
    assert hidden.status_code == 404
    assert getattr(as_user(None), method)(url, body, format="json").status_code == 401

    assert Challenge.objects.get(pk=challenge.pk).problem == before
    assert not Evidence.objects.exists()
    # The lead gets past the permission check (here to the body's validation, or a save).
    assert getattr(as_user(lead), method)(url, body, format="json").status_code in (200, 400)


def test_lists_hold_what_the_user_may_read(
    lead, reader, stranger, challenge, workshop, other_workshop
):
    def titles(user, name: str) -> set[str]:
        return {row["title"] for row in as_user(user).get(reverse(name)).json()}

    assert titles(lead, "api_challenges") == {"Accueil en préfecture"}
    assert titles(reader, "api_challenges") == {"Accueil en préfecture"}
    assert titles(stranger, "api_challenges") == {"Autre défi"}
    # A facilitator reads every workshop of the challenge, not only their own.
    assert titles(reader, "api_workshops") == {"Atelier usagers", "Atelier agents"}
    assert titles(lead, "api_workshops") == {"Atelier usagers", "Atelier agents"}
    assert titles(stranger, "api_workshops") == set()
    assert as_user(None).get(reverse("api_workshops")).status_code == 401


def test_the_dossier_with_its_budget_and_totals(lead, challenge):
    response = as_user(lead).get(reverse("api_challenge", kwargs={"pk": challenge.pk}))
    data = response.json()
    assert data["title"] == "Accueil en préfecture"
    assert data["problem"] == "Attente"
    assert data["maturity"] == "cadrage"
    assert data["leads"] == ["porteuse"]
    assert [
        (line["label"], line["amount"], line["self_financed"]) for line in data["budget_lines"]
    ] == [
        ("Prestataire", "1000.00", "200.00"),
        ("Matériel", "500.00", "0.00"),
    ]
    assert (data["total"], data["self_financing"], data["requested"]) == (
        "1500.00",
        "200.00",
        "1300.00",
    )
    assert data["self_financing_share"] == "13.3"


def test_a_challenge_without_budget_has_no_share(lead):
    bare = ChallengeFactory(leads=[lead])
    data = as_user(lead).get(reverse("api_challenge", kwargs={"pk": bare.pk})).json()
    assert (data["budget_lines"], data["total"], data["self_financing_share"]) == ([], "0.00", None)


def test_token_authentication_reads_and_writes_without_csrf(lead, challenge):
    token = Token.objects.create(user=lead)
    client = APIClient(enforce_csrf_checks=True)
    url = reverse("api_challenge", kwargs={"pk": challenge.pk})

    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(url).json()["id"] == challenge.pk
    response = client.patch(url, {"signatory_level": "Préfet"}, format="json")
    assert response.status_code == 200
    assert Challenge.objects.get(pk=challenge.pk).signatory_level == "Préfet"

    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    refused = client.get(url)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"


def test_session_authentication_needs_the_csrf_token_to_write(lead, challenge):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(lead)
    url = reverse("api_challenge", kwargs={"pk": challenge.pk})
    assert client.get(url).status_code == 200

    refused = client.patch(url, {"problem": "Sans jeton CSRF"}, format="json")
    assert refused.status_code == 403
    assert Challenge.objects.get(pk=challenge.pk).problem == "Attente"

    client.get(reverse("login"))  # the login page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.patch(url, {"problem": "Avec"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    assert Challenge.objects.get(pk=challenge.pk).problem == "Avec"


def test_patch_changes_the_dossier_and_replaces_the_budget(lead, challenge):
    kept = challenge.budget_lines.get(label="Prestataire")
    url = reverse("api_challenge", kwargs={"pk": challenge.pk})
    response = as_user(lead).patch(
        url,
        {
            "maturity": "prototypage",
            "territories": "Lille\nRoubaix",
            "budget_lines": [
                {"label": "Ateliers", "amount": "300", "self_financed": "300"},
                {"id": kept.pk, "label": "Prestataire", "amount": "1200.50", "self_financed": "0"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["maturity"] == "prototypage"
    assert data["problem"] == "Attente"  # absent: unchanged
    assert (data["total"], data["self_financing"], data["requested"]) == (
        "1500.50",
        "300.00",
        "1200.50",
    )

    stored = Challenge.objects.get(pk=challenge.pk)
    assert (stored.maturity, stored.territories) == ("prototypage", "Lille\nRoubaix")
    lines = list(stored.budget_lines.order_by("position"))
    assert [(line.label, line.amount) for line in lines] == [
        ("Ateliers", Decimal("300.00")),
        ("Prestataire", Decimal("1200.50")),
    ]
    assert lines[1].pk == kept.pk  # sent back with its id: the same line, updated
    assert not BudgetLine.objects.filter(label="Matériel").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"maturity": "bientot"}, "maturity"),
        ({"title": ""}, "title"),
        (
            {"budget_lines": [{"label": "Salle", "amount": "100", "self_financed": "150"}]},
            "budget_lines",
        ),
        ({"budget_lines": [{"label": "Salle", "amount": "-1"}]}, "budget_lines"),
        ({"problme": "typo"}, "problme"),
    ],
    ids=[
        "unknown-maturity",
        "blank-title",
        "self-financing-over-amount",
        "negative",
        "unknown-field",
    ],
)
def test_patch_refuses_invalid_input_and_saves_nothing(lead, challenge, body, field):
    url = reverse("api_challenge", kwargs={"pk": challenge.pk})
    response = as_user(lead).patch(url, {**body, "problem": "Ne doit pas rester"}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    stored = Challenge.objects.get(pk=challenge.pk)
    assert (stored.problem, stored.maturity, stored.title) == (
        "Attente",
        "cadrage",
        "Accueil en préfecture",
    )
    assert stored.budget_lines.count() == 2


def test_a_budget_refused_by_the_domain_leaves_the_texts_sent_with_it_unsaved(
    lead, challenge, stranger
):
    foreign_line = BudgetLine.objects.create(
        challenge=Challenge.objects.get(title="Autre défi"), label="Ailleurs", amount=10
    )
    response = as_user(lead).patch(
        reverse("api_challenge", kwargs={"pk": challenge.pk}),
        {
            "problem": "Ne doit pas rester",
            "budget_lines": [{"id": foreign_line.pk, "label": "Volée", "amount": "1"}],
        },
        format="json",
    )
    assert response.status_code == 404
    assert Challenge.objects.get(pk=challenge.pk).problem == "Attente"
    foreign_line.refresh_from_db()
    assert foreign_line.label == "Ailleurs"


def test_workshops_of_a_challenge_with_their_facts_and_no_join_code(
    reader, challenge, workshop, other_workshop
):
    rows = as_user(reader).get(reverse("api_challenge_workshops", kwargs={"pk": challenge.pk}))
    by_title = {row["title"]: row for row in rows.json()}
    assert set(by_title) == {"Atelier usagers", "Atelier agents"}
    row = by_title["Atelier usagers"]
    assert row["challenge"] == challenge.pk
    assert (row["state"], row["mode"], row["methods"]) == ("draft", "presentiel", [])
    assert "join_code" not in row
    assert workshop.join_code not in rows.content.decode()


def test_evidence_metadata_and_document(reader, challenge, evidence):
    listed = as_user(reader).get(reverse("api_challenge_evidence", kwargs={"pk": challenge.pk}))
    (row,) = listed.json()
    assert row["digest"] == evidence.digest
    assert row["attached_by"] == "porteuse"
    assert row["workshop"] == evidence.workshop_id
    assert "document" not in row  # the list stays light

    detail = as_user(reader).get(row["document_url"].replace("document/", ""))
    assert detail.json()["document"] == {"résultats": "Accueil du public", "n": 1}
    assert detail.json()["csv_digest"] == evidence.csv_digest


@pytest.mark.parametrize(
    ("url_field", "digest_field", "content_type"),
    [
        ("document_url", "digest", "application/json"),
        ("csv_url", "csv_digest", "text/csv; charset=utf-8"),
        ("pdf_url", "pdf_digest", "application/pdf"),
    ],
)
def test_evidence_files_are_the_stored_bytes(lead, evidence, url_field, digest_field, content_type):
    client = as_user(lead)
    meta = client.get(reverse("api_evidence", kwargs={"pk": evidence.pk})).json()
    # Whatever the client says it accepts, the file is the one attached.
    response = client.get(meta[url_field], HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert sha256(response.content) == meta[digest_field]
    assert "attachment" in response["Content-Disposition"]


# Results and evidence from a workshop that really ran ------------------------------------


@pytest.fixture
def closed_workshop(lead, challenge):
    workshop = actions.workshop_create(
        user=lead, challenge=challenge, title="Atelier accueil", prompt="Vos irritants ?"
    )
    actions.workshop_start(user=lead, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    person = participant_join(
        workshop=workshop,
        device_token="tel-1",
        profile="usager",
        display_name="Jeanne Secrète",
        organisation="CAF du Nord",
    )
    contribution_create(
        participant=person,
        activity_id=workshop.activities.get().pk,
        body="Trop d'attente au guichet",
    )
    actions.workshop_close(user=lead, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    return workshop


def test_results_are_the_evidence_document_without_names(reader, lead, challenge, closed_workshop):
    closed_workshop.facilitators.add(reader)
    response = as_user(reader).get(
        reverse("api_workshop_results", kwargs={"pk": closed_workshop.pk})
    )
    assert response.status_code == 200
    assert response.json() == results_document(closed_workshop)
    assert "Trop d'attente au guichet" in response.content.decode()
    assert "Jeanne" not in response.content.decode()

    summary = as_user(lead).get(
        reverse("api_challenge_evidence_summary", kwargs={"pk": challenge.pk})
    )
    assert summary.json() == challenge_evidence(challenge)


def test_a_lead_attaches_a_closed_workshop_and_gets_its_files(lead, challenge, closed_workshop):
    client = as_user(lead)
    url = reverse("api_challenge_evidence", kwargs={"pk": challenge.pk})
    response = client.post(url, {"workshop": closed_workshop.pk}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    stored = Evidence.objects.get()
    assert created["id"] == stored.pk
    assert response["Location"].endswith(reverse("api_evidence", kwargs={"pk": stored.pk}))
    assert created["document"]["results"] == results_document(closed_workshop)
    # The schema describes the stored document's keys (EvidenceDocumentSerializer).
    assert set(created["document"]) == set(EvidenceDocumentSerializer().fields)

    document = client.get(created["document_url"])
    assert document["Content-Type"] == "application/json"
    assert sha256(document.content) == created["digest"] == stored.digest
    assert json.loads(document.content) == created["document"]
    pdf = client.get(created["pdf_url"])
    assert pdf.content.startswith(b"%PDF")
    assert sha256(pdf.content) == created["pdf_digest"]


def test_attaching_is_refused_for_a_live_workshop_or_one_of_another_challenge(
    lead, stranger, challenge, workshop
):
    client = as_user(lead)
    url = reverse("api_challenge_evidence", kwargs={"pk": challenge.pk})
    not_closed = client.post(url, {"workshop": workshop.pk}, format="json")
    assert not_closed.status_code == 409
    assert not_closed.json()["code"] == "workshop_not_closed"

    elsewhere = WorkshopFactory(challenge=Challenge.objects.get(title="Autre défi"))
    foreign = client.post(url, {"workshop": elsewhere.pk}, format="json")
    missing = client.post(url, {"workshop": elsewhere.pk + 10_000}, format="json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json()
    assert not Evidence.objects.exists()
