"""The défi dossier: completeness, budget arithmetic, the actions that change it, and who
may read or edit its pages."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from ateliers import dossier
from ateliers.errors import Forbidden, InvalidInput, NotFound
from ateliers.models import BudgetLine, Challenge
from tests.factories import ChallengeFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

COMPLETE = {
    "title": "Simplifier la demande d'aide au logement",
    "problem": "Les usagers abandonnent à l'étape des justificatifs.",
    "solutions": "Une liste de pièces adaptée à chaque situation.",
    "context": "Démarche dématérialisée depuis deux ans.",
    "priority_reform": "",
    "impact_for_agents": "Moins de dossiers à reprendre au guichet.",
    "impact_for_users": "Une demande faite en une fois.",
    "carrying_structure": "Préfecture du Cher",
    "team": "Secrétaire générale, bureau des aides, accueil.",
    "innovation_skills": "Animation d'ateliers.",
    "reinforcement_needed": "Design de service.",
    "partner_organisations": "CAF\nCCAS de Bourges",
    "territories": "Cher\nIndre",
    "prior_actions": "Trois ateliers sur les courriers.",
    "lessons_learned": "Associer la CAF dès le départ.",
    "signatory_name": "Claire Martin",
    "signatory_level": "Préfète",
}
SECTION_KEYS = [section.key for section in dossier.SECTIONS]


def complete_challenge(lead, **overrides) -> Challenge:
    challenge = ChallengeFactory(leads=[lead], **{**COMPLETE, **overrides})
    BudgetLine.objects.create(
        challenge=challenge, label="Design", amount=Decimal(60000), position=1
    )
    BudgetLine.objects.create(
        challenge=challenge,
        label="Animation",
        amount=Decimal(15000),
        self_financed=Decimal(7500),
        position=2,
    )
    return challenge


@pytest.fixture
def lead(db):
    return UserFactory()


@pytest.fixture
def full(lead):
    return complete_challenge(lead)


@pytest.fixture
def reader(full):
    """A facilitator of one of the challenge's workshops: reads the dossier, no more."""
    user = UserFactory()
    WorkshopFactory(challenge=full, facilitators=[user])
    return user


@pytest.fixture
def other_lead(db):
    """The lead of ANOTHER challenge."""
    user = UserFactory()
    ChallengeFactory(leads=[user])
    return user


def blocking_fields(challenge: Challenge) -> set[str]:
    return {item.field for item in dossier.missing_items(challenge) if item.blocking}


# Completeness ------------------------------------------------------------------------------


def test_a_complete_dossier_has_nothing_missing(full):
    assert dossier.missing_items(full) == []
    assert dossier.is_complete(full)


def test_a_new_challenge_lacks_every_required_item_and_its_budget(lead):
    challenge = ChallengeFactory(leads=[lead], title="Nouveau")
    missing = blocking_fields(challenge)
    assert missing == (set(dossier.REQUIRED_FIELDS) - {"title"}) | {
        "prior_actions",
        "budget_lines",
    }
    assert not dossier.is_complete(challenge)


@pytest.mark.parametrize("field", [f for f in dossier.REQUIRED_FIELDS if f != "title"])
@pytest.mark.parametrize("blank", ["", "  \n "])
def test_each_blank_required_item_is_caught(lead, field, blank):
    challenge = complete_challenge(lead, **{field: blank})
    items = [item for item in dossier.missing_items(challenge) if item.field == field]
    assert len(items) == 1
    assert items[0].blocking
    assert items[0].section == dossier.SECTION_OF_FIELD[field]
    assert dossier.field_label(field) in items[0].message
    assert not dossier.is_complete(challenge)


def test_no_priority_reform_is_not_missing(lead):
    assert dossier.is_complete(complete_challenge(lead, priority_reform=""))


def test_prior_actions_described_or_marked_none(lead):
    nothing = complete_challenge(lead, prior_actions="", lessons_learned="")
    assert blocking_fields(nothing) == {"prior_actions"}

    no_lessons = complete_challenge(lead, lessons_learned="")
    assert blocking_fields(no_lessons) == {"lessons_learned"}

    marked_none = complete_challenge(
        lead, prior_actions=dossier.NO_PRIOR_ACTIONS, lessons_learned=""
    )
    assert dossier.is_complete(marked_none)


