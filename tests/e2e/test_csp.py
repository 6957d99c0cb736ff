"""The pages work in Chromium under the site's Content-Security-Policy: the big screen,
the animation page, the join pages, the phone, the dossier, the results (private and
public) and Swagger UI load with no CSP violation and no console error, and their
scripts run (the workshop goes live over the WebSocket, an idea travels from the phone
to the screen, DSFR's script starts, Swagger UI draws the API)."""

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ateliers import actions
from ateliers.decisions import public_results_set
from ateliers.models import Workshop
from tests.e2e.helpers import PASSWORD, on_server
from tests.factories import UserFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any script of the page: keeps every violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
      + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class Watched:
    """A browser context whose pages report CSP violations and console errors."""

    def __init__(self, browser: Browser, **options: object) -> None:
        self.context: BrowserContext = browser.new_context(locale="fr-FR", **options)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.errors: list[str] = []

    def page(self) -> Page:
        page = self.context.new_page()
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"{page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    def assert_clean(self, page: Page) -> None:
        """DSFR's script ran, and nothing was blocked or failed on the page so far."""
        expect(page.locator("html")).to_have_attribute("data-fr-js", "true")
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{page.url}: {violations}"
        assert self.errors == [], self.errors


def log_in(watched: Watched, url: str, username: str) -> Page:
    page = watched.page()
    page.goto(url)
    watched.assert_clean(page)  # the login page itself
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def test_live_pages_run_their_scripts_under_the_policy(browser: Browser, live_url: str):
    """Screen and phone connect their sockets ('self' covers ws: on the same host) and
    exchange an idea; the animation page and the join pages load clean."""
    lead = UserFactory(username="animatrice")
    seed = seed_evidence_workshop(lead)
    workshop = actions.workshop_create(
        user=lead, challenge=seed.workshop.challenge, title="Atelier CSP", prompt="Vos idées ?"
    )
    desk = Watched(browser, viewport={"width": 1600, "height": 900})
    screen = log_in(
        desk, f"{live_url}/connexion/?next=/ateliers/{workshop.pk}/ecran/", "animatrice"
    )
    code = screen.get_by_test_id("join-code").inner_text()
    screen.get_by_role("button", name="Démarrer l'atelier").click()
    expect(screen.get_by_text("Contributions ouvertes")).to_be_visible()
    desk.assert_clean(screen)

    pocket = Watched(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = pocket.page()
    phone.goto(f"{live_url}/rejoindre/")
    pocket.assert_clean(phone)
    # DSFR's script copied the header links into the small-screen menu.
    phone.get_by_role("button", name="Menu").click()
    menu = phone.locator("#menu-mobile")
    expect(menu.get_by_role("link", name="Se connecter")).to_be_visible()
    menu.get_by_role("button", name="Fermer").click()
    expect(menu.get_by_role("link", name="Se connecter")).to_be_hidden()
    phone.get_by_label("Code de l'atelier").fill(code)
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.get_by_text("Vos données")).to_be_visible()
    pocket.assert_clean(phone)
    phone.get_by_text("Usager·e").click()
    phone.get_by_role("button", name="J'ai lu, je participe").click()
    expect(phone.get_by_text("Contributions ouvertes")).to_be_visible()
    expect(phone.get_by_role("button", name="Menu")).to_be_hidden()  # no links, no menu
    phone.get_by_label("Votre idée").fill("Un guichet le samedi")
    phone.get_by_role("button", name="Envoyer").click()
    board = screen.locator("[data-bind=board] li")
    expect(board.filter(has_text="Un guichet le samedi")).to_have_count(1)
    pocket.assert_clean(phone)
    desk.assert_clean(screen)

    moderate = desk.page()
    moderate.goto(f"{live_url}/ateliers/{workshop.pk}/animer/")
    expect(moderate.get_by_text("Un guichet le samedi")).to_be_visible()
    desk.assert_clean(moderate)


def test_dossier_results_and_api_pages_load_clean_under_the_policy(browser: Browser, live_url: str):
    lead = UserFactory(username="porteuse")
    seed = seed_evidence_workshop(lead)
    on_server(public_results_set, user=lead, workshop_id=seed.workshop.pk, on=True)
    token = Workshop.objects.get(pk=seed.workshop.pk).public_token
    desk = Watched(browser, viewport={"width": 1280, "height": 900})
    page = log_in(
        desk, f"{live_url}/connexion/?next=/defis/{seed.workshop.challenge_id}/dossier/", "porteuse"
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    desk.assert_clean(page)
    for path in (
        f"/defis/{seed.workshop.challenge_id}/dossier/budget/",
        f"/ateliers/{seed.workshop.pk}/resultats/",
        f"/resultats/{token}/",
        "/verifier/",
        "/tableau-de-bord/",
    ):
        page.goto(f"{live_url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        desk.assert_clean(page)

    docs = desk.page()
    docs.goto(f"{live_url}/api/v1/docs/")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("Cocon API")
    expect(docs.get_by_text("/api/v1/ateliers/", exact=True).first).to_be_visible()
    assert docs.evaluate("window.__cspViolations") == []
    assert desk.errors == []
