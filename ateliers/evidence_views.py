"""Evidence pages: attach a closed workshop's results, see and download an evidence, the
dossier PDF and the evidence pack of a challenge, and the public verification page.

Leads and facilitators of the challenge read and download; only leads attach; anyone
else gets 404, as if nothing existed. Writes go through ateliers.attach.
"""

import base64
import hashlib
from typing import Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ateliers import exports
from ateliers.attach import attach_evidence, find_by_digest
from ateliers.errors import DomainError, Forbidden, NotFound
from ateliers.models import Challenge, Evidence, Workshop, WorkshopState
from ateliers.permissions import can_manage_challenge, can_view_challenge

# The verification page hashes what it is given, nothing more: an evidence PDF is a few
# hundred kilobytes; anything far larger is not one of ours.
VERIFY_MAX_BYTES = 20 * 1024 * 1024

FileKind = Literal["json", "csv", "pdf"]
CONTENT_TYPES: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _base_url(request: HttpRequest) -> str:
    return exports.public_base_url(request.build_absolute_uri("/"))


def _viewable_challenge(request: HttpRequest, pk: int) -> Challenge:
    challenge = get_object_or_404(Challenge, pk=pk)
    if not can_view_challenge(request.user, challenge):
        raise Http404
    return challenge


def _viewable_evidence(request: HttpRequest, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("challenge", "workshop", "attached_by"), pk=pk
    )
    if not can_view_challenge(request.user, evidence.challenge):
        raise Http404
    return evidence


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: the bytes as stored, a readable name, and their digest in the
    standard header (RFC 9530), which the reader can check."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(content))
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def evidence_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the results of workshop `pk` to its challenge (a lead's button)."""
    try:
        evidence = attach_evidence(
            user=request.user,
            workshop_id=pk,
            title=request.POST.get("title"),
            base_url=_base_url(request),
        )
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, exc.message)
        workshop = get_object_or_404(Workshop, pk=pk)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("challenge_evidence", kwargs={"pk": workshop.challenge_id})
        return redirect(back)
    messages.success(request, _("Les résultats de l'atelier sont joints au dossier."))
    return redirect("evidence_detail", pk=evidence.pk)


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _viewable_evidence(request, pk)
    facts = exports.evidence_facts(evidence)
    files = [
        (
            kind,
            label,
            reverse(f"evidence_{kind}", kwargs={"pk": evidence.pk}),
            digest,
            size,
        )
        for kind, label, digest, size in (
            ("pdf", _("PDF pour le jury"), evidence.pdf_digest, len(evidence.pdf)),
            ("csv", _("Tableau CSV"), evidence.csv_digest, len(evidence.csv)),
            ("json", _("Document JSON (fait foi)"), evidence.digest, len(evidence.document)),
        )
    ]
    return render(
        request,
        "ateliers/evidence_detail.html",
        {
            **facts,
            "challenge": evidence.challenge,
            "workshop": evidence.workshop,
            "files": files,
            "stem": exports.file_stem(evidence),
            "verify_url": reverse("evidence_verify") + f"?empreinte={evidence.digest}",
            "later": evidence.challenge.evidence.filter(
                workshop=evidence.workshop, attached_at__gt=evidence.attached_at
            ).exists(),
        },
    )


def _download(request: HttpRequest, pk: int, kind: FileKind) -> HttpResponse:
    evidence = _viewable_evidence(request, pk)
    content = {
        "json": lambda: evidence.document.encode("utf-8"),
        "csv": lambda: bytes(evidence.csv),
        "pdf": lambda: bytes(evidence.pdf),
    }[kind]()
    return _file(content, CONTENT_TYPES[kind], f"{exports.file_stem(evidence)}.{kind}")


@login_required
def evidence_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "json")


@login_required
def evidence_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "csv")


@login_required
def evidence_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@login_required
def challenge_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A challenge's evidence, and for its leads the workshops whose results they can
    attach (closed ones) or not yet."""
    challenge = _viewable_challenge(request, pk)
    evidence = [
        exports.evidence_facts(item)
        for item in challenge.evidence.select_related("workshop")
        .defer("csv", "pdf")
        .order_by("-attached_at", "-pk")
    ]
    workshops = list(challenge.workshops.order_by("-starts_at", "-created_at"))
    return render(
        request,
        "ateliers/evidence_list.html",
        {
            "challenge": challenge,
            "evidence_list": evidence,
            "workshops": workshops,
            "closed": WorkshopState.CLOSED,
            "can_attach": can_manage_challenge(request.user, challenge),
        },
    )


@login_required
def challenge_dossier_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _viewable_challenge(request, pk)
    content = exports.dossier_pdf(challenge, base_url=_base_url(request))
    day = timezone.localdate().isoformat()
    return _file(content, CONTENT_TYPES["pdf"], f"{exports.dossier_name(challenge)}-{day}.pdf")


@login_required
def challenge_pack(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _viewable_challenge(request, pk)
    content = exports.evidence_pack(challenge, base_url=_base_url(request))
    day = timezone.localdate().isoformat()
    return _file(content, "application/zip", f"{exports.pack_name(challenge)}-{day}.zip")


def _uploaded_digest(request: HttpRequest) -> tuple[str | None, str | None]:
    """(digest, error) of the uploaded file, read in chunks."""
    upload = request.FILES.get("fichier")
    if upload is None:
        return None, None
    if upload.size > VERIFY_MAX_BYTES:
        return None, _("Ce fichier est trop volumineux pour être une preuve (20 Mo au plus).")
    hasher = hashlib.sha256()
    for chunk in upload.chunks():
        hasher.update(chunk)
    return hasher.hexdigest(), None


@require_http_methods(["GET", "POST"])
def evidence_verify(request: HttpRequest) -> HttpResponse:
    """Public: does this file (or digest) match an attached evidence? Says only what the
    PDF itself prints: the challenge, the workshop and the date it was attached."""
    context: dict[str, object] = {"max_mb": VERIFY_MAX_BYTES // (1024 * 1024)}
    digest: str | None = None
    error: str | None = None
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > VERIFY_MAX_BYTES + 64 * 1024:
            error = _("Ce fichier est trop volumineux pour être une preuve (20 Mo au plus).")
        else:
            digest, error = _uploaded_digest(request)
            if digest is None and error is None:
                digest = request.POST.get("empreinte", "").strip() or None
                if digest is None:
                    error = _("Choisissez un fichier ou collez une empreinte SHA-256.")
            context["uploaded"] = "fichier" in request.FILES
    elif "empreinte" in request.GET:
        digest = request.GET["empreinte"].strip()
    if digest is not None:
        context["digest"] = digest
        normalised = digest.lower()
        if len(normalised) != 64 or any(c not in "0123456789abcdef" for c in normalised):
            error = _("Une empreinte SHA-256 s'écrit avec 64 caractères de 0 à 9 et de a à f.")
        else:
            found = find_by_digest(normalised)
            context["checked"] = True
            if found is not None:
                evidence, kind = found
                context["match"] = {
                    "kind": kind.upper(),
                    "challenge": evidence.challenge.title,
                    "workshop": evidence.workshop.title,
                    "attached_at": evidence.attached_at,
                }
    context["error"] = error
    status = 400 if error else 200
    return render(request, "ateliers/evidence_verify.html", context, status=status)
