"""Ready-made agendas ("Idéation + vote", "Simplificathon", …) and the column rules.

Kept apart from the actions that edit an agenda so `workshop_create` can use them.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.errors import InvalidInput
from ateliers.models import MAX_NOTES_LIMIT, Activity, ActivityKind, Identity, Workshop

MAX_COLUMNS, COLUMN_LABEL_MAX = 6, 40


@dataclass(frozen=True)
class ActivitySpec:
    title: str
    prompt: str = ""
    columns: tuple[str, ...] = ()
    identity: str = Identity.ANONYMOUS
    private: bool = False
    reactions: bool = False
    max_notes: int = 10
    kind: str = ActivityKind.IDEATION
    # A vote's items come from the activity this many places before it.
    source_back: int = 1
    votes_per_person: int = 5
    max_per_item: int = 2


@dataclass(frozen=True)
class Template:
    label: Any
    description: Any
    activities: tuple[ActivitySpec, ...] = field(default_factory=tuple)


# Ready agendas. Journey-map steps join these when that activity exists (issue #7).
TEMPLATES: dict[str, Template] = {
    "ideation": Template(
        gettext_lazy("Tableau d'idées"),
        gettext_lazy("Un seul tableau où chacun·e poste ses idées."),
        (ActivitySpec("Idées", "Quelles idées pour améliorer ce service ?"),),
    ),
    "ideation_vote": Template(
        gettext_lazy("Idéation + vote"),
        gettext_lazy("Irritants et idées en colonnes avec réactions +1, puis un vote par points."),
        (
            ActivitySpec(
                "Irritants et idées",
                "Qu'est-ce qui vous complique la vie, et que proposez-vous ?",
                columns=("Irritants", "Idées"),
                reactions=True,
            ),
            ActivitySpec(
                "Vote",
                "Mettez vos points sur ce qui compte le plus pour vous.",
                kind=ActivityKind.VOTE,
                private=True,
            ),
        ),
    ),
    "simplificathon": Template(
        gettext_lazy("Simplificathon"),
        gettext_lazy(
            "Irritants par thème recueillis en privé puis révélés, idées de solutions, "
            "puis vote des priorités."
        ),
        (
            ActivitySpec(
                "Irritants",
                "Quelles lourdeurs devrions-nous éliminer ?",
                columns=(
                    "e-administration",
                    "Relations aux usagers",
                    "Délégation",
                    "Services aux agents",
                ),
                private=True,
            ),
            ActivitySpec(
                "Solutions",
                "Quelle mesure prendre pour faire plus simple ?",
                columns=("Rapide à mettre en place", "Plus ambitieux"),
                identity=Identity.PSEUDONYMOUS,
                reactions=True,
            ),
            ActivitySpec(
                "Priorités",
                "Quelles solutions essayer en premier ?",
                kind=ActivityKind.VOTE,
                private=True,
            ),
        ),
    ),
}
DEFAULT_TEMPLATE = "ideation"


def clean_columns(labels: list[str], existing: list[dict[str, str]]) -> list[dict[str, str]]:
    """New column labels for an activity. A label already there keeps its key; a new
    label at the place of a label that is gone takes its key (a rename keeps its notes);
    any other label gets a fresh key."""
    labels = [label.strip() for label in labels if label.strip()]
    if len(labels) > MAX_COLUMNS:
        raise InvalidInput(_("%(n)d colonnes au plus.") % {"n": MAX_COLUMNS})
    if any(len(label) > COLUMN_LABEL_MAX for label in labels):
        raise InvalidInput(
            _("Un nom de colonne fait au plus %(n)d caractères.") % {"n": COLUMN_LABEL_MAX}
        )
    if len(set(labels)) != len(labels):
        raise InvalidInput(_("Deux colonnes ne peuvent pas porter le même nom."))
    by_label = {c["label"]: c["key"] for c in existing}
    claimed = {by_label[label] for label in labels if label in by_label}
    used = {int(c["key"][1:]) for c in existing if c["key"][1:].isdigit()}
    next_key = max(used, default=0) + 1
    columns = []
    for index, label in enumerate(labels):
        key = by_label.get(label)
        if key is None and index < len(existing) and existing[index]["key"] not in claimed:
            key = existing[index]["key"]
            claimed.add(key)
        if key is None:
            key, next_key = f"c{next_key}", next_key + 1
        columns.append({"key": key, "label": label})
    return columns


def check_settings(identity: str, max_notes: int) -> None:
    if identity not in Identity.values:
        raise InvalidInput(_("Mode de signature inconnu."))
    if not 1 <= max_notes <= MAX_NOTES_LIMIT:
        raise InvalidInput(
            _("Entre 1 et %(n)d contributions par personne.") % {"n": MAX_NOTES_LIMIT}
        )


def activities_from_template(workshop: Workshop, template: str) -> list[Activity]:
    """Create a new workshop's agenda (inside workshop_create's transaction)."""
    if template not in TEMPLATES:
        raise InvalidInput(_("Modèle d'atelier inconnu."))
    created: list[Activity] = []
    for position, spec in enumerate(TEMPLATES[template].activities, start=1):
        voting = spec.kind != ActivityKind.IDEATION
        created.append(
            Activity.objects.create(
                workshop=workshop,
                position=position,
                kind=spec.kind,
                title=spec.title,
                prompt=spec.prompt,
                columns=clean_columns(list(spec.columns), []),
                identity=spec.identity,
                private=spec.private,
                reactions=spec.reactions,
                max_notes=spec.max_notes,
                source=created[-spec.source_back] if voting and created else None,
                votes_per_person=spec.votes_per_person,
                max_per_item=spec.max_per_item,
            )
        )
    return created
