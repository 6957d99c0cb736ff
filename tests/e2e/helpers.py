"""What the browser tests share: server-side actions run off the Playwright thread, the
facilitator's login, and the accessibility check."""

import threading
from collections.abc import Callable
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Browser, Page

PASSWORD = "mot-de-passe-solide"  # tests.factories.UserFactory's


def on_server(action: Callable[..., Any], **kwargs: Any) -> Any:
    """Run an action in a thread of its own: sync Playwright keeps an event loop in the
    test thread, and the events the action publishes must reach the channel layer now."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = action(**kwargs)
        except BaseException as exc:  # re-raised in the test thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def logged_in(
    browser: Browser, url: str, viewport: dict[str, int], username: str = "animatrice"
) -> Page:
    """A new browser context (its own cookies) where a facilitator logs in, then lands on
    `url` (a page that needs the login)."""
    page = browser.new_context(viewport=viewport, locale="fr-FR").new_page()
    page.goto(url)
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    results = Axe().run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not blocking, f"{page.url}: " + "; ".join(blocking)