def test_a_budget_without_lines_or_adding_up_to_zero_is_missing(lead, full):
    full.budget_lines.all().delete()
    assert blocking_fields(full) == {"budget_lines"}

    BudgetLine.objects.create(challenge=full, label="Rien", amount=0, position=1)
    assert blocking_fields(full) == {"budget_lines"}
    assert "nul" in dossier.missing_items(full)[0].message


def test_no_self_financing_is_allowed_but_flagged(full):
    full.budget_lines.update(self_financed=0)
    items = dossier.missing_items(full)
    assert [(item.field, item.blocking) for item in items] == [("budget_lines", False)]
    assert "autofinancement" in items[0].message
    assert dossier.is_complete(full)


def test_missing_items_follow_the_order_of_the_sections(lead):
    challenge = ChallengeFactory(leads=[lead], title="Nouveau")
    order = [SECTION_KEYS.index(item.section) for item in dossier.missing_items(challenge)]
    assert order == sorted(order)


# Budget arithmetic -------------------------------------------------------------------------


def test_budget_totals_requested_amount_and_share(lead):
    challenge = ChallengeFactory(leads=[lead])
    for n, (amount, own) in enumerate(
        [("60000", "0"), ("15000", "7500"), ("5000", "1000"), ("10000", "4000")]
    ):
        BudgetLine.objects.create(
            challenge=challenge,
            label=f"Ligne {n}",
            amount=Decimal(amount),
            self_financed=Decimal(own),
            position=n,
        )
    summary = dossier.budget_summary(challenge)
    assert summary.line_count == 4
    assert summary.total == Decimal("90000")
    assert summary.self_financing == Decimal("12500")
    assert summary.requested == Decimal("77500")
    assert summary.self_financing_share == Decimal("13.9")  # 13.888… rounded
    assert dossier.budget_total(challenge) == Decimal("90000")
    assert dossier.self_financing(challenge) == Decimal("12500")
    assert dossier.requested_amount(challenge) == Decimal("77500")
    assert dossier.self_financing_share(challenge) == Decimal("13.9")


@pytest.mark.parametrize(
    ("total", "own", "share"),
    [("3", "1", "33.3"), ("3", "2", "66.7"), ("8", "1", "12.5"), ("1000", "1000", "100.0")],
)
def test_the_share_is_rounded_half_up_to_one_decimal(total, own, share):
    line = BudgetLine(label="x", amount=Decimal(total), self_financed=Decimal(own))
    assert dossier.summarise_lines([line]).self_financing_share == Decimal(share)


def test_no_share_of_an_empty_budget():
    summary = dossier.summarise_lines([])
    assert summary.total == 0
    assert summary.requested == 0
    assert summary.self_financing_share is None


# Actions -----------------------------------------------------------------------------------


def test_budget_save_updates_creates_deletes_and_orders_in_one_go(lead, full):
    design, animation = full.budget_lines.all()
    dossier.budget_save(
        user=lead,
        challenge_id=full.pk,
        lines=[
            dossier.BudgetLineInput(label="Outils", amount="5000", self_financed="1000"),
            dossier.BudgetLineInput(id=animation.pk, label="Animation", amount="16000,50"),
        ],
        comment="  Montants TTC. ",
    )
    lines = list(full.budget_lines.all())
    assert [(line.label, line.amount, line.self_financed) for line in lines] == [
        ("Outils", Decimal("5000.00"), Decimal("1000.00")),
        ("Animation", Decimal("16000.50"), Decimal("0.00")),
    ]
    assert lines[1].pk == animation.pk
    assert not BudgetLine.objects.filter(pk=design.pk).exists()
    full.refresh_from_db()
    assert full.budget_comment == "Montants TTC."


