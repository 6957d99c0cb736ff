"""Ready-made agendas ("Idéation + vote", "Simplificathon", …) and the column rules.

Kept apart from the actions that edit an agenda so `workshop_create` can use them.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.errors import InvalidInput
from ateliers.models import (
    MAX_NOTES_LIMIT,
    Activity,
    ActivityKind,
    Identity,
    LaneKind,
    Workshop,
)

MAX_COLUMNS, COLUMN_LABEL_MAX = 6, 40
MAX_STAGES, MAX_LANES = 10, 8

# A journey map's usual rows, in the order they are read (issue #7, anchors.md 1.12).
DEFAULT_LANES: tuple[tuple[str, str], ...] = (
    (LaneKind.ACTIONS, "Ce qu'elle fait"),
    (LaneKind.TOUCHPOINTS, "Points de contact"),
    (LaneKind.THOUGHTS, "Ce qu'elle pense"),
    (LaneKind.PAIN_POINTS, "Irritants"),
    (LaneKind.OPPORTUNITIES, "Opportunités"),
)
DEFAULT_STAGES = (
    "Découvrir le besoin",
    "S'informer",
    "Faire la démarche",
    "Attendre et suivre",
    "Recevoir la réponse",
)


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
    persona: str = ""
    scenario: str = ""


@dataclass(frozen=True)
class Template:
    label: Any
    description: Any
    activities: tuple[ActivitySpec, ...] = field(default_factory=tuple)


# Ready agendas.
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
    "parcours": Template(
        gettext_lazy("Parcours usager"),
        gettext_lazy(
            "La salle cartographie un parcours étape par étape (actions, points de contact, "
            "pensées, irritants, opportunités) et dit comment chaque étape se vit, puis vote "
            "sur les irritants à traiter en priorité."
        ),
        (
            ActivitySpec(
                "Parcours usager",
                "Pour chaque étape : que fait la personne, où, que pense-t-elle, qu'est-ce qui "
                "coince ? Et comment vit-elle cette étape ?",
                columns=DEFAULT_STAGES,
                kind=ActivityKind.JOURNEY,
                max_notes=30,
                persona="Une personne qui fait cette démarche pour la première fois",
                scenario="Obtenir une réponse à sa demande",
            ),
            ActivitySpec(
                "Irritants prioritaires",
                "Mettez vos points sur les irritants à traiter en premier.",
                kind=ActivityKind.VOTE,
                private=True,
            ),
        ),
    ),
}
DEFAULT_TEMPLATE = "ideation"


def clean_columns(
    labels: list[str], existing: list[dict[str, str]], limit: int = MAX_COLUMNS
) -> list[dict[str, str]]:
    """New column labels for an activity (or stages of a journey, in their new order).
    A label already there keeps its key; a new label at the place of a label that is
    gone takes its key (a rename keeps its notes); any other label gets a fresh key."""
    labels = [label.strip() for label in labels if label.strip()]
    if len(labels) > limit:
        raise InvalidInput(_("%(n)d colonnes au plus.") % {"n": limit})
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


def default_lanes() -> list[dict[str, Any]]:
    return [
        {"key": f"l{n}", "label": label, "kind": str(kind), "enabled": True}
        for n, (kind, label) in enumerate(DEFAULT_LANES, start=1)
    ]


def clean_lanes(
    lanes: list[dict[str, Any]], existing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A journey's rows as the facilitator left them: each `{key?, label, kind,
    enabled}`. A lane given with the key of an existing one keeps it (its cards stay in
    it, whatever its new label); others get a fresh key. At least one lane takes cards."""
    if not lanes:
        raise InvalidInput(_("Un parcours a au moins une ligne."))
    if len(lanes) > MAX_LANES:
        raise InvalidInput(_("%(n)d lignes au plus.") % {"n": MAX_LANES})
    known = {lane["key"] for lane in existing}
    used = {int(key[1:]) for key in known if key[1:].isdigit()}
    next_key = max(used, default=0) + 1
    cleaned: list[dict[str, Any]] = []
    for lane in lanes:
        label = " ".join(str(lane.get("label", "")).split())
        if not label:
            raise InvalidInput(_("Donnez un nom à chaque ligne."))
        if len(label) > COLUMN_LABEL_MAX:
            raise InvalidInput(
                _("Un nom de ligne fait au plus %(n)d caractères.") % {"n": COLUMN_LABEL_MAX}
            )
        kind = lane.get("kind", LaneKind.OTHER)
        if kind not in LaneKind.values:
            raise InvalidInput(_("Type de ligne inconnu."))
        key = lane.get("key")
        if key not in known or any(c["key"] == key for c in cleaned):
            key, next_key = f"l{next_key}", next_key + 1
        cleaned.append(
            {"key": key, "label": label, "kind": kind, "enabled": bool(lane.get("enabled", True))}
        )
    if len({lane["label"] for lane in cleaned}) != len(cleaned):
        raise InvalidInput(_("Deux lignes ne peuvent pas porter le même nom."))
    if not any(lane["enabled"] for lane in cleaned):
        raise InvalidInput(_("Gardez au moins une ligne ouverte."))
    return cleaned


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
        voting = spec.kind in (ActivityKind.VOTE, ActivityKind.RATING)
        journey = spec.kind == ActivityKind.JOURNEY
        created.append(
            Activity.objects.create(
                workshop=workshop,
                position=position,
                kind=spec.kind,
                title=spec.title,
                prompt=spec.prompt,
                columns=clean_columns(
                    list(spec.columns), [], MAX_STAGES if journey else MAX_COLUMNS
                ),
                lanes=default_lanes() if journey else [],
                persona=spec.persona,
                scenario=spec.scenario,
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
