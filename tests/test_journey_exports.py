"""A journey map in the files: its rows in the evidence CSV (with the formula guard), its
"Parcours usager" section in the evidence PDF, and the map's own PDF, CSV, JSON and SVG
image, for the leads and facilitators of its challenge only."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ateliers.attach import attach_evidence
from ateliers.evidence import results_document
from tests.factories import ChallengeFactory, UserFactory
from tests.journey_seed import (
    FORMULA,
    HIDDEN_TEXT,
    HTML_CARD,
    PRIVATE_TEXT,
    seed_journey_workshop,
)

pytestmark = pytest.mark.django_db

KINDS = ("pdf", "csv", "json", "svg")
SVG = "{http://www.w3.org/2000/svg}"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeezed(text: str) -> str:
    """Without whitespace: a long cell may wrap anywhere in the PDF."""
    return "".join(text.split())


def csv_sections(content: bytes) -> dict[str, list[dict[str, str]]]:
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(content[3:].decode("utf-8")), delimiter=";")
    assert len(header) == 15 and all(len(row) == 15 for row in rows)
    sections: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        sections.setdefault(row[0], []).append(dict(zip(header, row, strict=True)))
    return sections


@pytest.fixture
def seed(facilitator):
    return seed_journey_workshop(facilitator)


@pytest.fixture
def evidence(facilitator, seed):
    return attach_evidence(user=facilitator, workshop_id=seed.workshop.pk, base_url="https://t")


def url(seed, kind: str, journey=None) -> str:
    journey = journey or seed.journey
    return reverse(
        f"journey_export_{kind}", kwargs={"pk": seed.workshop.pk, "activity_id": journey.pk}
    )


# The evidence CSV and PDF --------------------------------------------------------------------


def test_the_evidence_csv_has_a_row_per_card_per_stage_and_per_irritant(seed, evidence):
    sections = csv_sections(bytes(evidence.csv))
    entry = json.loads(evidence.document)["results"]["outputs"]["journeys"][0]
    cards = [
        r for r in sections["parcours"] if r["activité"] == seed.journey.title and r["colonne"]
    ]
    stages = {s["key"]: s["label"] for s in entry["stages"]}
    lanes = {lane["key"]: lane["label"] for lane in entry["lanes"]}
    expected = [
        (
            card["text"] if card["text"] != FORMULA else "'" + FORMULA,
            stages[c["stage"]],
            lanes[c["lane"]],
        )
        for c in entry["cells"]
        for card in c["cards"]
    ]
    assert [(r["élément"], r["colonne"], r["valeur"]) for r in cards] == expected
    assert len(cards) == 9
    pieces = next(r for r in cards if r["élément"] == "Trop de pièces justificatives")
    assert (pieces["colonne"], pieces["valeur"], pieces["regroupement"]) == (
        "Faire la démarche",
        "Irritants",
        "Démarches trop lourdes",
    )
    feelings = {
        r["élément"]: r for r in sections["ressenti"] if r["activité"] == seed.journey.title
    }
    first = feelings["Découvrir le besoin"]
    assert (first["valeur"], first["personnes"]) == ("−0,23 ± 1,48", "13")
    assert "Usager·e : −1,33 ± 0,75 (6 personnes)" in first["profils"]
    assert "Agent·e public·que : +1,00 ± 0,63 (5 personnes)" in first["profils"]
    assert "Élu·e : moins de 5" in first["profils"]
    assert "Usager·e : moins de 5" in feelings["Faire la démarche"]["profils"]
    # A positive mean is not mistaken for a formula (no "+" to neutralise).
    assert feelings["Attendre et suivre"]["valeur"] == "1,50 ± 0,50"
    assert feelings["Recevoir la réponse"]["personnes"] == "0"
    people = feelings["Personnes qui ont noté au moins une étape"]
    assert people["personnes"] == "13" and "Partenaire : moins de 5" in people["profils"]
    irritants = [(r["élément"], r["points"], r["rang"], r["colonne"]) for r in sections["irritant"]]
    assert irritants[0] == (
        "Faire la démarche — Trop de pièces justificatives",
        "5",
        "1",
        "Faire la démarche",
    )
    assert len(irritants) == 4


def test_the_csv_neutralises_formulas_and_keeps_hidden_and_private_text_out(evidence):
    content = bytes(evidence.csv)
    cells = [cell for rows in csv_sections(content).values() for r in rows for cell in r.values()]
    assert "'" + FORMULA in cells and FORMULA not in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    text = content.decode("utf-8-sig")
    assert HIDDEN_TEXT not in text and PRIVATE_TEXT not in text
    assert "(1 carte : texte non reproduit, parcours privé jamais révélé)" in text


def test_the_evidence_pdf_has_the_journey_section_the_curve_and_the_irritants(seed, evidence):
    content = bytes(evidence.pdf)
    text = pdf_text(content)
    assert "Parcours usager : Parcours usager" in text
    assert "Parcours usager : Parcours souhaité" in text
    for stage in seed.journey.columns:
        assert stage["label"] in text
    for words in ("Courbe des ressentis", "Irritants prioritaires de « Parcours usager »"):
        assert words in text
    flat = squeezed(text)
    # The curve's values, in the chart and in its table; the profiles given.
    assert squeezed("−0,23") in flat and squeezed("−1,33 ± 0,75 (6 personnes)") in flat
    assert squeezed("Usager·e (6 personnes)") in flat
    assert squeezed(HTML_CARD) in flat  # a card's HTML is printed as text
    assert HIDDEN_TEXT not in text and PRIVATE_TEXT not in text
    assert "texte non reproduit" in text
    pages = PdfReader(io.BytesIO(content)).pages
    assert any(p.mediabox.width > p.mediabox.height for p in pages)  # the map, landscape
    assert pages[0].mediabox.width < pages[0].mediabox.height  # the cover stays portrait


# The map alone -------------------------------------------------------------------------------


def test_the_maps_json_is_its_entry_in_the_evidence_document(client, facilitator, seed):
    client.force_login(facilitator)
    doc = results_document(seed.workshop)
    for journey in (seed.journey, seed.private_map):
        response = client.get(url(seed, "json", journey))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        entry = next(j for j in doc["outputs"]["journeys"] if j["activity_id"] == journey.pk)
        assert response.json() == entry
    assert PRIVATE_TEXT not in client.get(url(seed, "json", seed.private_map)).content.decode()


def test_the_maps_csv_has_its_rows_only(client, facilitator, seed):
    client.force_login(facilitator)
    response = client.get(url(seed, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f'filename="parcours-{seed.journey.pk}-parcours-usager.csv"'
        in (response["Content-Disposition"])
    )
    sections = csv_sections(response.content)
    assert set(sections) == {"atelier", "parcours", "ressenti", "irritant"}
    assert sections["atelier"][0]["valeur"] == seed.workshop.title
    assert {r["activité"] for r in sections["parcours"]} == {seed.journey.title}
    assert "'" + FORMULA in [r["élément"] for r in sections["parcours"]]


def test_the_maps_pdf_shows_the_map_and_carries_its_json(client, facilitator, seed):
    client.force_login(facilitator)
    response = client.get(url(seed, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert all(p.mediabox.width > p.mediabox.height for p in reader.pages)
    text = pdf_text(response.content)
    for words in (seed.workshop.title, seed.workshop.challenge.title, "Courbe des ressentis"):
        assert words in text
    for label in ("Trop de pièces justificatives", "Un suivi par SMS", "Site introuvable"):
        assert label in text
    embedded = json.loads(reader.attachments["parcours.json"][0])
    assert embedded == client.get(url(seed, "json")).json()


def test_the_maps_svg_is_an_image_with_its_stages_and_no_script(client, facilitator, seed):
    client.force_login(facilitator)
    response = client.get(url(seed, "svg"))
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    root = ET.fromstring(response.content)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    texts = [element.text or "" for element in root.iter(f"{SVG}text")]
    joined = " ".join(texts)
    for stage in seed.journey.columns:
        assert stage["label"] in joined
    assert any("Un suivi par SMS" in t for t in texts)
    assert "−1,38" in texts  # a mean of the curve, written out
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {
        "svg",
        "title",
        "desc",
        "g",
        "rect",
        "text",
        "line",
        "circle",
        "polygon",
        "polyline",
    }
    assert not any(
        name.startswith("on") or "href" in name
        for element in root.iter()
        for name in element.attrib
    )
    # The card written in HTML is only text: its "<script>" is characters, not an element.
    assert b"<script" not in response.content
    assert HIDDEN_TEXT not in response.content.decode()
    private = client.get(url(seed, "svg", seed.private_map)).content
    assert PRIVATE_TEXT not in private.decode()
    lines = " ".join(e.text or "" for e in ET.fromstring(private).iter(f"{SVG}text"))
    assert "(1 carte : texte non reproduit, parcours privé" in lines  # wrapped, counted


def test_the_results_page_links_each_maps_exports(client, facilitator, seed):
    client.force_login(facilitator)
    page = client.get(reverse("workshop_results", kwargs={"pk": seed.workshop.pk}))
    html = page.content.decode()
    for journey in (seed.journey, seed.private_map):
        for kind in KINDS:
            assert f'href="{url(seed, kind, journey)}"' in html
    assert "Faire la démarche — Trop de pièces justificatives" in html
    assert PRIVATE_TEXT not in html and HIDDEN_TEXT not in html


# Who may download ----------------------------------------------------------------------------


def test_a_facilitator_of_the_challenge_downloads_others_get_404(client, seed):
    facilitator = UserFactory()
    seed.workshop.facilitators.add(facilitator)
    client.force_login(facilitator)
    assert client.get(url(seed, "csv")).status_code == 200
    stranger = UserFactory()
    ChallengeFactory(leads=[stranger])  # a lead, of another challenge
    client.force_login(stranger)
    for kind in KINDS:
        assert client.get(url(seed, kind)).status_code == 404
    client.logout()
    response = client.get(url(seed, "json"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_only_a_journey_of_that_workshop_is_exported(client, facilitator, seed):
    client.force_login(facilitator)
    not_a_map = reverse(
        "journey_export_json", kwargs={"pk": seed.workshop.pk, "activity_id": seed.vote.pk}
    )
    assert client.get(not_a_map).status_code == 404
    other = seed_journey_workshop(facilitator)
    elsewhere = reverse(
        "journey_export_json", kwargs={"pk": seed.workshop.pk, "activity_id": other.journey.pk}
    )
    assert client.get(elsewhere).status_code == 404
