"""Pseudonyms for pseudonymous activities: friendly, unique within a workshop, and
unrelated to the person (no initials, no order of arrival visible at a glance)."""

import random

NAMES = (
    "Abeille", "Albatros", "Alouette", "Belette", "Bouvreuil", "Castor", "Chamois",
    "Chevreuil", "Cigale", "Colibri", "Coquelicot", "Écureuil", "Faucon", "Fougère",
    "Gazelle", "Grillon", "Hérisson", "Hibou", "Lavande", "Libellule", "Loutre", "Lynx",
    "Marmotte", "Martinet", "Mésange", "Mimosa", "Narval", "Orchidée", "Panda", "Pivert",
    "Renard", "Rossignol", "Saule", "Sterne", "Tilleul", "Tortue", "Toucan", "Troène",
)  # fmt: skip


def pseudonym_for(workshop_id: int, index: int) -> str:
    """The `index`-th pseudonym of a workshop (0-based): names in an order shuffled per
    workshop, then the same names numbered 2, 3, …"""
    order = list(NAMES)
    random.Random(workshop_id).shuffle(order)  # noqa: S311 (not a secret)
    name = order[index % len(order)]
    round_ = index // len(order)
    return name if round_ == 0 else f"{name} {round_ + 1}"
