"""A journey map's own exports: PDF, CSV, JSON and an SVG image of the map and its
emotion curve (e.g. for slides), for the leads and facilitators of its challenge, as the
results page is; anyone else gets 404, as if nothing existed.

The JSON is the map's entry of the results document (ateliers.evidence.journey_document);
the other files are drawn from it (ateliers.journey_exports). They are made on request
from the rows as they are now: unlike an attached evidence, they are not a snapshot.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from ateliers import journey_exports
from ateliers.evidence import journey_document
from ateliers.models import Activity, ActivityKind
from ateliers.permissions import can_view_challenge

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "svg": "image/svg+xml; charset=utf-8",
}


def _journey(request: HttpRequest, pk: int, activity_id: int) -> Activity:
    journey = get_object_or_404(
        Activity.objects.select_related("workshop__challenge"),
        pk=activity_id,
        workshop_id=pk,
        kind=ActivityKind.JOURNEY,
    )
    if not can_view_challenge(request.user, journey.workshop.challenge):
        raise Http404
    return journey


def file_name(journey: Activity, extension: str) -> str:
    """parcours-12-parcours-usager.pdf"""
    slug = slugify(journey.title)[:50].strip("-") or "parcours"
    return f"parcours-{journey.pk}-{slug}.{extension}"


@login_required
def journey_export(request: HttpRequest, pk: int, activity_id: int, kind: str) -> HttpResponse:
    """One file of the map `activity_id` of workshop `pk`."""
    journey = _journey(request, pk, activity_id)
    entry = journey_document(journey)
    workshop = journey.workshop
    if kind == "pdf":
        content = journey_exports.journey_pdf(entry, workshop=workshop)
    elif kind == "csv":
        content = journey_exports.journey_csv(entry, workshop_title=workshop.title)
    elif kind == "svg":
        content = journey_exports.map_svg(entry, workshop_title=workshop.title).encode("utf-8")
    else:
        content = journey_exports.journey_json(entry)
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(True, file_name(journey, kind))
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    if kind == "svg":
        # Opened in a tab, an image of ours still runs nothing and loads nothing.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