@pytest.mark.parametrize(
    ("label", "amount", "own", "says"),
    [
        ("Design", "100", "150", "ne peut pas dépasser"),
        ("", "100", "0", "poste de dépense"),
        ("Design", "-1", "0", "compris entre 0"),
        ("Design", "abc", "0", "invalide"),
        ("Design", "10.005", "0", "centime"),
    ],
)
def test_a_bad_line_refuses_the_whole_budget(lead, full, label, amount, own, says):
    before = list(full.budget_lines.values_list("label", "amount", "self_financed"))
    with pytest.raises(InvalidInput) as refused:
        dossier.budget_save(
            user=lead,
            challenge_id=full.pk,
            lines=[
                dossier.BudgetLineInput(label="Bonne ligne", amount="10"),
                dossier.BudgetLineInput(label=label, amount=amount, self_financed=own),
            ],
        )
    assert says in refused.value.message
    assert list(full.budget_lines.values_list("label", "amount", "self_financed")) == before


def test_a_line_of_another_challenge_cannot_be_taken_over(lead, full):
    stranger_line = BudgetLine.objects.create(
        challenge=ChallengeFactory(leads=[lead]), label="Autre", amount=10, position=1
    )
    with pytest.raises(NotFound):
        dossier.budget_save(
            user=lead,
            challenge_id=full.pk,
            lines=[dossier.BudgetLineInput(id=stranger_line.pk, label="Volée", amount="1")],
        )
    stranger_line.refresh_from_db()
    assert stranger_line.label == "Autre"
    assert full.budget_lines.count() == 2


def test_line_by_line_actions(lead, full):
    design, animation = full.budget_lines.all()
    added = dossier.budget_line_add(
        user=lead, challenge_id=full.pk, label="Formation", amount="10000", self_financed="4000"
    )
    assert added.position == 3
    dossier.budget_line_update(user=lead, challenge_id=full.pk, line_id=design.pk, amount="65000")
    with pytest.raises(InvalidInput):
        dossier.budget_line_update(
            user=lead, challenge_id=full.pk, line_id=design.pk, self_financed="70000"
        )
    dossier.budget_lines_reorder(
        user=lead, challenge_id=full.pk, line_ids=[added.pk, design.pk, animation.pk]
    )
    with pytest.raises(InvalidInput):
        dossier.budget_lines_reorder(user=lead, challenge_id=full.pk, line_ids=[added.pk])
    dossier.budget_line_delete(user=lead, challenge_id=full.pk, line_id=animation.pk)
    assert [(line.label, line.amount) for line in full.budget_lines.all()] == [
        ("Formation", Decimal("10000.00")),
        ("Design", Decimal("65000.00")),
    ]


def test_challenge_update_checks_its_fields(lead, full):
    dossier.challenge_update(
        user=lead, challenge_id=full.pk, problem="  Nouveau problème  ", maturity="tests"
    )
    full.refresh_from_db()
    assert (full.problem, full.maturity) == ("Nouveau problème", "tests")
    for bad in (
        {"title": "  "},
        {"maturity": "fini"},
        {"leads": []},
        {"signatory_level": "x" * 101},
    ):
        with pytest.raises(InvalidInput):
            dossier.challenge_update(user=lead, challenge_id=full.pk, **bad)
    full.refresh_from_db()
    assert full.title == COMPLETE["title"]


def test_only_leads_change_the_dossier(full, reader, other_lead, client):
    from django.contrib.auth.models import AnonymousUser

    changes = [
        lambda user: dossier.challenge_update(user=user, challenge_id=full.pk, problem="x"),
        lambda user: dossier.budget_line_add(
            user=user, challenge_id=full.pk, label="x", amount="1"
        ),
        lambda user: dossier.budget_save(user=user, challenge_id=full.pk, lines=[]),
        lambda user: dossier.budget_line_delete(
            user=user, challenge_id=full.pk, line_id=full.budget_lines.first().pk
        ),
    ]
    for change in changes:
        with pytest.raises(Forbidden):
            change(reader)
        for stranger in (other_lead, AnonymousUser()):
            with pytest.raises(NotFound):
                change(stranger)
    full.refresh_from_db()
    assert full.problem == COMPLETE["problem"]
    assert full.budget_lines.count() == 2


