"""Who may do what over HTTP: every named URL (pages, form posts, exports, the REST API)
against every role, generated from one table (docs/security.md, "Access").

The world: challenge C1 (lead `lead`) has the live workshop A (facilitator `fac_a`), the
live workshop B (facilitator `fac_b`: reads C1, runs only B), the draft workshop D (run
by `fac_a`) and the closed workshop E with results and an attached evidence. `lead_x`
leads another challenge. `p_a` and `p_b` are phones (no account, a device cookie) that
joined A and B. `super` is a superuser.

Each cell asks the URL as that role and reads the answer as one word: `ok` (2xx, or a
redirect elsewhere than the login), `login` (redirect to the login page), `join` (back to
the code form), or the status code. A write refused changes nothing in the database; a
write allowed changes what it says.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from ateliers import actions, decisions, journey_maps
from ateliers.attach import attach_evidence
from ateliers.models import Activity, Challenge, Decision, Evidence, Workshop
from participation import actions as participation_actions
from participation.devices import signed_device_token
from participation.models import Participant
from tests.factories import ChallengeFactory, UserFactory, seed_evidence_workshop

ROLES = ("anon", "p_a", "p_b", "fac_a", "fac_b", "lead", "lead_x", "super")
PHONES = {"p_a": "device-a", "p_b": "device-b"}

# Columns:       anon   p_a    p_b    fac_a  fac_b  lead   lead_x super
PUBLIC = "        ok     ok     ok     ok     ok     ok     ok     ok"
ACCOUNT = "       login  login  login  ok     ok     ok     ok     ok"
READ_C1 = "       login  login  login  ok     ok     ok     404    ok"
RUN_A = "         login  login  login  ok     403    ok     404    ok"
LEAD_C1 = "       login  login  login  403    403    ok     404    ok"
PHONE_A = "       join   ok     join   join   join   join   join   join"
API_LIST = "      401    401    401    ok     ok     ok     ok     ok"
API_READ = "      401    401    401    ok     ok     ok     404    ok"
API_LEAD = "      401    401    401    403    403    ok     404    ok"
API_RUN_A = "     401    401    401    ok     404    ok     404    ok"
ADMIN = "         login  login  login  login  login  login  login  ok"
MINE_A = "        404    ok     404    404    404    404    404    404"


@dataclass
class World:
    users: dict[str, Any]
    c1: Challenge
    a: Workshop
    b: Workshop
    d: Workshop
    e: Workshop
    act2: Activity  # a second, not current, board of A (edit, move, delete)
    journey: Activity  # a journey map of A (exports, "send irritants to a vote")
    evidence: Evidence
    item_id: int  # a vote item of E (decisions)
    p_a: Participant


@dataclass
class Row:
    """One action: its URL name, method, the expected word per role (a line of the
    table above), and how to build its arguments, form data and observable effect."""

    name: str
    method: str
    expected: str
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    # What the write changes: compared before and after (None: no effect to check).
    effect: Callable[[World], Any] | None = None
    # For lists: the id that must be listed exactly for the roles allowed to read C1/A.
    lists: Callable[[World], int] | None = None
    api: bool = field(default=False)

    def cells(self) -> dict[str, str]:
        words = self.expected.split()
        assert len(words) == len(ROLES), self.name
        return dict(zip(ROLES, words, strict=True))


def c1(w: World) -> dict[str, Any]:
    return {"pk": w.c1.pk}


def a(w: World) -> dict[str, Any]:
    return {"pk": w.a.pk}


def e(w: World) -> dict[str, Any]:
    return {"pk": w.e.pk}


def act2(w: World) -> dict[str, Any]:
    return {"pk": w.a.pk, "activity_id": w.act2.pk}


def journey(w: World) -> dict[str, Any]:
    return {"pk": w.a.pk, "activity_id": w.journey.pk}


def evidence(w: World) -> dict[str, Any]:
    return {"pk": w.evidence.pk}


def person(w: World) -> dict[str, Any]:
    return {"pk": w.c1.pk, "participant_id": w.p_a.pk}


def p_a_exists(w: World) -> bool:
    return Participant.objects.filter(pk=w.p_a.pk).exists()


def state(workshop: Callable[[World], Workshop]) -> Callable[[World], str]:
    return lambda w: Workshop.objects.get(pk=workshop(w).pk).state


BOARD = {"title": "Tableau renommé", "identity": "anonymous", "max_notes": "10"}

ROWS: list[Row] = [
    # People's pages
    Row("home", "GET", PUBLIC),
    Row("login", "GET", PUBLIC),
    Row("logout", "POST", PUBLIC),
    Row("health", "GET", PUBLIC),
    Row("join", "GET", PUBLIC),
    Row("join", "POST", PUBLIC, data=lambda w: {"code": w.a.join_code}),
    Row("join_workshop", "GET", PUBLIC, kwargs=lambda w: {"code": w.a.join_code}),
    Row(
        "join_workshop",
        "POST",
        PUBLIC,
        kwargs=lambda w: {"code": w.a.join_code},
        data=lambda w: {"profile": "usager"},
    ),
    Row("participate", "GET", PHONE_A, kwargs=lambda w: {"workshop_id": w.a.pk}),
    Row("evidence_verify", "GET", PUBLIC),
    Row("public_results", "GET", PUBLIC, kwargs=lambda w: {"token": w.e.public_token}),
    # Accounts
    Row("dashboard", "GET", ACCOUNT),
    Row("challenge_create", "GET", ACCOUNT),
    Row(
        "challenge_create",
        "POST",
        ACCOUNT,
        data=lambda w: {"title": "Défi neuf", "maturity": "cadrage"},
        effect=lambda w: Challenge.objects.count(),
    ),
    # A challenge: leads change it, facilitators of its workshops read it
    Row("challenge_detail", "GET", READ_C1, kwargs=c1),
    Row("dossier", "GET", READ_C1, kwargs=c1),
    Row("dossier_section", "GET", LEAD_C1, kwargs=lambda w: {"pk": w.c1.pk, "section": "defi"}),
    Row(
        "dossier_section",
        "POST",
        LEAD_C1,
        kwargs=lambda w: {"pk": w.c1.pk, "section": "defi"},
        data=lambda w: {"title": "Défi réécrit", "maturity": "tests"},
        effect=lambda w: Challenge.objects.get(pk=w.c1.pk).title,
    ),
    Row("workshop_create", "GET", LEAD_C1, kwargs=c1),
    Row(
        "workshop_create",
        "POST",
        LEAD_C1,
        kwargs=c1,
        data=lambda w: {"title": "Atelier neuf", "template": "ideation"},
        effect=lambda w: w.c1.workshops.count(),
    ),
    Row("challenge_evidence", "GET", READ_C1, kwargs=c1),
    Row("challenge_dossier_pdf", "GET", READ_C1, kwargs=c1),
    Row("challenge_evidence_pack", "GET", READ_C1, kwargs=c1),
    # A workshop: its facilitators (and the challenge's leads) run it
    Row("workshop_detail", "GET", RUN_A, kwargs=a),
    Row("workshop_edit", "GET", RUN_A, kwargs=a),
    Row(
        "workshop_edit",
        "POST",
        RUN_A,
        kwargs=a,
        data=lambda w: {"title": "Atelier réécrit"},
        effect=lambda w: Workshop.objects.get(pk=w.a.pk).title,
    ),
    Row(
        "workshop_start",
        "POST",
        RUN_A,
        kwargs=lambda w: {"pk": w.d.pk},
        effect=state(lambda w: w.d),
    ),
    Row("workshop_close", "POST", RUN_A, kwargs=a, effect=state(lambda w: w.a)),
    Row("workshop_screen", "GET", RUN_A, kwargs=a),
    Row("workshop_moderate", "GET", RUN_A, kwargs=a),
    Row("activity_add", "GET", RUN_A, kwargs=a),
    Row(
        "activity_add",
        "POST",
        RUN_A,
        kwargs=a,
        data=lambda w: BOARD,
        effect=lambda w: w.a.activities.count(),
    ),
    Row("vote_add", "GET", RUN_A, kwargs=a),
    Row("rating_add", "GET", RUN_A, kwargs=a),
    Row("journey_add", "GET", RUN_A, kwargs=a),
    Row("activity_edit", "GET", RUN_A, kwargs=act2),
    Row(
        "activity_edit",
        "POST",
        RUN_A,
        kwargs=act2,
        data=lambda w: BOARD,
        effect=lambda w: Activity.objects.get(pk=w.act2.pk).title,
    ),
    Row("journey_vote", "POST", RUN_A, kwargs=journey, effect=lambda w: w.a.activities.count()),
    Row(
        "activity_up",
        "POST",
        RUN_A,
        kwargs=act2,
        effect=lambda w: Activity.objects.get(pk=w.act2.pk).position,
    ),
    Row(
        "activity_down",
        "POST",
        RUN_A,
        kwargs=lambda w: {"pk": w.a.pk, "activity_id": w.a.current_activity_id},
        effect=lambda w: Activity.objects.get(pk=w.a.current_activity_id).position,
    ),
    Row(
        "activity_delete",
        "POST",
        RUN_A,
        kwargs=act2,
        effect=lambda w: Activity.objects.filter(pk=w.act2.pk).exists(),
    ),
    # Results, decisions and evidence: the challenge's people read, its leads decide
    Row("workshop_results", "GET", READ_C1, kwargs=a),
    Row("workshop_results", "GET", READ_C1, kwargs=e),
    Row(
        "decision_save",
        "POST",
        LEAD_C1,
        kwargs=e,
        data=lambda w: {"target_kind": "vote_item", "target_id": w.item_id, "status": "retenu"},
        effect=lambda w: list(Decision.objects.values_list("status", flat=True).order_by("pk")),
    ),
    Row(
        "public_results_switch",
        "POST",
        LEAD_C1,
        kwargs=e,
        data=lambda w: {"on": "0"},
        effect=lambda w: Workshop.objects.get(pk=w.e.pk).public_results,
    ),
    Row(
        "evidence_attach",
        "POST",
        LEAD_C1,
        kwargs=e,
        effect=lambda w: Evidence.objects.count(),
    ),
    Row("evidence_detail", "GET", READ_C1, kwargs=evidence),
    Row("evidence_json", "GET", READ_C1, kwargs=evidence),
    Row("evidence_csv", "GET", READ_C1, kwargs=evidence),
    Row("evidence_pdf", "GET", READ_C1, kwargs=evidence),
    *(
        Row(f"journey_export_{kind}", "GET", READ_C1, kwargs=journey)
        for kind in ("pdf", "csv", "json", "svg")
    ),
    # The REST API (token auth; a participant has no account: 401)
    Row("api_challenges", "GET", API_LIST, lists=lambda w: w.c1.pk, api=True),
    Row("api_challenge", "GET", API_READ, kwargs=c1, api=True),
    Row(
        "api_challenge",
        "PATCH",
        API_LEAD,
        kwargs=c1,
        data=lambda w: {"title": "Défi par l'API"},
        effect=lambda w: Challenge.objects.get(pk=w.c1.pk).title,
        api=True,
    ),
    Row("api_challenge_workshops", "GET", API_READ, kwargs=c1, api=True),
    Row("api_challenge_evidence", "GET", API_READ, kwargs=c1, api=True),
    Row(
        "api_challenge_evidence",
        "POST",
        API_LEAD,
        kwargs=c1,
        data=lambda w: {"workshop": w.e.pk},
        effect=lambda w: Evidence.objects.count(),
        api=True,
    ),
    Row("api_challenge_evidence_summary", "GET", API_READ, kwargs=c1, api=True),
    Row("api_workshops", "GET", API_LIST, lists=lambda w: w.a.pk, api=True),
    Row("api_workshop", "GET", API_RUN_A, kwargs=a, api=True),
    Row("api_workshop_results", "GET", API_READ, kwargs=a, api=True),
    Row("api_evidence", "GET", API_READ, kwargs=evidence, api=True),
    Row("api_evidence_document", "GET", API_READ, kwargs=evidence, api=True),
    Row("api_evidence_csv", "GET", API_READ, kwargs=evidence, api=True),
    Row("api_evidence_pdf", "GET", API_READ, kwargs=evidence, api=True),
    # The API's description is public: it holds no data.
    Row("api_schema", "GET", PUBLIC, api=True),
    Row("api_docs", "GET", PUBLIC, api=True),
    # Personal data: the phone's own ("Mes données"), and a lead's on request
    Row("my_data", "GET", PHONE_A, kwargs=lambda w: {"workshop_id": w.a.pk}),
    Row("my_data_export", "GET", MINE_A, kwargs=lambda w: {"workshop_id": w.a.pk}),
    Row(
        "my_data_erase",
        "POST",
        PHONE_A,
        kwargs=lambda w: {"workshop_id": w.a.pk},
        data=lambda w: {"confirm": "on"},
        effect=p_a_exists,
    ),
    Row("challenge_people", "GET", LEAD_C1, kwargs=c1),
    Row("person_export", "GET", LEAD_C1, kwargs=person),
    Row("person_erase", "GET", LEAD_C1, kwargs=person),
    Row(
        "person_erase",
        "POST",
        LEAD_C1,
        kwargs=person,
        data=lambda w: {"confirm": "on"},
        effect=p_a_exists,
    ),
    Row("workshop_retention", "GET", RUN_A, kwargs=a),
    Row(
        "workshop_retention",
        "POST",
        RUN_A,
        kwargs=a,
        data=lambda w: {"days": "30"},
        effect=lambda w: Workshop.objects.get(pk=w.a.pk).personal_data_retention_days,
    ),
    # The admin site: superusers only (others are sent to its login).
    Row("admin:index", "GET", ADMIN),
]


# The world, built once for the module (each test runs in a transaction rolled back) -----


def build_world() -> World:
    users = {
        role: UserFactory(username=role, is_superuser=role == "super", is_staff=role == "super")
        for role in ROLES
        if not role.startswith(("anon", "p_"))
    }
    lead = users["lead"]
    c1 = ChallengeFactory(leads=[lead], title="Défi C1")
    ChallengeFactory(leads=[users["lead_x"]], title="Défi C2")
    made = {}
    for key, runner in (("a", "fac_a"), ("b", "fac_b"), ("d", "fac_a")):
        workshop = actions.workshop_create(user=lead, challenge=c1, title=f"Atelier {key}")
        workshop.facilitators.add(users[runner])
        made[key] = workshop
    act2 = Activity.objects.create(
        workshop=made["a"], position=50, kind="ideation", title="Deuxième tableau"
    )
    done = journey_maps.journey_add(
        user=lead, workshop_id=made["a"].pk, title="Parcours", stages=["Avant", "Pendant"]
    )
    journey = Activity.objects.get(pk=done.result["activity_id"])
    joined = {}
    for key in ("a", "b"):
        actions.workshop_start(user=lead, workshop_id=made[key].pk)
        made[key].refresh_from_db()
        joined[key] = participation_actions.participant_join(
            workshop=made[key], device_token=PHONES[f"p_{key}"], profile="usager"
        )
    seed = seed_evidence_workshop(lead, challenge=c1)
    decisions.public_results_set(user=lead, workshop_id=seed.workshop.pk, on=True)
    attached = attach_evidence(
        user=lead, workshop_id=seed.workshop.pk, title=None, base_url="http://testserver"
    )
    seed.workshop.refresh_from_db()
    return World(
        users=users,
        c1=c1,
        a=made["a"],
        b=made["b"],
        d=made["d"],
        e=seed.workshop,
        act2=act2,
        journey=journey,
        evidence=attached,
        item_id=seed.items["guichet"].pk,
        p_a=joined["a"],
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        try:
            yield build_world()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def client_for(world: World, role: str, *, api: bool = False) -> Client:
    """A browser (or an integration, for the API) acting as `role`."""
    client = Client()
    if role in PHONES:
        client.cookies[settings.PARTICIPANT_COOKIE_NAME] = signed_device_token(PHONES[role])
    elif role != "anon":
        user = world.users[role]
        if api:
            token, _ = Token.objects.get_or_create(user=user)
            client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        else:
            client.force_login(user)
    return client


def outcome(response: Any) -> str:
    """The answer in one word (see the module's docstring)."""
    code = response.status_code
    if code in (301, 302, 303):
        location = response["Location"]
        if location.startswith((reverse("login"), reverse("admin:login"))):
            return "login"
        if location == reverse("join"):
            return "join"
        return "ok"
    return "ok" if code < 300 else str(code)


def ask(client: Client, row: Row, world: World) -> Any:
    url = reverse(row.name, kwargs=row.kwargs(world))
    data = row.data(world)
    if row.method == "GET":
        return client.get(url)
    if row.method == "PATCH":
        return client.patch(url, data, content_type="application/json")
    if row.api:
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


CELLS = [
    pytest.param(row, role, id=f"{row.name}-{row.method}-{n}-{role}")
    for n, row in enumerate(ROWS)
    for role in ROLES
]


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_access_cell(world: World, db: None, row: Row, role: str) -> None:
    """Each role gets exactly the table's answer; a refused write changes nothing, an
    allowed one changes what it says; a list shows C1's objects only to their readers."""
    expected = row.cells()[role]
    before = row.effect(world) if row.effect else None
    response = ask(client_for(world, role, api=row.api), row, world)
    assert outcome(response) == expected, (row.name, row.method, role, response.status_code)
    if row.effect is not None:
        after = row.effect(world)
        if expected == "ok":
            assert after != before, f"{row.name} by {role} was allowed but changed nothing"
        else:
            assert after == before, f"{row.name} by {role} was refused but changed {before!r}"
    if row.lists is not None and expected == "ok":
        listed = {entry["id"] for entry in response.json()}
        readers = {"fac_a", "fac_b", "lead", "super"}
        assert (row.lists(world) in listed) == (role in readers), (row.name, role)


# The table covers every URL ----------------------------------------------------------------


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    """Every named URL of the site; the admin's own pages count as one (`admin:index`)."""
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= url_names(pattern, space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_the_matrix_lists_every_url() -> None:
    """A new URL fails here until the table above says who may use it."""
    listed = {row.name for row in ROWS}
    assert url_names() - listed == set(), "add these URLs to tests/test_access_matrix.py"
    assert listed - url_names() == set(), "these URLs no longer exist"


# Beyond the table -------------------------------------------------------------------------


def test_a_session_cannot_write_through_the_api_without_the_csrf_token(
    world: World, db: None
) -> None:
    """The API accepts a page's session, so a cross-site form could ride it: DRF checks
    the CSRF token on session writes (a token header needs none: browsers never send it)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lead"])
    url = reverse("api_challenge", kwargs={"pk": world.c1.pk})
    response = client.patch(url, {"title": "Forgé"}, content_type="application/json")
    assert response.status_code == 403
    assert Challenge.objects.get(pk=world.c1.pk).title == "Défi C1"


def test_a_cross_site_form_post_is_refused(world: World, db: None) -> None:
    """Pages' writes need the CSRF token: a forged post from another site closes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lead"])
    response = client.post(reverse("workshop_close", kwargs={"pk": world.a.pk}))
    assert response.status_code == 403
    assert Workshop.objects.get(pk=world.a.pk).state == "live"


def test_a_participant_cookie_of_one_workshop_opens_nothing_in_another(
    world: World, db: None
) -> None:
    """The device that joined A is a stranger in B: its phone page sends it to the code
    form, and the cookie does not count it among B's participants."""
    response = client_for(world, "p_a").get(reverse("participate", args=[world.b.pk]))
    assert outcome(response) == "join"


# A URL of one workshop naming an object of another ------------------------------------------


def b_board(w: World) -> dict[str, Any]:
    return {"pk": w.a.pk, "activity_id": w.b.current_activity_id}


def b_agenda(w: World) -> Any:
    return (
        sorted(w.b.activities.values_list("pk", "position", "title", "state")),
        w.a.activities.count(),
    )


CROSSED = {
    "edit B's activity from A's page": ("activity_edit", "GET", b_board, {}),
    "save B's activity from A's page": ("activity_edit", "POST", b_board, BOARD),
    "delete B's activity from A's page": ("activity_delete", "POST", b_board, {}),
    "move B's activity from A's page": ("activity_up", "POST", b_board, {}),
    "vote on B's board from A's page": ("journey_vote", "POST", b_board, {}),
    "export B's board as A's journey": ("journey_export_csv", "GET", b_board, {}),
}


@pytest.mark.parametrize("case", CROSSED.values(), ids=CROSSED.keys())
def test_a_workshops_url_cannot_reach_another_workshops_objects(
    world: World, db: None, case: tuple[str, str, Callable[[World], dict[str, Any]], dict]
) -> None:
    """Even the lead, who runs both A and B, cannot touch B's agenda through A's URLs:
    404 or a refusal, and B's agenda (and A's) is as it was."""
    name, method, kwargs, data = case
    client = client_for(world, "lead")
    before = b_agenda(world)
    url = reverse(name, kwargs=kwargs(world))
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code in (302, 404)
    assert response.status_code == 404 or response["Location"].endswith(
        reverse("workshop_detail", args=[world.a.pk])
    )
    assert b_agenda(world) == before


def test_a_decision_cannot_name_another_workshops_output(world: World, db: None) -> None:
    """A decision recorded on E's results page about a note of A is refused (404) and
    no decision is stored."""
    note_of_a = world.a.current_activity.contributions.create(
        participant=world.p_a, body="Une note de A"
    )
    before = list(Decision.objects.values_list("pk", "status"))
    response = client_for(world, "lead").post(
        reverse("decision_save", args=[world.e.pk]),
        {"target_kind": "contribution", "target_id": note_of_a.pk, "status": "retenu"},
    )
    assert response.status_code == 404
    assert list(Decision.objects.values_list("pk", "status")) == before
