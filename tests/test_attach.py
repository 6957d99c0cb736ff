"""Attaching a closed workshop's results as evidence: who may, when, and what a lead and
a jury rely on afterwards — the snapshot never changes, every downloaded file matches
its digest, and the public page tells a genuine file from a tampered one."""

import hashlib
import json
from datetime import datetime
from unittest import mock

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from ateliers import actions, decisions
from ateliers.attach import SCHEMA, WorkshopNotClosed, attach_evidence, canonical_json
from ateliers.errors import Forbidden, InvalidInput, NotFound
from ateliers.models import Evidence, Workshop
from participation.models import Contribution, Participant, Vote, VoteItem
from tests.factories import UserFactory, closed_workshop_with_results

pytestmark = pytest.mark.django_db


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def lead():
    return UserFactory(first_name="Camille", last_name="Porteuse")


@pytest.fixture
def closed(lead) -> Workshop:
    return closed_workshop_with_results(lead)


@pytest.fixture
def evidence(lead, closed) -> Evidence:
    return attach_evidence(user=lead, workshop_id=closed.pk, base_url="https://cocon.test")


@pytest.fixture
def facilitator_only(closed):
    """Facilitates a workshop of the challenge, without being one of its leads."""
    user = UserFactory()
    closed.facilitators.add(user)
    return user


def downloads(client, evidence: Evidence) -> dict[str, bytes]:
    files = {}
    for kind in ("json", "csv", "pdf"):
        response = client.get(reverse(f"evidence_{kind}", kwargs={"pk": evidence.pk}))
        assert response.status_code == 200
        files[kind] = response.content
    return files


# Attaching ---------------------------------------------------------------------------------


def test_a_lead_attaches_a_closed_workshop_as_a_dated_snapshot_with_its_digests(
    lead, closed, evidence
):
    document = json.loads(evidence.document)
    assert document["schema"] == SCHEMA
    assert document["attached_by"] == "Camille Porteuse"
    assert document["challenge"] == {"id": closed.challenge_id, "title": closed.challenge.title}
    assert document["results"]["workshop"]["title"] == "Atelier accueil en mairie"
    assert document["results"]["participation"]["joined"] == 12
    assert datetime.fromisoformat(document["attached_at"]) == evidence.attached_at
    assert evidence.title == "Résultats de l'atelier « Atelier accueil en mairie »"
    assert (evidence.challenge, evidence.workshop, evidence.attached_by) == (
        closed.challenge,
        closed,
        lead,
    )
    # The stored text is the canonical form of its content, and each digest is its file's.
    assert evidence.document == canonical_json(document)
    assert evidence.digest == sha256(evidence.document.encode("utf-8"))
    assert evidence.csv_digest == sha256(bytes(evidence.csv))
    assert evidence.pdf_digest == sha256(bytes(evidence.pdf))
    assert bytes(evidence.pdf).startswith(b"%PDF-")


def test_the_snapshot_carries_no_participant_name(lead):
    workshop = closed_workshop_with_results(lead)
    Participant.objects.filter(workshop=workshop).update(display_name="Dominique Secret")
    evidence = attach_evidence(user=lead, workshop_id=workshop.pk)
    assert "Dominique Secret" not in evidence.document
    assert b"Dominique Secret" not in bytes(evidence.csv)


def test_a_given_title_is_kept(lead, closed):
    evidence = attach_evidence(user=lead, workshop_id=closed.pk, title="  Atelier du 14 mars  ")
    assert evidence.title == "Atelier du 14 mars"
    assert json.loads(evidence.document)["title"] == "Atelier du 14 mars"


def test_a_title_with_a_nul_byte_is_attached_without_it_and_too_long_is_refused(
    client, lead, closed
):
    """A NUL byte (pasted, or forged) would make PostgreSQL refuse the row: a 500."""
    client.force_login(lead)
    answer = client.post(
        reverse("evidence_attach", kwargs={"pk": closed.pk}), {"title": "Atelier\x00 de mars"}
    )
    assert answer.status_code == 302
    assert Evidence.objects.get().title == "Atelier de mars"
    with pytest.raises(InvalidInput):
        attach_evidence(user=lead, workshop_id=closed.pk, title="x" * 201)
    assert Evidence.objects.count() == 1


def test_a_facilitator_who_is_not_a_lead_may_not_attach(closed, facilitator_only):
    with pytest.raises(Forbidden):
        attach_evidence(user=facilitator_only, workshop_id=closed.pk)
    assert not Evidence.objects.exists()


def test_a_lead_of_another_challenge_does_not_even_learn_the_workshop_exists(closed):
    other_lead = UserFactory()
    closed_workshop_with_results(other_lead, title="Son propre atelier")
    with pytest.raises(NotFound):
        attach_evidence(user=other_lead, workshop_id=closed.pk)
    with pytest.raises(NotFound):
        attach_evidence(user=other_lead, workshop_id=closed.pk + 1000)
    assert not Evidence.objects.filter(workshop=closed).exists()