# Pages -------------------------------------------------------------------------------------


def overview(challenge: Challenge) -> str:
    return reverse("dossier", kwargs={"pk": challenge.pk})


def section_url(challenge: Challenge, key: str) -> str:
    return reverse("dossier_section", kwargs={"pk": challenge.pk, "section": key})


def test_the_overview_lists_what_is_missing_with_links_to_fix_it(client, lead):
    challenge = complete_challenge(lead, team="", prior_actions="", lessons_learned="")
    client.force_login(lead)
    page = client.get(overview(challenge)).content.decode()
    assert "il manque 2 éléments" in page
    assert "Équipe : à renseigner." in page
    assert f'href="{section_url(challenge, "presentation")}#id_team"' in page
    assert f'href="{section_url(challenge, "actions-menees")}#id_prior_actions"' in page
    for key in SECTION_KEYS:
        assert f'href="{section_url(challenge, key)}"' in page
    # The content and the computed budget are shown.
    assert "Préfecture du Cher" in page
    assert "<li>CCAS de Bourges</li>" in page
    assert "75\xa0000,00 €" in page  # total
    assert "67\xa0500,00 €" in page  # requested
    assert "10,0 %" in page  # self-financing share


def test_a_complete_dossier_says_so(client, lead, full):
    client.force_login(lead)
    page = client.get(overview(full)).content.decode()
    assert "Le dossier est complet" in page
    assert "il manque" not in page


def test_the_lead_edits_a_section(client, lead, full):
    client.force_login(lead)
    form = client.get(section_url(full, "intentions")).content.decode()
    assert 'name="impact_for_agents"' in form
    data = {**COMPLETE, "problem": "Un autre problème", "priority_reform": "Réforme X"}
    response = client.post(section_url(full, "intentions"), data)
    assert response.status_code == 302
    assert response["Location"] == overview(full) + "#intentions"
    full.refresh_from_db()
    assert (full.problem, full.priority_reform) == ("Un autre problème", "Réforme X")
    assert full.title == COMPLETE["title"]  # not a field of that section


def test_the_lead_renames_the_challenge_but_not_to_nothing(client, lead, full):
    client.force_login(lead)
    response = client.post(section_url(full, "defi"), {"title": "", "maturity": "tests"})
    assert response.status_code == 200
    full.refresh_from_db()
    assert full.title == COMPLETE["title"]
    client.post(section_url(full, "defi"), {"title": "Nouveau nom", "maturity": "tests"})
    full.refresh_from_db()
    assert (full.title, full.maturity) == ("Nouveau nom", "tests")


def test_no_prior_actions_is_said_with_a_box(client, lead):
    challenge = complete_challenge(lead, prior_actions="", lessons_learned="")
    client.force_login(lead)
    url = section_url(challenge, "actions-menees")
    response = client.post(
        url, {"no_prior_actions": "on", "prior_actions": "Un atelier", "lessons_learned": ""}
    )
    assert response.status_code == 200
    assert "décochez la case ou videz les champs" in response.content.decode()

    client.post(url, {"no_prior_actions": "on", "prior_actions": "", "lessons_learned": ""})
    challenge.refresh_from_db()
    assert challenge.prior_actions == dossier.NO_PRIOR_ACTIONS
    assert dossier.is_complete(challenge)
    form = client.get(url).context["form"]
    assert form["no_prior_actions"].value() is True
    assert form["prior_actions"].value() == ""  # the marker is not shown as typed text


def budget_post(rows: list[dict], initial: int, **extra: str) -> dict:
    data = {
        "lignes-TOTAL_FORMS": str(len(rows)),
        "lignes-INITIAL_FORMS": str(initial),
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "1000",
        "budget-budget_comment": "",
        **extra,
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"lignes-{n}-{key}"] = value
    return data


