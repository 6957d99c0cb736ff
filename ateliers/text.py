"""Free text typed by people (notes, titles, reasons), cleaned the same way everywhere."""

from django.utils.translation import gettext as _

from ateliers.errors import InvalidInput


def clean_text(text: str, *, limit: int, empty_message: str | None = None) -> str:
    """Trimmed text without NUL (PostgreSQL refuses it in a text column, which would be a
    500 instead of an answer). Empty text is refused with `empty_message` when one is
    given, and text over `limit` characters is refused rather than cut: what someone
    typed is never silently shortened."""
    text = text.replace("\x00", "").strip()
    if not text and empty_message is not None:
        raise InvalidInput(empty_message)
    if len(text) > limit:
        raise InvalidInput(_("%(n)d caractères au plus.") % {"n": limit})
    return text
