"""Free text typed by people (notes, titles, reasons), cleaned the same way everywhere."""

import unicodedata

from django.utils.translation import gettext as _

from ateliers.errors import InvalidInput


def clean_text(text: str, *, limit: int, empty_message: str | None = None) -> str:
    """Trimmed text without NUL (PostgreSQL refuses it in a text column, which would be a
    500 instead of an answer). Empty text, or text of invisible characters only, is
    refused with `empty_message` when one is given, and text over `limit` characters is
    refused rather than cut: what someone typed is never silently shortened."""
    text = text.replace("\x00", "").strip()
    if not visible(text) and empty_message is not None:
        raise InvalidInput(empty_message)
    if len(text) > limit:
        raise InvalidInput(_("%(n)d caractères au plus.") % {"n": limit})
    return text


# Invisible on their own: format characters (zero-width space and joiners, bidi
# controls, soft hyphen) and control characters. Kept inside text (emoji sequences and
# right-to-left scripts need them); a text made only of them counts as empty.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})


def visible(text: str) -> bool:
    """Does the text show anything? (docs/hostile-inputs.md)"""
    return any(
        not char.isspace() and unicodedata.category(char) not in INVISIBLE_CATEGORIES
        for char in text
    )