def test_a_live_or_draft_workshop_cannot_be_attached_its_results_are_not_final(
    facilitator, workshop
):
    with pytest.raises(WorkshopNotClosed) as refused:
        attach_evidence(user=facilitator, workshop_id=workshop.pk)
    assert "clôturé" in refused.value.message
    actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    with pytest.raises(WorkshopNotClosed):
        attach_evidence(user=facilitator, workshop_id=workshop.pk)
    assert not Evidence.objects.exists()


def test_a_double_click_in_the_same_second_gives_one_evidence(lead, closed):
    now = timezone.now()
    with mock.patch("ateliers.attach.timezone.now", return_value=now):
        first = attach_evidence(user=lead, workshop_id=closed.pk)
        second = attach_evidence(user=lead, workshop_id=closed.pk)
    assert first.pk == second.pk
    assert Evidence.objects.count() == 1


# Immutability -----------------------------------------------------------------------------


def test_later_edits_of_the_workshop_do_not_change_the_snapshot_or_its_files(
    client, lead, closed, evidence
):
    client.force_login(lead)
    before = downloads(client, evidence)
    stored = Evidence.objects.values("document", "digest", "csv_digest", "pdf_digest").get()

    # The workshop changes afterwards: a note is edited, the title too, a vote added,
    # and the team changes its mind about an item.
    note = Contribution.objects.filter(activity__workshop=closed).first()
    Contribution.objects.filter(pk=note.pk).update(body="Texte réécrit après coup")
    Workshop.objects.filter(pk=closed.pk).update(title="Titre changé après coup")
    item = VoteItem.objects.filter(activity__workshop=closed).order_by("position").last()
    voter = Participant.objects.filter(workshop=closed).first()
    Vote.objects.create(activity=item.activity, item=item, participant=voter)
    decisions.decision_set(
        user=lead,
        workshop_id=closed.pk,
        target_kind="vote_item",
        target_id=item.pk,
        status="a_explorer",
    )

    assert Evidence.objects.values("document", "digest", "csv_digest", "pdf_digest").get() == (
        stored
    )
    assert downloads(client, evidence) == before
    for text in (before["json"], before["csv"]):
        assert "Texte réécrit après coup".encode() not in text
        assert "Titre changé après coup".encode() not in text
    # …while a new snapshot does see the changes (so the check above could fail).
    later = attach_evidence(user=lead, workshop_id=closed.pk)
    assert later.digest != evidence.digest
    assert "Texte réécrit après coup" in later.document
    assert "Titre changé après coup" in later.document


