"""Every page carries a Content-Security-Policy with no 'unsafe-inline' or 'unsafe-eval',
and the HTML it sends needs neither: no inline script or style, no `on*=` handler, no
`style=` attribute, no `javascript:` address. The pages are found by walking the URL map
(a new page is covered without listing it here), plus those only a phone or an
anonymous visitor sees, Swagger UI and the admin login."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ateliers import actions
from ateliers.attach import attach_evidence
from ateliers.decisions import public_results_set
from ateliers.dossier import SECTIONS
from ateliers.models import Workshop
from participation.models import Participant
from tests.e2e.helpers import PASSWORD
from tests.factories import ChallengeFactory, seed_evidence_workshop

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Script types a browser runs; others (application/json, ...) are inert data blocks.
EXECUTABLE_SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript"}
# Files, not pages: exports and downloads (their CSP header is still checked).
EXPORT_SUFFIXES = (".pdf", ".zip", ".csv", ".json", ".svg")


def policy_of(response) -> dict[str, list[str]]:
    """The CSP header as {directive: sources}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy header"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict_policy(response) -> dict[str, list[str]]:
    """Scripts and styles from files only, nothing embeds the page, no plugins."""
    policy = policy_of(response)
    path = response.request["PATH_INFO"]
    script = policy.get("script-src", policy["default-src"])
    style = policy.get("style-src", policy["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (path, script)
    assert "'unsafe-inline'" not in style, (path, style)
    assert "*" not in script and "data:" not in script, (path, script)
    assert policy["object-src"] == ["'none'"], path
    assert policy["base-uri"] == ["'none'"], path
    assert policy["frame-ancestors"] == ["'none'"], path
    assert policy["form-action"] == ["'self'"], path
    return policy


class InlineCodeFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline scripts and
    `<style>` elements (unless they carry the response's nonce), event handler and style
    attributes, and `javascript:` addresses."""

    def __init__(self, nonces: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.nonces = nonces
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler")
            elif name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            elif name in ("href", "src", "action", "formaction", "xlink:href") and re.match(
                r"\s*javascript:", value, re.I
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        nonced = values.get("nonce") in self.nonces
        runs = values.get("type", "").strip().lower() in EXECUTABLE_SCRIPT_TYPES
        if tag == "script" and "src" not in values and not nonced and runs:
            self.problems.append("inline <script> without the nonce")
        if tag == "style" and not nonced:
            self.problems.append("<style> element without the nonce")

    handle_startendtag = handle_starttag


def inline_code(html: str, policy: dict[str, list[str]]) -> list[str]:
    nonces = {
        source[len("'nonce-") : -1]
        for source in policy.get("script-src", []) + policy.get("style-src", [])
        if source.startswith("'nonce-")
    }
    finder = InlineCodeFinder(nonces)
    finder.feed(html)
    return finder.problems


def assert_page_is_csp_clean(client: Client, url: str) -> None:
    """The page answers with the strict policy, and if it is HTML, nothing inline."""
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    policy = assert_strict_policy(response)
    if response.get("Content-Type", "").startswith("text/html"):
        html = b"".join(response).decode() if response.streaming else response.content.decode()
        assert not inline_code(html, policy), (url, inline_code(html, policy))


def routes(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> list[tuple[str, URLPattern]]:
    """Every (route, pattern) of the URL map, the admin's left out (its login is below)."""
    found: list[tuple[str, URLPattern]] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) != "admin":
                found += routes(pattern.url_patterns, route)
        else:
            found.append((route, pattern))
    return found


@pytest.fixture
def site(facilitator):
    """A closed workshop with results, decisions, its evidence and its public page on."""
    seed = seed_evidence_workshop(facilitator)
    evidence = attach_evidence(user=facilitator, workshop_id=seed.workshop.pk, title="Preuve")
    public_results_set(user=facilitator, workshop_id=seed.workshop.pk, on=True)
    return {"closed": Workshop.objects.get(pk=seed.workshop.pk), "evidence": evidence}


def arguments(route: str, pattern: URLPattern, closed: Workshop, evidence) -> dict[str, object]:
    """URL arguments from their names (and for `pk`, from the route's first segment)."""
    pk_of = {"defis": closed.challenge_id, "ateliers": closed.pk, "preuves": evidence.pk}
    known = {
        "activity_id": closed.activities.order_by("position").first().pk,
        "workshop_id": closed.pk,
        "code": closed.join_code,
        "token": closed.public_token,
        "section": SECTIONS[0].key,
        "participant_id": Participant.objects.filter(workshop=closed).first().pk,
    }
    kwargs: dict[str, object] = {}
    for name in pattern.pattern.converters:
        if name == "pk":
            segment = re.search(r"([^/]+)/<(?:\w+:)?pk>", route).group(1)
            assert segment in pk_of, f"teach this test what <pk> is under {segment}/: {route}"
            kwargs[name] = pk_of[segment]
        else:
            assert name in known, f"teach this test the URL argument <{name}> of {route}"
            kwargs[name] = known[name]
    return kwargs


def test_every_page_of_the_url_map_has_the_strict_policy_and_no_inline_code(
    client, facilitator, site
):
    """Walks the whole URL map as a lead of the challenge."""
    client.force_login(facilitator)
    checked = []
    for route, pattern in routes(get_resolver().url_patterns):
        if not pattern.name or route.endswith(EXPORT_SUFFIXES) or pattern.name == "logout":
            continue
        kwargs = arguments(route, pattern, site["closed"], site["evidence"])
        url = reverse(pattern.name, kwargs=kwargs)
        assert_page_is_csp_clean(client, url)
        checked.append(pattern.name)
    for name in ("home", "dashboard", "dossier", "workshop_results", "evidence_detail"):
        assert name in checked


@pytest.mark.parametrize(
    "who",
    ["anonymous", "participant", "facilitator"],
)
def test_the_pages_of_phones_screens_and_visitors_have_no_inline_code(
    client, facilitator, live_workshop, site, who
):
    """Big screen, animation page, join pages, the phone, public results, verification,
    API docs and admin login, as each kind of visitor sees them."""
    closed, evidence = site["closed"], site["evidence"]
    urls = [
        reverse("home"),
        reverse("login"),
        reverse("join"),
        reverse("join_workshop", kwargs={"code": live_workshop.join_code}),
        reverse("public_results", kwargs={"token": closed.public_token}),
        reverse("evidence_verify"),
        reverse("evidence_verify") + f"?empreinte={evidence.digest}",
        reverse("api_docs"),
        reverse("admin:login"),
    ]
    if who == "participant":
        client.post(
            reverse("join_workshop", kwargs={"code": live_workshop.join_code}),
            {"profile": "usager"},
        )
        # Every page of a phone (the URL map's routes under participer/<workshop_id>/).
        urls += [
            reverse(pattern.name, kwargs={"workshop_id": live_workshop.pk})
            for route, pattern in routes(get_resolver().url_patterns)
            if route.startswith("participer/<int:workshop_id>/")
            and set(pattern.pattern.converters) == {"workshop_id"}
            and not route.endswith(EXPORT_SUFFIXES)
        ]
        assert reverse("participate", kwargs={"workshop_id": live_workshop.pk}) in urls
    if who == "facilitator":
        client.force_login(facilitator)
        urls += [
            reverse("workshop_screen", kwargs={"pk": live_workshop.pk}),
            reverse("workshop_moderate", kwargs={"pk": live_workshop.pk}),
            reverse("workshop_detail", kwargs={"pk": live_workshop.pk}),
        ]
        urls += [
            reverse("dossier_section", kwargs={"pk": closed.challenge_id, "section": s.key})
            for s in SECTIONS
        ]
    for url in urls:
        assert_page_is_csp_clean(client, url)


def test_swagger_ui_start_up_script_is_a_file_the_policy_allows(client, facilitator):
    client.force_login(facilitator)
    script = client.get(reverse("api_docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="module">go()</script>', "inline <script>"),
        ('<button onclick="go()">', "onclick"),
        ('<svg><rect onload="go()"/></svg>', "onload"),
        ('<p style="color:red">', "style="),
        ("<style>p{}</style>", "<style>"),
        ('<a href="javascript:go()">', "javascript:"),
    ],
)
def test_the_html_check_finds_each_kind_of_inline_code(html, problem):
    """The checker itself can fail."""
    assert any(problem in found for found in inline_code(html, {"script-src": ["'self'"]}))


def test_the_html_check_accepts_files_data_blocks_and_the_nonce():
    html = (
        '<script src="/static/a.js"></script><script type="application/json">{}</script>'
        '<script nonce="abc">ok()</script>'
    )
    assert inline_code(html, {"script-src": ["'self'", "'nonce-abc'"]}) == []


# Templates rendered by WeasyPrint into PDFs, never served to a browser.
PDF_TEMPLATES = TEMPLATES / "ateliers" / "pdf"
INLINE_IN_TEMPLATE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I
)


def test_no_template_holds_inline_script_style_or_handler():
    """Also covers templates whose page the walks above cannot reach (an error state,
    a branch the fixtures do not take)."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        if PDF_TEMPLATES not in path.parents
        for match in INLINE_IN_TEMPLATE.finditer(path.read_text())
    ]
    assert not found, found


def test_permissions_referrer_and_opener_policies_are_sent(client):
    response = client.get(reverse("home"))
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_secure_cookies_every_cookie_is_secure_and_http_only(client, facilitator, settings):
    """Login (session, CSRF) and joining (device cookie) over HTTPS settings."""
    settings.SECURE_COOKIES = settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    workshop = actions.workshop_create(
        user=facilitator, challenge=ChallengeFactory(leads=[facilitator]), title="A", prompt="?"
    )
    actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    client.get(reverse("login"))
    client.post(reverse("login"), {"username": facilitator.username, "password": PASSWORD})
    client.post(
        reverse("join_workshop", kwargs={"code": workshop.join_code}), {"profile": "usager"}
    )
    names = {"sessionid", "csrftoken", settings.PARTICIPANT_COOKIE_NAME}
    assert names <= set(client.cookies)
    for name in names:
        cookie = client.cookies[name]
        assert cookie["secure"] and cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name
