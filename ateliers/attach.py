"""Attaching a closed workshop's results to its challenge as evidence of co-construction.

The evidence is a dated snapshot: the results are serialised once, as canonical JSON, and
the CSV and PDF made from that very document are stored next to it, each with its SHA-256
digest. Nothing is ever recomputed from the live rows afterwards, so a later edit of the
workshop cannot change what was attached, and anyone holding a file can check it against
its digest (`sha256sum`, or the public page /verifier/).
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.actions import lock_workshop
from ateliers.errors import DomainError, Forbidden, NotFound
from ateliers.models import Evidence, Workshop, WorkshopState
from ateliers.permissions import can_manage_challenge, can_view_challenge
from ateliers.text import clean_text

SCHEMA = "cocon.evidence/1"
TITLE_MAX_LENGTH = 200


class WorkshopNotClosed(DomainError):
    """A draft or live workshop's results are not final: attaching them would freeze a
    state that keeps changing (a vote still open, notes still coming)."""

    code = "workshop_not_closed"
    status = 409
    default_message = gettext_lazy(
        "Seul un atelier clôturé peut être joint au dossier : tant qu'il n'est pas "
        "clôturé, ses résultats peuvent encore changer."
    )


def _plain(value: Any) -> Any:
    # Lazy translations (choice labels) are the only non-JSON values tolerated.
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def canonical_json(data: Any) -> str:
    """One text per content: sorted keys, no spaces, UTF-8 characters as they are and no
    NaN/Infinity (not JSON). Re-serialising the parsed text gives the same text, so the
    digest of a downloaded file can be recomputed from its content."""
    return json.dumps(
        data,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
        default=_plain,
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_url(digest: str, base_url: str | None = None) -> str:
    """The public page that checks this digest (printed and QR-coded on the PDF), on
    PUBLIC_URL when it is set (the address people reach, behind any proxy), otherwise
    on `base_url` (scheme and host of the request)."""
    base = settings.PUBLIC_URL or (base_url or "").rstrip("/")
    return f"{base}{reverse('evidence_verify')}?empreinte={digest}"


def user_name(user: AbstractBaseUser) -> str:
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name or user.get_username()


def _results_document(workshop: Workshop) -> dict[str, Any]:
    # Helper module of the results figures (ateliers.evidence); imported here so this
    # module loads even where results are built elsewhere.
    from ateliers.evidence import results_document

    return results_document(workshop)


def _clean_title(title: str | None, workshop: Workshop) -> str:
    title = clean_text(title or "", limit=TITLE_MAX_LENGTH)
    if not title:
        title = _("Résultats de l'atelier « %(title)s »") % {"title": workshop.title}
        return title[:TITLE_MAX_LENGTH]
    return title


def attach_evidence(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    title: str | None = None,
    base_url: str | None = None,
) -> Evidence:
    """Snapshot a closed workshop's results into a new Evidence of its challenge.

    Project leads only: facilitators who may read the challenge get Forbidden, anyone
    else NotFound. `base_url` (scheme and host of the request) makes the verification
    link printed on the PDF absolute when PUBLIC_URL is not set.

    The results are read with the workshop row locked (no decision lands halfway
    through); the PDF is rendered after that lock is released, and the row with all
    three files is written in one transaction. Attaching the same results twice in the
    same second (a double click) gives back the first evidence.
    """
    # The exports module imports this one (canonical_json, verify_url).
    from ateliers import exports

    with transaction.atomic():
        workshop = lock_workshop(workshop_id)
        challenge = workshop.challenge
        if not can_view_challenge(user, challenge):
            raise NotFound(_("Cet atelier n'existe pas."))
        if not can_manage_challenge(user, challenge):
            raise Forbidden(_("Seuls les porteurs et porteuses du défi joignent des preuves."))
        if workshop.state != WorkshopState.CLOSED:
            raise WorkshopNotClosed()
        title = _clean_title(title, workshop)
        attached_at = timezone.now().replace(microsecond=0)
        document = {
            "schema": SCHEMA,
            "title": title,
            "attached_at": timezone.localtime(attached_at).isoformat(),
            "attached_by": user_name(user),
            "challenge": {"id": challenge.pk, "title": challenge.title},
            "results": _results_document(workshop),
        }
        text = canonical_json(document)

    digest = sha256_hex(text.encode("utf-8"))
    if existing := Evidence.objects.filter(digest=digest).first():
        return existing
    parsed = json.loads(text)  # exports read exactly what was stored
    csv_bytes = exports.evidence_csv(parsed)
    pdf_bytes = exports.evidence_pdf(parsed, digest=digest, verify_url=verify_url(digest, base_url))
    try:
        with transaction.atomic():
            return Evidence.objects.create(
                challenge=challenge,
                workshop=workshop,
                title=title,
                attached_at=attached_at,
                attached_by=user,
                document=text,
                digest=digest,
                csv=csv_bytes,
                csv_digest=sha256_hex(csv_bytes),
                pdf=pdf_bytes,
                pdf_digest=sha256_hex(pdf_bytes),
            )
    except IntegrityError:
        # The same snapshot attached by a concurrent request: one row, shared.
        return Evidence.objects.get(digest=digest)


def find_by_digest(digest: str) -> tuple[Evidence, str] | None:
    """The evidence one of whose files has this digest, and which file ("json", "csv" or
    "pdf"). For the public verification page: it only reads."""
    digest = digest.strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return None
    for field, kind in (("digest", "json"), ("csv_digest", "csv"), ("pdf_digest", "pdf")):
        found = (
            Evidence.objects.select_related("challenge", "workshop")
            .filter(**{field: digest})
            .order_by("attached_at", "pk")
            .first()
        )
        if found is not None:
            return found, kind
    return None