def test_the_database_refuses_to_update_an_evidence_row(evidence):
    with pytest.raises(DatabaseError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(title="Falsifiée")
    with pytest.raises(DatabaseError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(document="{}")
    evidence.refresh_from_db()
    assert evidence.title != "Falsifiée"


# Downloads ---------------------------------------------------------------------------------


def test_each_download_is_the_stored_file_and_matches_its_digest(client, lead, evidence):
    client.force_login(lead)
    for kind, digest, content_type in (
        ("json", evidence.digest, "application/json"),
        ("csv", evidence.csv_digest, "text/csv"),
        ("pdf", evidence.pdf_digest, "application/pdf"),
    ):
        response = client.get(reverse(f"evidence_{kind}", kwargs={"pk": evidence.pk}))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert sha256(response.content) == digest
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f"preuve-{evidence.pk}-atelier-accueil-en-mairie-" in disposition
        assert disposition.endswith(f'.{kind}"')
    assert client.get(reverse("evidence_json", kwargs={"pk": evidence.pk})).content == (
        evidence.document.encode("utf-8")
    )


def test_the_detail_page_shows_every_digest_in_full(client, lead, evidence):
    client.force_login(lead)
    page = client.get(reverse("evidence_detail", kwargs={"pk": evidence.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    for digest in (evidence.digest, evidence.csv_digest, evidence.pdf_digest):
        assert digest in html
    assert evidence.title.replace("'", "&#x27;") in html
    assert reverse("evidence_pdf", kwargs={"pk": evidence.pk}) in html


# Who may see and attach through the pages ------------------------------------------------


def test_facilitators_of_the_challenge_read_and_download_but_others_get_404(
    client, evidence, facilitator_only
):
    pages = [
        reverse("evidence_detail", kwargs={"pk": evidence.pk}),
        reverse("evidence_json", kwargs={"pk": evidence.pk}),
        reverse("evidence_csv", kwargs={"pk": evidence.pk}),
        reverse("evidence_pdf", kwargs={"pk": evidence.pk}),
        reverse("challenge_evidence", kwargs={"pk": evidence.challenge_id}),
        reverse("challenge_dossier_pdf", kwargs={"pk": evidence.challenge_id}),
        reverse("challenge_evidence_pack", kwargs={"pk": evidence.challenge_id}),
    ]
    client.force_login(facilitator_only)
    for url in pages:
        assert client.get(url).status_code == 200, url
    listing = client.get(pages[4]).content.decode()
    assert "Joindre les résultats au dossier" not in listing  # read only

    client.force_login(UserFactory())
    for url in pages:
        assert client.get(url).status_code == 404, url
    client.logout()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"], url


def test_a_lead_attaches_from_the_evidence_page(client, lead, closed):
    client.force_login(lead)
    listing = client.get(reverse("challenge_evidence", kwargs={"pk": closed.challenge_id}))
    assert reverse("evidence_attach", kwargs={"pk": closed.pk}) in listing.content.decode()
    response = client.post(
        reverse("evidence_attach", kwargs={"pk": closed.pk}), {"title": "Atelier du 14 mars"}
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence_detail", kwargs={"pk": evidence.pk})
    assert evidence.title == "Atelier du 14 mars"
    # The printed verification link is absolute, on the request's host.
    assert f"http://testserver/verifier/?empreinte={evidence.digest}" in evidence_pdf_text(evidence)


def test_behind_a_proxy_the_printed_link_uses_the_public_url(client, lead, closed, settings):
    settings.PUBLIC_URL = "https://cocon.exemple.gouv.fr"
    client.force_login(lead)
    client.post(reverse("evidence_attach", kwargs={"pk": closed.pk}))
    evidence = Evidence.objects.get()
    text = evidence_pdf_text(evidence)
    assert f"https://cocon.exemple.gouv.fr/verifier/?empreinte={evidence.digest}" in text
    assert "testserver" not in text


def test_attaching_through_the_page_is_for_leads_only(client, closed, facilitator_only):
    url = reverse("evidence_attach", kwargs={"pk": closed.pk})
    client.force_login(facilitator_only)
    assert client.post(url).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)
    assert not Evidence.objects.exists()


def test_attaching_a_live_workshop_through_the_page_says_why_and_changes_nothing(
    client, facilitator, live_workshop
):
    client.force_login(facilitator)
    response = client.post(reverse("evidence_attach", kwargs={"pk": live_workshop.pk}), follow=True)
    assert response.status_code == 200
    assert "Seul un atelier clôturé peut être joint" in response.content.decode()
    assert not Evidence.objects.exists()


# The public verification page -----------------------------------------------------------


def evidence_pdf_text(evidence: Evidence) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(bytes(evidence.pdf)))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\n", "")


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("kind", ["pdf", "csv", "json"])
def test_anyone_can_check_a_downloaded_file_by_uploading_it(client, evidence, kind):
    content = {
        "pdf": bytes(evidence.pdf),
        "csv": bytes(evidence.csv),
        "json": evidence.document.encode(),
    }[kind]
    response = client.post(reverse("evidence_verify"), {"fichier": upload(f"x.{kind}", content)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce fichier correspond à une preuve jointe" in html
    assert f"Fichier {kind.upper()} d'une preuve" in html
    assert evidence.challenge.title in html
    assert "Atelier accueil en mairie" in html
    # Only the public facts: not who attached it, not the results.
    assert "Camille" not in html
    assert "Trop de pièces justificatives" not in html


def test_a_tampered_file_is_not_recognised(client, evidence):
    tampered = bytearray(bytes(evidence.pdf))
    tampered[len(tampered) // 2] ^= 0x01
    response = client.post(reverse("evidence_verify"), {"fichier": upload("x.pdf", tampered)})
    html = response.content.decode()
    assert "Aucune preuve ne correspond" in html
    assert "Ce fichier correspond" not in html
    assert sha256(bytes(tampered)) in html  # the reader sees what was computed

    edited_json = evidence.document.replace("Atelier accueil", "Atelier accueiL").encode()
    response = client.post(reverse("evidence_verify"), {"fichier": upload("x.json", edited_json)})
    assert "Aucune preuve ne correspond" in response.content.decode()


def test_a_digest_can_be_pasted_or_followed_from_the_qr_code(client, evidence):
    pasted = client.post(reverse("evidence_verify"), {"empreinte": evidence.csv_digest.upper()})
    assert "Ce fichier correspond à une preuve jointe" in pasted.content.decode()
    followed = client.get(reverse("evidence_verify") + f"?empreinte={evidence.digest}")
    assert "Ce fichier correspond à une preuve jointe" in followed.content.decode()
    unknown = client.get(reverse("evidence_verify") + "?empreinte=" + "0" * 64)
    assert "Aucune preuve ne correspond" in unknown.content.decode()
    malformed = client.get(reverse("evidence_verify") + "?empreinte=abc")
    assert malformed.status_code == 400
    assert "64 caractères" in malformed.content.decode()
    empty = client.post(reverse("evidence_verify"), {})
    assert empty.status_code == 400
