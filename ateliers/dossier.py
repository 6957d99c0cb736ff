"""The défi dossier: its sections, what is missing before export, its budget, and the
actions that change it.

The sections follow section 7 of the DITP call "Appel à défis pour une action publique
co-construite" (intentions, the candidate, prior actions, budget, signature), plus the
title and the maturity stage. They are data (`SECTIONS`) so that the pages, the
completeness check and the exports show the same items in the same order.

Permissions: leads of the challenge (and superusers) change it; anyone who may only read
it (facilitators of one of its workshops) gets `Forbidden`; anyone else `NotFound`, as if
it did not exist (ateliers.permissions).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.errors import Forbidden, InvalidInput, NotFound
from ateliers.models import BudgetLine, Challenge
from ateliers.permissions import can_manage_challenge, can_view_challenge

# Written in `prior_actions` to say explicitly that nothing was done before (the call
# asks for prior actions only "le cas échéant"): then no lessons learned are expected.
NO_PRIOR_ACTIONS = "Aucune action préalablement menée."

# A line's amount: 12 digits, 2 of them decimals (BudgetLine.amount).
MAX_AMOUNT = Decimal("9999999999.99")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Section:
    """One part of the dossier: its address (`key`, a French URL slug), its title, what
    the call asks for in it, and the Challenge fields it holds."""

    key: str
    title: Promise
    asks: Promise
    fields: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "defi",
        gettext_lazy("Intitulé et stade de maturité"),
        gettext_lazy(
            "L'intitulé du défi et son stade de maturité : cadrage, tests, prototypage "
            "ou déploiement."
        ),
        ("title", "maturity"),
    ),
    Section(
        "intentions",
        gettext_lazy("Présenter vos intentions"),
        gettext_lazy(
            "La problématique et les solutions à développer, le contexte, le lien éventuel "
            "avec une réforme prioritaire, une ébauche de l'impact et des bénéfices attendus "
            "pour l'agent et pour l'usager."
        ),
        (
            "problem",
            "solutions",
            "context",
            "priority_reform",
            "impact_for_agents",
            "impact_for_users",
        ),
    ),
    Section(
        "presentation",
        gettext_lazy("Vous présenter"),
        gettext_lazy(
            "La structure candidate et l'équipe qui porte le défi, les compétences innovation "
            "présentes en interne et celles sur lesquelles un renfort est nécessaire, les "
            "organisations partenaires et les territoires concernés."
        ),
        (
            "carrying_structure",
            "team",
            "innovation_skills",
            "reinforcement_needed",
            "partner_organisations",
            "territories",
        ),
    ),
    Section(
        "actions-menees",
        gettext_lazy("Actions préalablement menées"),
        gettext_lazy(
            "Le cas échéant, les actions déjà menées et leur retour d'expérience, "
            "particulièrement important pour un projet en développement ou en accélération."
        ),
        ("prior_actions", "lessons_learned"),
    ),
    Section(
        "budget",
        gettext_lazy("Budget prévisionnel"),
        gettext_lazy(
            "Une estimation des coûts et des financements demandés, en précisant la part "
            "d'autofinancement."
        ),
        ("budget_comment",),
    ),
    Section(
        "candidature",
        gettext_lazy("Acte de candidature"),
        gettext_lazy(
            "La signature du responsable de la structure porteuse (État ou opérateur de "
            "l'État), en précisant son niveau (ex. préfet, directeur)."
        ),
        ("signatory_name", "signatory_level"),
    ),
)

SECTION_BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}
SECTION_OF_FIELD: dict[str, str] = {
    field: section.key for section in SECTIONS for field in section.fields
}
EDITABLE_FIELDS: frozenset[str] = frozenset(SECTION_OF_FIELD)

# Fields that must not be blank for the dossier to be complete. Left out on purpose:
# priority_reform (blank means "no priority reform"), budget_comment (optional details),
# maturity (always set), and prior_actions/lessons_learned (see missing_items).
REQUIRED_FIELDS: tuple[str, ...] = (
    "title",
    "problem",
    "solutions",
    "context",
    "impact_for_agents",
    "impact_for_users",
    "carrying_structure",
    "team",
    "innovation_skills",
    "reinforcement_needed",
    "partner_organisations",
    "territories",
    "signatory_name",
    "signatory_level",
)

# Text fields that hold one item per line, shown as lists.
LIST_FIELDS: frozenset[str] = frozenset({"partner_organisations", "territories"})


def field_label(field: str) -> str:
    """The French label of a Challenge field, capitalised (the model's verbose name)."""
    label = str(Challenge._meta.get_field(field).verbose_name)
    return label[:1].upper() + label[1:]


def lines_of(text: str) -> list[str]:
    """The non-blank lines of a one-item-per-line field."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def has_no_prior_actions(challenge: Challenge) -> bool:
    """Whether the lead said explicitly that nothing was done before."""
    return (challenge.prior_actions or "").strip() == NO_PRIOR_ACTIONS


@dataclass(frozen=True)
class Row:
    """One item of a section as people read it: its label, its text (a choice's label,
    "" if blank), and its lines if it is a one-per-line list."""

    field: str
    label: str
    value: str
    items: tuple[str, ...] = ()


def section_rows(challenge: Challenge, section: Section) -> list[Row]:
    rows = []
    for field in section.fields:
        if Challenge._meta.get_field(field).choices:
            value = str(getattr(challenge, f"get_{field}_display")())
        else:
            value = str(getattr(challenge, field) or "").strip()
        items = tuple(lines_of(value)) if field in LIST_FIELDS else ()
        rows.append(Row(field, field_label(field), value, items))
    return rows


# Completeness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingItem:
    """Something the dossier lacks (`blocking`) or that deserves a second look before
    export (not blocking). `field` is a Challenge field, or "budget_lines"."""

    section: str
    field: str
    message: str
    blocking: bool = True


def missing_items(challenge: Challenge) -> list[MissingItem]:
    """What the dossier lacks before export, in the order of its sections.

    Blocking: every REQUIRED_FIELDS left blank (whitespace counts as blank); prior actions
    neither described nor marked "none" (NO_PRIOR_ACTIONS); prior actions described but no
    lessons learned; no budget line, or lines adding up to zero.
    Not blocking: a self-financing share of zero (allowed, but the call asks to state it).
    """
    items: list[MissingItem] = []
    for field in REQUIRED_FIELDS:
        if not str(getattr(challenge, field) or "").strip():
            items.append(
                MissingItem(
                    SECTION_OF_FIELD[field],
                    field,
                    _("%(field)s : à renseigner.") % {"field": field_label(field)},
                )
            )
    prior = (challenge.prior_actions or "").strip()
    if not prior:
        items.append(
            MissingItem(
                "actions-menees",
                "prior_actions",
                _(
                    "Actions préalablement menées : décrivez-les, ou indiquez qu'aucune "
                    "action n'a été menée."
                ),
            )
        )
    elif not has_no_prior_actions(challenge) and not (challenge.lessons_learned or "").strip():
        items.append(
            MissingItem(
                "actions-menees",
                "lessons_learned",
                _("Retour d'expérience : à renseigner pour les actions déjà menées."),
            )
        )
    budget = budget_summary(challenge)
    if budget.line_count == 0:
        items.append(
            MissingItem(
                "budget",
                "budget_lines",
                _("Budget prévisionnel : ajoutez au moins une ligne de dépense."),
            )
        )
    elif budget.total == 0:
        items.append(
            MissingItem(
                "budget",
                "budget_lines",
                _("Budget prévisionnel : le montant total est nul."),
            )
        )
    elif budget.self_financing == 0:
        items.append(
            MissingItem(
                "budget",
                "budget_lines",
                _(
                    "Part d'autofinancement : elle est nulle. L'appel demande de la préciser ; "
                    "vérifiez que c'est bien le cas."
                ),
                blocking=False,
            )
        )
    order = {section.key: n for n, section in enumerate(SECTIONS)}
    return sorted(items, key=lambda item: order[item.section])


def is_complete(challenge: Challenge) -> bool:
    """Nothing blocking is missing (warnings do not count)."""
    return not any(item.blocking for item in missing_items(challenge))


# Budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetSummary:
    """The provisional budget's totals: what it costs, what the carrying structure pays
    itself, and what it asks the call for."""

    line_count: int
    total: Decimal
    self_financing: Decimal

    @property
    def requested(self) -> Decimal:
        return self.total - self.self_financing

    @property
    def self_financing_share(self) -> Decimal | None:
        """Self-financing as a percentage of the total, to one decimal; None if the total
        is zero (a share of nothing means nothing)."""
        if not self.total:
            return None
        share = self.self_financing * 100 / self.total
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarise_lines(lines: Iterable[BudgetLine]) -> BudgetSummary:
    """Totals of lines already in memory (no query)."""
    count, total, own = 0, Decimal(0), Decimal(0)
    for line in lines:
        count += 1
        total += line.amount
        own += line.self_financed
    return BudgetSummary(count, total, own)


def budget_summary(challenge: Challenge) -> BudgetSummary:
    return summarise_lines(challenge.budget_lines.all())


def budget_total(challenge: Challenge) -> Decimal:
    return budget_summary(challenge).total


def self_financing(challenge: Challenge) -> Decimal:
    return budget_summary(challenge).self_financing


def requested_amount(challenge: Challenge) -> Decimal:
    return budget_summary(challenge).requested


def self_financing_share(challenge: Challenge) -> Decimal | None:
    return budget_summary(challenge).self_financing_share


# Actions -----------------------------------------------------------------------------------


def challenge_for_reading(user: AbstractBaseUser | AnonymousUser, challenge_id: int) -> Challenge:
    """The challenge if `user` may see it; NotFound otherwise (its existence stays hidden)."""
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None or not can_view_challenge(user, challenge):
        raise NotFound(_("Ce défi n'existe pas."))
    return challenge


def _challenge_to_edit(user: AbstractBaseUser | AnonymousUser, challenge_id: int) -> Challenge:
    """Lock the challenge row for this transaction if `user` may edit it: writers of one
    dossier queue here (two budget saves never interleave their lines)."""
    challenge = Challenge.objects.select_for_update().filter(pk=challenge_id).first()
    if challenge is None or not can_view_challenge(user, challenge):
        raise NotFound(_("Ce défi n'existe pas."))
    if not can_manage_challenge(user, challenge):
        raise Forbidden(_("Seuls les porteurs du défi peuvent modifier son dossier."))
    return challenge


def _invalid(error: ValidationError) -> InvalidInput:
    """One French sentence per invalid field, each prefixed with its label."""
    if not hasattr(error, "error_dict"):
        return InvalidInput(" ".join(error.messages))
    parts = [
        f"{field_label(field) if field in EDITABLE_FIELDS else field} : {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    ]
    return InvalidInput(" ".join(parts))


def challenge_update(
    *, user: AbstractBaseUser | AnonymousUser, challenge_id: int, **fields: Any
) -> Challenge:
    """Change some fields of the dossier (any of EDITABLE_FIELDS), checked like the model
    checks them (lengths, maturity choices, a non-blank title)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(
            _("Champs inconnus : %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        challenge = _challenge_to_edit(user, challenge_id)
        for name, value in fields.items():
            if isinstance(value, str):
                value = value.strip()
            setattr(challenge, name, value)
        try:
            challenge.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise _invalid(exc) from None
        challenge.save(update_fields=[*fields, "updated_at"])
    return challenge


def _money(value: Any, label: str) -> Decimal:
    """An amount in euros: at least 0, at most MAX_AMOUNT, to the cent."""
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("%(label)s : montant invalide.") % {"label": label}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise InvalidInput(
            _("%(label)s : le montant doit être compris entre 0 et %(max)s €.")
            % {"label": label, "max": MAX_AMOUNT}
        )
    if amount != amount.quantize(CENT):
        raise InvalidInput(_("%(label)s : au centime près.") % {"label": label})
    return amount.quantize(CENT)


@dataclass(frozen=True)
class BudgetLineInput:
    """One line as the lead typed it; `id` is that of an existing line, None for a new one."""

    label: str
    amount: Any
    self_financed: Any = 0
    id: int | None = None


def check_line(label: str, amount: Any, self_financed: Any) -> tuple[str, Decimal, Decimal]:
    """A line's values, cleaned, or InvalidInput saying what is wrong with them."""
    label = (label or "").strip()
    if not label:
        raise InvalidInput(_("Chaque ligne de budget a besoin d'un poste de dépense."))
    max_length = BudgetLine._meta.get_field("label").max_length
    if len(label) > max_length:
        raise InvalidInput(_("Poste de dépense : %(n)d caractères au plus.") % {"n": max_length})
    amount = _money(amount, _("Montant"))
    own = _money(self_financed if self_financed not in (None, "") else 0, _("Autofinancement"))
    if own > amount:
        raise InvalidInput(
            _("« %(label)s » : l'autofinancement ne peut pas dépasser le montant de la ligne.")
            % {"label": label}
        )
    return label, amount, own


def budget_save(
    *,
    user: AbstractBaseUser | AnonymousUser,
    challenge_id: int,
    lines: Sequence[BudgetLineInput],
    comment: str | None = None,
) -> list[BudgetLine]:
    """Replace the budget with `lines`, in that order, in one transaction: lines with an
    `id` are updated, the others created, existing lines not listed deleted. `comment`,
    if given, replaces the budget's details (budget_comment)."""
    cleaned = [
        (line.id, *check_line(line.label, line.amount, line.self_financed)) for line in lines
    ]
    with transaction.atomic():
        challenge = _challenge_to_edit(user, challenge_id)
        existing = {line.pk: line for line in challenge.budget_lines.all()}
        kept_ids = [line_id for line_id, *_rest in cleaned if line_id is not None]
        if len(kept_ids) != len(set(kept_ids)) or not set(kept_ids) <= set(existing):
            raise NotFound(_("Cette ligne de budget n'existe pas."))
        challenge.budget_lines.exclude(pk__in=kept_ids).delete()
        saved = []
        for position, (line_id, label, amount, own) in enumerate(cleaned, start=1):
            if line_id is None:
                line = BudgetLine.objects.create(
                    challenge=challenge,
                    label=label,
                    amount=amount,
                    self_financed=own,
                    position=position,
                )
            else:
                line = existing[line_id]
                line.label, line.amount, line.self_financed = label, amount, own
                line.position = position
                line.save(update_fields=["label", "amount", "self_financed", "position"])
            saved.append(line)
        update = ["updated_at"]
        if comment is not None:
            challenge.budget_comment = comment.strip()
            update.append("budget_comment")
        challenge.save(update_fields=update)
    return saved


def _line_of(challenge: Challenge, line_id: int) -> BudgetLine:
    line = challenge.budget_lines.filter(pk=line_id).first()
    if line is None:
        raise NotFound(_("Cette ligne de budget n'existe pas."))
    return line


def budget_line_add(
    *,
    user: AbstractBaseUser | AnonymousUser,
    challenge_id: int,
    label: str,
    amount: Any,
    self_financed: Any = 0,
) -> BudgetLine:
    """Append one line at the end of the budget."""
    label, amount, own = check_line(label, amount, self_financed)
    with transaction.atomic():
        challenge = _challenge_to_edit(user, challenge_id)
        last = challenge.budget_lines.aggregate(last=Max("position"))["last"] or 0
        line = BudgetLine.objects.create(
            challenge=challenge, label=label, amount=amount, self_financed=own, position=last + 1
        )
        challenge.save(update_fields=["updated_at"])
    return line


def budget_line_update(
    *,
    user: AbstractBaseUser | AnonymousUser,
    challenge_id: int,
    line_id: int,
    label: str | None = None,
    amount: Any = None,
    self_financed: Any = None,
) -> BudgetLine:
    """Change one line; the fields left None keep their value."""
    with transaction.atomic():
        challenge = _challenge_to_edit(user, challenge_id)
        line = _line_of(challenge, line_id)
        line.label, line.amount, line.self_financed = check_line(
            line.label if label is None else label,
            line.amount if amount is None else amount,
            line.self_financed if self_financed is None else self_financed,
        )
        line.save(update_fields=["label", "amount", "self_financed"])
        challenge.save(update_fields=["updated_at"])
    return line


def budget_line_delete(
    *, user: AbstractBaseUser | AnonymousUser, challenge_id: int, line_id: int
) -> None:
    with transaction.atomic():
        challenge = _challenge_to_edit(user, challenge_id)
        _line_of(challenge, line_id).delete()
        challenge.save(update_fields=["updated_at"])


def budget_lines_reorder(
    *, user: AbstractBaseUser | AnonymousUser, challenge_id: int, line_ids: Sequence[int]
) -> None:
    """Put the lines in the order of `line_ids`, which must list each line once."""
    with transaction.atomic():
        challenge = _challenge_to_edit(user, challenge_id)
        lines = {line.pk: line for line in challenge.budget_lines.all()}
        if sorted(line_ids) != sorted(lines):
            raise InvalidInput(_("Donnez chaque ligne du budget une fois, et elles seules."))
        for position, line_id in enumerate(line_ids, start=1):
            lines[line_id].position = position
        BudgetLine.objects.bulk_update(lines.values(), ["position"])
        challenge.save(update_fields=["updated_at"])
