"""From a finished workshop to the evidence pack, in a real browser: the project lead
attaches the workshop's results, sees the digest, downloads the pack, and anyone can
check a file of it on the public verification page."""

import hashlib
import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from ateliers.models import Evidence
from tests.e2e.helpers import assert_accessible, logged_in, on_server
from tests.factories import UserFactory, closed_workshop_with_results

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def finished_workshop():
    lead = UserFactory(username="porteuse", first_name="Camille", last_name="Porteuse")
    return on_server(closed_workshop_with_results, lead=lead, title="Accueil en mairie")


def test_the_lead_attaches_a_finished_workshop_and_downloads_a_checkable_pack(
    live_url, browser, finished_workshop, tmp_path
):
    challenge = finished_workshop.challenge
    page = logged_in(
        browser, f"{live_url}/connexion/?next=/defis/{challenge.pk}/preuves/", DESKTOP, "porteuse"
    )
    expect(page.get_by_role("heading", name="Preuves de co-construction", level=1)).to_be_visible()
    expect(page.get_by_text("Aucune preuve n'est encore jointe à ce dossier.")).to_be_visible()
    assert_accessible(page)

    card = page.get_by_role("region", name="Accueil en mairie")
    card.get_by_label("Intitulé de la preuve").fill("Atelier usagers et agents du 14 mars")
    card.get_by_role("button", name="Joindre les résultats au dossier").click()

    # The evidence page: its title, and the digest of the document printed in full.
    expect(page.get_by_role("heading", name="Atelier usagers et agents du 14 mars")).to_be_visible()
    expect(page.get_by_text("Les résultats de l'atelier sont joints au dossier.")).to_be_visible()
    evidence = Evidence.objects.get()
    shown = page.locator("#empreinte").inner_text().strip()
    assert shown == evidence.digest == sha256(evidence.document.encode("utf-8"))
    assert_accessible(page)

    # The PDF for the jury, as downloaded, is the file attached.
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.suffix == ".pdf"
    assert sha256(pdf_path.read_bytes()) == evidence.pdf_digest

    # The pack, from the challenge's evidence page.
    page.get_by_role("link", name="Preuves", exact=True).click()
    expect(page.get_by_role("link", name="Atelier usagers et agents du 14 mars")).to_be_visible()
    with page.expect_download() as pack_download:
        page.get_by_role("link", name="Télécharger le pack de preuves (ZIP)").click()
    name = pack_download.value.suggested_filename
    assert name.startswith(f"preuves-defi-{challenge.pk}-") and name.endswith(".zip")
    pack_path = tmp_path / name
    pack_download.value.save_as(pack_path)

    archive = zipfile.ZipFile(io.BytesIO(pack_path.read_bytes()))
    root = archive.namelist()[0].split("/")[0]
    files = {n.removeprefix(root + "/"): archive.read(n) for n in archive.namelist()}
    listed = dict(
        reversed(line.split("  ", 1)) for line in files.pop("SHA256SUMS").decode().splitlines()
    )
    assert set(listed) == set(files)
    assert all(sha256(content) == listed[name] for name, content in files.items())
    json_name = next(n for n in files if n.startswith("preuves/") and n.endswith(".json"))
    assert listed[json_name] == shown
    assert json.loads(files[json_name])["results"]["workshop"]["title"] == "Accueil en mairie"
    assert files[json_name.replace(".json", ".pdf")] == pdf_path.read_bytes()
    assert files["dossier.pdf"].startswith(b"%PDF-")

    # Anyone, without an account, checks the PDF on the public page.
    visitor = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    visitor.goto(f"{live_url}/verifier/")
    visitor.get_by_label("Déposer un fichier de preuve").set_input_files(str(pdf_path))
    visitor.get_by_role("button", name="Vérifier").click()
    expect(
        visitor.get_by_role("heading", name="Ce fichier correspond à une preuve jointe")
    ).to_be_visible()
    expect(visitor.get_by_text("Accueil en mairie", exact=True)).to_be_visible()
    assert_accessible(visitor)

    # A file changed by one byte is not recognised.
    tampered = tmp_path / "modifie.pdf"
    content = bytearray(pdf_path.read_bytes())
    content[len(content) // 2] ^= 0x01
    tampered.write_bytes(bytes(content))
    visitor.get_by_label("Déposer un fichier de preuve").set_input_files(str(tampered))
    visitor.get_by_role("button", name="Vérifier").click()
    expect(visitor.get_by_role("heading", name="Aucune preuve ne correspond")).to_be_visible()
