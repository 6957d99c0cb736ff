"""The files a jury gets: the CSV opens safely in a spreadsheet, the PDF says in French
what happened with the full digest on it and renders participants' text as text, and the
evidence pack's SHA256SUMS checks every file it holds."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ateliers import exports
from ateliers.attach import attach_evidence
from ateliers.dossier import budget_line_add, challenge_update
from participation.models import Vote
from tests.factories import UserFactory, closed_workshop_with_results

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://malveillant.example/x","Cliquez ici")'
HTML_NOTE = '<b>gras</b> <img src="http://malveillant.example/pixel.png"> & <script>x</script>'


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8")), delimiter=";"))


@pytest.fixture
def lead():
    return UserFactory()


@pytest.fixture
def evidence(lead):
    workshop = closed_workshop_with_results(
        lead, extra_notes=(FORMULA, HTML_NOTE, "-1 guichet", "@mairie", "+33 pour tous")
    )
    return attach_evidence(user=lead, workshop_id=workshop.pk, base_url="https://cocon.test")


# CSV ---------------------------------------------------------------------------------------


def test_the_csv_is_semicolon_separated_utf8_with_one_row_per_output(evidence):
    rows = csv_rows(bytes(evidence.csv))
    header = rows[0]
    assert header[:3] == ["section", "activité", "élément"]
    assert all(len(row) == len(header) for row in rows)
    by_section = {}
    for row in rows[1:]:
        by_section.setdefault(row[0], []).append(dict(zip(header, row, strict=True)))
    assert {"atelier", "participation", "contribution", "vote", "décision"} <= set(by_section)
    votes = {row["élément"]: row for row in by_section["vote"]}
    top = votes["Trop de pièces justificatives demandées"]
    points = Vote.objects.filter(item__label="Trop de pièces justificatives demandées").count()
    assert (top["points"], top["rang"], top["décision"]) == (str(points), "1", "Retenu")
    assert top["suite donnée"] == "Intégré au prototype v2"
    assert "Usager·e : 6" in top["profils"]
    aside = votes["Horaires d'accueil trop courts"]
    assert (aside["décision"], aside["motif"]) == ("Écarté", "Hors du champ du défi")
    people = {row["élément"]: row["personnes"] for row in by_section["participation"]}
    # 1 elected official: "<5", and the smallest other group hidden (complementary).
    assert people["Élu·e"] == "moins de 5"
    assert people["Agent·e public·que"] == "masqué"
    assert people["Total"] == "12"
    groups = {row["élément"]: row["personnes"] for row in by_section["organisation"]}
    assert groups == {
        "CAF du Nord": "masqué",
        "(autres, moins de 5 personnes chacun : 1)": "moins de 5",
        "(non renseigné)": "6",
    }  # the elected official's council, alone, is counted without its name


def test_no_export_names_an_organisation_of_fewer_than_five_people(evidence):
    assert "Wattrelos" not in bytes(evidence.csv).decode("utf-8-sig")
    text = pdf_text(bytes(evidence.pdf))
    assert "Wattrelos" not in text and "Wattrelos" not in evidence.document
    assert "CAF du Nord" in text and "1 autre, de moins de 5 personnes" in text


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(evidence):
    cells = [cell for row in csv_rows(bytes(evidence.csv)) for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    assert "'-1 guichet" in cells
    assert "'@mairie" in cells
    assert "'+33 pour tous" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("\n@SUM(A1)", "'\n@SUM(A1)"),
        ("a =1", "a =1"),
        ("Un guichet", "Un guichet"),
        (-3, "-3"),  # a number is data
        (2.5, "2.5"),
        (None, ""),
    ],
)
def test_neutralise(value, written):
    assert exports.neutralise(value) == written


# PDF ---------------------------------------------------------------------------------------


def test_the_pdf_says_in_french_what_happened_with_the_full_digest(evidence):
    text = pdf_text(bytes(evidence.pdf))
    for heading in (
        "Preuve de co-construction",
        "Vérifier cette preuve",
        "Qui a participé",
        "Participant·es par profil",
        "Ce qui en est sorti",
        "Irritants prioritaires",
        "Ce que l'équipe en a décidé",
        "Comment vérifier ce document",
    ):
        assert heading in text, heading
    assert "Atelier accueil en mairie" in text
    assert evidence.challenge.title in text
    assert evidence.digest in text
    assert "Intégré au prototype v2" in text and "Hors du champ du défi" in text
    assert "moins de 5" in text  # the protected count, in words
    # The charts, each with its caption (their figures are in the tables too).
    assert "éléments les plus votés de « Vote »" in text


def squeezed(text: str) -> str:
    """Without whitespace: a long cell may wrap anywhere in the PDF."""
    return "".join(text.split())


def test_html_in_a_note_is_printed_as_text_and_nothing_is_fetched(evidence):
    text = squeezed(pdf_text(bytes(evidence.pdf)))
    assert squeezed(HTML_NOTE) in text
    assert squeezed(FORMULA) in text  # the PDF shows it as written: it is not a spreadsheet


def test_the_fetcher_of_the_pdf_refuses_anything_but_its_fonts():
    fetcher = exports._fetcher({"file:///allowed/font.woff2"})
    for url in ("file:///etc/passwd", "http://malveillant.example/x.png", "data:,x"):
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(url)


def test_the_pdf_is_an_archival_pdf_carrying_its_json_document(evidence):
    content = bytes(evidence.pdf)
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]  # sRGB, as PDF/A requires
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    embedded = reader.attachments["preuve.json"][0]
    assert embedded == evidence.document.encode("utf-8")
    assert sha256(embedded) == evidence.digest


def test_the_pdf_uses_the_dsfr_font_when_django_dsfr_ships_it(evidence):
    reader = PdfReader(io.BytesIO(bytes(evidence.pdf)))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    if exports._font_paths():
        assert any("Marianne" in name for name in fonts), fonts


def test_protected_counts_are_never_drawn_to_their_size():
    chart = exports.bar_chart("Par profil", [("Usagers", 20), ("Élus", "<5"), ("Autres", "hidden")])
    usagers, elus, autres = chart["bars"]
    assert usagers.exact and usagers.value == "20"
    assert not elus.exact and elus.value == "moins de 5"
    assert elus.width == pytest.approx(usagers.width * 5 / 20)  # as long as 5, whatever it is
    assert (autres.value, autres.width) == ("masqué", 0)


# Dossier and pack -------------------------------------------------------------------------


def test_the_dossier_pdf_has_the_dossier_and_each_evidence_with_its_digests(lead, evidence):
    challenge = evidence.challenge
    challenge_update(
        user=lead, challenge_id=challenge.pk, problem="Les usagers renoncent à leurs droits."
    )
    budget_line_add(
        user=lead, challenge_id=challenge.pk, label="Prestataire design", amount="12000"
    )
    challenge.refresh_from_db()
    text = pdf_text(exports.dossier_pdf(challenge, base_url="https://cocon.test"))
    for heading in ("Présenter vos intentions", "Budget prévisionnel", "Acte de candidature"):
        assert heading in text
    assert "Les usagers renoncent à leurs droits." in text
    assert "Prestataire design" in text
    assert "Points à compléter" in text  # the dossier is not complete yet
    assert evidence.title in text.replace("\n", " ")
    for digest in (evidence.digest, evidence.csv_digest, evidence.pdf_digest):
        assert digest in text


def test_the_pack_holds_every_file_and_its_sha256sums_match(client, lead, evidence):
    second = attach_evidence(user=lead, workshop_id=evidence.workshop_id, title="Deuxième")
    client.force_login(lead)
    response = client.get(reverse("challenge_evidence_pack", kwargs={"pk": evidence.challenge_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="preuves-defi-' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    root = exports.pack_name(evidence.challenge)
    names = archive.namelist()
    assert all(name.startswith(root + "/") for name in names)
    files = {name[len(root) + 1 :]: archive.read(name) for name in names}

    sums = files.pop("SHA256SUMS").decode()
    listed = {}
    for line in sums.splitlines():
        digest, name = line.split("  ", 1)  # sha256sum's text format
        listed[name] = digest
    assert listed.keys() == files.keys()
    for name, content in files.items():
        assert sha256(content) == listed[name], name

    for item in (evidence, second):
        stem = f"preuves/{exports.file_stem(item)}"
        assert files[f"{stem}.json"] == item.document.encode("utf-8")
        assert files[f"{stem}.csv"] == bytes(item.csv)
        assert files[f"{stem}.pdf"] == bytes(item.pdf)
        assert listed[f"{stem}.json"] == item.digest
        assert listed[f"{stem}.pdf"] == item.pdf_digest
    assert files["dossier.pdf"].startswith(b"%PDF-")
    readme = files["LISEZMOI.txt"].decode()
    assert "sha256sum -c SHA256SUMS" in readme
    assert evidence.digest in readme and "http://testserver/verifier/" in readme
    assert json.loads(files[f"preuves/{exports.file_stem(evidence)}.json"])["schema"]
