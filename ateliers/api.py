"""REST API (Django REST framework), under /api/v1/ (ateliers.api_urls; docs/api.md).

Same permissions as the pages (ateliers.permissions): the leads of a challenge and the
facilitators of one of its workshops read its dossier, workshops, results and evidence;
only its leads change it. Anyone else gets 404, whether or not the object exists, so
ids reveal nothing. Views are thin: writes go through domain functions, and the shapes
are the serializers the exports use (ateliers.serializers).

The snapshot a screen starts from is the one `GET /api/v1/ateliers/<id>/` returns (same
shape as the WebSocket's).
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from ateliers import attach, dossier, evidence
from ateliers.errors import DomainError, Forbidden, NotFound
from ateliers.evidence_serializers import ChallengeEvidenceSerializer, WorkshopResultsSerializer
from ateliers.models import Challenge, Evidence, Workshop
from ateliers.permissions import can_facilitate, can_manage_challenge, viewable_challenges
from ateliers.selectors import workshop_snapshot
from ateliers.serializers import (
    AttachEvidenceSerializer,
    ChallengeSerializer,
    EvidenceDetailSerializer,
    EvidenceDocumentSerializer,
    EvidenceSerializer,
    WorkshopSerializer,
)
from realtime.failures import classify


def domain_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become 4xx with the same `code` the WebSocket sends."""
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "message": exc.message}, status=exc.status)
    # The database restarting, read-only or full: 503, the WebSocket's code, try again.
    failure = classify(exc)
    if failure is not None:
        return Response(
            {"code": failure.code, "message": failure.message},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return exception_handler(exc, context)


ERROR = inline_serializer(
    "Error", {"code": serializers.CharField(), "message": serializers.CharField()}
)
NOT_FOUND = OpenApiResponse(ERROR, description="Absent, ou invisible pour cet utilisateur.")
FORBIDDEN = OpenApiResponse(ERROR, description="Lecture seule : réservé aux porteurs du défi.")
INVALID = OpenApiResponse(
    description="Données refusées : `{champ: [messages]}` (forme), ou `{code, message}` "
    "(règle du domaine, ex. `invalid_input`, `workshop_not_closed` en 409)."
)


class CoconAPIView(APIView):
    """Token first, so a request without credentials gets 401 with
    `WWW-Authenticate: Token` (an integration knows what to send); pages' sessions work
    too (with their CSRF check on writes)."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


def challenge_for_reading(request: Request, pk: int) -> Challenge:
    """A challenge the user may read, or 404 as if it did not exist."""
    return dossier.challenge_for_reading(request.user, pk)


def challenge_for_managing(request: Request, pk: int) -> Challenge:
    """A challenge the user leads: 404 if they cannot see it, 403 if they only read it."""
    challenge = challenge_for_reading(request, pk)
    if not can_manage_challenge(request.user, challenge):
        raise Forbidden(_("Seuls les porteurs du défi peuvent le modifier."))
    return challenge


def challenges_with_dossier(request: Request) -> "QuerySet[Challenge]":
    return viewable_challenges(request.user).prefetch_related("budget_lines", "leads")


def workshops_for_reading(request: Request) -> "QuerySet[Workshop]":
    """Workshops of every challenge the user may read (their own ones included)."""
    return Workshop.objects.filter(challenge__in=viewable_challenges(request.user))


# The stored files (a PDF can weigh megabytes), loaded only by the view that sends them.
STORED = ("document", "csv", "pdf")


def evidence_for_reading(request: Request, pk: int, loading: str = "document") -> Evidence:
    """Evidence of a challenge the user may read, with the stored file `loading` (the
    others deferred), or 404."""
    found = (
        Evidence.objects.select_related("workshop", "attached_by")
        .defer(*(name for name in STORED if name != loading))
        .filter(pk=pk, challenge__in=viewable_challenges(request.user))
        .first()
    )
    if found is None:
        raise NotFound(_("Cette preuve n'existe pas."))
    return found


def workshops_out(workshops: "QuerySet[Workshop]") -> list[dict[str, Any]]:
    rows = list(workshops)
    used = evidence.used_kinds([w.pk for w in rows])
    return WorkshopSerializer(rows, many=True, context={"used_kinds": used}).data


class ChallengeListView(CoconAPIView):
    @extend_schema(summary="Défis visibles", responses=ChallengeSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The challenges the user leads, or facilitates a workshop of."""
        challenges = challenges_with_dossier(request)
        return Response(ChallengeSerializer(challenges, many=True).data)


class ChallengeDetailView(CoconAPIView):
    @extend_schema(
        summary="Dossier d'un défi", responses={200: ChallengeSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, pk: int) -> Response:
        challenge = challenge_for_reading(request, pk)
        return Response(ChallengeSerializer(challenge).data)

    @extend_schema(
        summary="Modifier le dossier (porteurs)",
        description=(
            "Champs absents : inchangés. `budget_lines`, s'il est donné, remplace toutes les "
            "lignes du budget (dans cet ordre)."
        ),
        request=ChallengeSerializer,
        responses={200: ChallengeSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        challenge = challenge_for_managing(request, pk)
        serializer = ChallengeSerializer(challenge, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        lines = fields.pop("budget_lines", None)
        # Both parts or neither: a budget refused leaves the texts sent with it unsaved.
        with transaction.atomic():
            if fields:
                dossier.challenge_update(user=request.user, challenge_id=pk, **fields)
            if lines is not None:
                dossier.budget_save(
                    user=request.user,
                    challenge_id=pk,
                    lines=[
                        dossier.BudgetLineInput(
                            id=line.get("id"),
                            label=line["label"],
                            amount=line["amount"],
                            self_financed=line.get("self_financed", 0),
                        )
                        for line in lines
                    ],
                )
        return Response(ChallengeSerializer(challenges_with_dossier(request).get(pk=pk)).data)


class ChallengeWorkshopsView(CoconAPIView):
    @extend_schema(
        summary="Ateliers d'un défi",
        responses={200: WorkshopSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        challenge = challenge_for_reading(request, pk)
        return Response(workshops_out(challenge.workshops.all()))


class WorkshopListView(CoconAPIView):
    @extend_schema(summary="Ateliers visibles", responses=WorkshopSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Workshops the user runs, and those of the challenges they may read."""
        return Response(workshops_out(workshops_for_reading(request)))


class WorkshopSnapshotView(CoconAPIView):
    """The whole visible state of a workshop, for its facilitators. Others get 404 whether
    or not the workshop exists, so ids reveal nothing."""

    @extend_schema(
        summary="État en direct d'un atelier (animation)",
        description="Le même instantané que celui envoyé par le WebSocket (docs/protocol.md).",
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop = Workshop.objects.select_related("challenge").filter(pk=pk).first()
        if workshop is None or not can_facilitate(request.user, workshop):
            raise NotFound()
        return Response(workshop_snapshot(workshop.pk).model_dump(mode="json"))


class WorkshopResultsView(CoconAPIView):
    @extend_schema(
        summary="Résultats d'un atelier",
        description=(
            "Participation (effectifs protégés : « <5 »), méthodes, productions et décisions : "
            "le document qu'une preuve fige."
        ),
        responses={200: WorkshopResultsSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        workshop = workshops_for_reading(request).filter(pk=pk).first()
        if workshop is None:
            raise NotFound()
        return Response(evidence.results_document(workshop))


class ChallengeEvidenceView(CoconAPIView):
    @extend_schema(
        summary="Preuves attachées à un défi",
        responses={200: EvidenceSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        challenge = challenge_for_reading(request, pk)
        found = challenge.evidence.select_related("workshop", "attached_by").defer(*STORED)
        context = {"request": request}
        return Response(EvidenceSerializer(found, many=True, context=context).data)

    @extend_schema(
        summary="Attacher les résultats d'un atelier comme preuve (porteurs)",
        request=AttachEvidenceSerializer,
        responses={
            201: EvidenceDetailSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(ERROR, description="L'atelier n'est pas clôturé."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        challenge = challenge_for_managing(request, pk)
        payload = AttachEvidenceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        workshop_id = payload.validated_data["workshop"]
        if not challenge.workshops.filter(pk=workshop_id).exists():
            raise serializers.ValidationError(
                {"workshop": [_("Ce défi n'a pas d'atelier avec cet identifiant.")]}
            )
        attached = attach.attach_evidence(
            user=request.user,
            workshop_id=workshop_id,
            title=payload.validated_data.get("title"),
            base_url=f"{request.scheme}://{request.get_host()}",
        )
        data = EvidenceDetailSerializer(attached, context={"request": request}).data
        location = request.build_absolute_uri(reverse("api_evidence", kwargs={"pk": attached.pk}))
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


class ChallengeEvidenceSummaryView(CoconAPIView):
    @extend_schema(
        summary="Synthèse des preuves d'un défi",
        description="Participation, méthodes et productions de tous ses ateliers, et le total.",
        responses={200: ChallengeEvidenceSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(evidence.challenge_evidence(challenge_for_reading(request, pk)))


class EvidenceDetailView(CoconAPIView):
    @extend_schema(
        summary="Une preuve et son document",
        responses={200: EvidenceDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        found = evidence_for_reading(request, pk)
        return Response(EvidenceDetailSerializer(found, context={"request": request}).data)


class StoredFileNegotiation(DefaultContentNegotiation):
    """A stored file is sent as it is whatever the client accepts (`Accept: text/csv`
    must not get 406); errors are JSON."""

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class EvidenceFileView(CoconAPIView):
    """The exact bytes stored when the evidence was attached: their SHA-256 is the digest
    shown on the evidence (`sha256sum` checks it)."""

    content_negotiation_class = StoredFileNegotiation

    def stored_file(
        self, request: Request, pk: int, field: str, content_type: str, extension: str
    ) -> HttpResponse:
        found = evidence_for_reading(request, pk, loading=field)
        stored = getattr(found, field)
        body = stored.encode("utf-8") if isinstance(stored, str) else bytes(stored)
        response = HttpResponse(body, content_type=content_type)
        name = f"preuve-{found.pk}-{found.digest[:12]}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class EvidenceDocumentView(EvidenceFileView):
    @extend_schema(
        summary="Document JSON de la preuve, octet pour octet (SHA-256 = digest)",
        responses={(200, "application/json"): EvidenceDocumentSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return self.stored_file(request, pk, "document", "application/json", "json")


class EvidenceCsvView(EvidenceFileView):
    @extend_schema(
        summary="Fichier CSV de la preuve, octet pour octet (SHA-256 = csv_digest)",
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return self.stored_file(request, pk, "csv", "text/csv; charset=utf-8", "csv")


class EvidencePdfView(EvidenceFileView):
    @extend_schema(
        summary="Fichier PDF de la preuve, octet pour octet (SHA-256 = pdf_digest)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return self.stored_file(request, pk, "pdf", "application/pdf", "pdf")