def test_the_budget_page_edits_adds_deletes_and_reorders_lines(client, lead, full):
    design, animation = full.budget_lines.all()
    client.force_login(lead)
    page = client.get(section_url(full, "budget")).content.decode()
    assert "<caption>Lignes du budget prévisionnel</caption>" in page
    assert 'value="Design"' in page
    rows = [
        {"id": design.pk, "label": "Design", "amount": "60000", "self_financed": "", "ORDER": "2"},
        {
            "id": animation.pk,
            "label": "Animation",
            "amount": "15000",
            "self_financed": "7500",
            "ORDER": "3",
            "DELETE": "on",
        },
        {"label": "Outils", "amount": "5 000,50", "self_financed": "1000", "ORDER": "1"},
        {"label": "", "amount": "", "self_financed": "", "ORDER": ""},  # a blank row
    ]
    response = client.post(
        section_url(full, "budget"),
        budget_post(rows, initial=2, **{"budget-budget_comment": "TTC"}),
    )
    assert response.status_code == 302, response.content.decode()
    assert [(line.label, line.amount) for line in full.budget_lines.all()] == [
        ("Outils", Decimal("5000.50")),
        ("Design", Decimal("60000.00")),
    ]
    full.refresh_from_db()
    assert full.budget_comment == "TTC"


def test_self_financing_above_a_line_amount_is_refused_on_the_page(client, lead, full):
    client.force_login(lead)
    rows = [{"label": "Design", "amount": "1000", "self_financed": "2000", "ORDER": "1"}]
    response = client.post(section_url(full, "budget"), budget_post(rows, initial=0))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne peut pas dépasser le montant de la ligne" in page
    assert 'value="2000"' in page  # what was typed is kept
    assert full.budget_lines.count() == 2  # nothing saved


def test_the_facilitator_of_the_challenge_reads_but_cannot_edit(client, full, reader):
    client.force_login(reader)
    response = client.get(overview(full))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lecture seule" in page
    assert "Préfecture du Cher" in page
    for key in SECTION_KEYS:
        assert section_url(full, key) not in page
        assert client.get(section_url(full, key)).status_code == 403
        assert client.post(section_url(full, key), {**COMPLETE, "problem": "x"}).status_code == 403
    full.refresh_from_db()
    assert full.problem == COMPLETE["problem"]


def test_the_lead_of_another_challenge_gets_404_everywhere(client, full, other_lead):
    client.force_login(other_lead)
    assert client.get(overview(full)).status_code == 404
    for key in SECTION_KEYS:
        assert client.get(section_url(full, key)).status_code == 404
        assert client.post(section_url(full, key), {**COMPLETE, "problem": "x"}).status_code == 404
    assert client.get(reverse("challenge_detail", kwargs={"pk": full.pk})).status_code == 404
    full.refresh_from_db()
    assert full.problem == COMPLETE["problem"]


def test_an_unknown_section_is_404(client, lead, full):
    client.force_login(lead)
    assert client.get(section_url(full, "inconnue")).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, full):
    for url in [overview(full), *(section_url(full, key) for key in SECTION_KEYS)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_challenge_page_and_dashboard_show_facilitated_challenges_read_only(
    client, lead, full, reader
):
    client.force_login(reader)
    page = client.get(reverse("challenge_detail", kwargs={"pk": full.pk})).content.decode()
    assert "Voir le dossier" in page
    assert reverse("workshop_create", kwargs={"pk": full.pk}) not in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert full.title.replace("'", "&#x27;") in dashboard
    assert "lecture seule" in dashboard

    client.force_login(lead)
    page = client.get(reverse("challenge_detail", kwargs={"pk": full.pk})).content.decode()
    assert reverse("workshop_create", kwargs={"pk": full.pk}) in page
    assert "lecture seule" not in client.get(reverse("dashboard")).content.decode()


# The demo ----------------------------------------------------------------------------------


def test_the_demo_dossier_is_complete_and_seeded_once(db, capsys):
    call_command("seed_demo", base_url="http://x")
    call_command("seed_demo", base_url="http://x")
    challenge = Challenge.objects.get()
    assert dossier.missing_items(challenge) == []
    assert 3 <= challenge.budget_lines.count() <= 4
    assert dossier.budget_summary(challenge).self_financing_share > 0
    assert f"http://x/defis/{challenge.pk}/dossier/" in capsys.readouterr().out
