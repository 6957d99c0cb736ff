"""DRF serializers for challenges (the dossier), workshops and evidence.

They are plain shapes over the models, used by the REST API (ateliers.api) and by the
exports (dossier PDF, JSON), so the API and the files a jury reads say the same thing.
Nothing here writes: the API validates input with them and hands the data to a domain
function.
"""

import json
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ateliers import evidence
from ateliers.dossier import CENT, SECTIONS, BudgetSummary, summarise_lines
from ateliers.evidence_serializers import (
    ChallengeRefSerializer,
    MethodSerializer,
    WorkshopResultsSerializer,
)
from ateliers.models import BudgetLine, Challenge, Evidence, Workshop


class BudgetLineSerializer(serializers.ModelSerializer):
    """One line of the provisional budget. A line may not self-finance more than it costs
    (the database refuses it too)."""

    # Writable so that a budget sent back keeps its lines (ateliers.dossier.budget_save).
    id = serializers.IntegerField(required=False, help_text=_("Absent pour une nouvelle ligne."))

    class Meta:
        model = BudgetLine
        fields = ["id", "label", "amount", "self_financed", "position"]
        read_only_fields = ["position"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        amount = attrs.get("amount", getattr(self.instance, "amount", None))
        own = attrs.get("self_financed", getattr(self.instance, "self_financed", Decimal(0)))
        if amount is not None and own is not None and own > amount:
            raise serializers.ValidationError(
                {"self_financed": _("L'autofinancement dépasse le montant de cette ligne.")}
            )
        return attrs


# The dossier's fields in the order of its sections (title and maturity first).
DOSSIER_FIELDS = [field for section in SECTIONS for field in section.fields]


def _euros(amount: Decimal) -> str:
    """An amount as the API writes every amount: a string with two decimals."""
    return str(amount.quantize(CENT))


class ChallengeSerializer(serializers.ModelSerializer):
    """The whole dossier of a challenge: section 7 of the call, its budget lines with the
    totals a jury checks, and its project leads (usernames, read only)."""

    leads = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")
    budget_lines = BudgetLineSerializer(many=True, required=False)
    total = serializers.SerializerMethodField()
    self_financing = serializers.SerializerMethodField()
    requested = serializers.SerializerMethodField()
    self_financing_share = serializers.SerializerMethodField(
        help_text=_("Autofinancement en pourcentage du total, au dixième (null sans budget).")
    )

    class Meta:
        model = Challenge
        fields = [
            "id",
            *DOSSIER_FIELDS,
            "budget_lines",
            "total",
            "self_financing",
            "requested",
            "self_financing_share",
            "leads",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Refuse names the dossier does not have: a typo must not be ignored silently."""
        unknown = set(getattr(self, "initial_data", {})) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Ce champ n'existe pas dans le dossier.")] for name in sorted(unknown)}
            )
        return attrs

    def _budget(self, challenge: Challenge) -> BudgetSummary:
        # The same sums as the dossier pages, once per challenge (lines are prefetched
        # in lists, so this makes no query there).
        budgets: dict[int, BudgetSummary] = self.__dict__.setdefault("_budgets", {})
        if challenge.pk not in budgets:
            budgets[challenge.pk] = summarise_lines(challenge.budget_lines.all())
        return budgets[challenge.pk]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_total(self, challenge: Challenge) -> str:
        return _euros(self._budget(challenge).total)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_self_financing(self, challenge: Challenge) -> str:
        return _euros(self._budget(challenge).self_financing)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_requested(self, challenge: Challenge) -> str:
        return _euros(self._budget(challenge).requested)

    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
    def get_self_financing_share(self, challenge: Challenge) -> str | None:
        share = self._budget(challenge).self_financing_share
        return None if share is None else str(share)


class WorkshopSerializer(serializers.ModelSerializer):
    """The facts of a workshop a dossier cites: what, where, when, how. The join code is
    not here: facilitators get it in the live snapshot (`GET /api/v1/ateliers/<id>/`)."""

    challenge = serializers.PrimaryKeyRelatedField(read_only=True)
    methods = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = [
            "id",
            "challenge",
            "title",
            "place",
            "starts_at",
            "mode",
            "methods",
            "state",
            "opened_at",
            "closed_at",
            "public_results",
        ]
        read_only_fields = fields

    @extend_schema_field(MethodSerializer(many=True))
    def get_methods(self, workshop: Workshop) -> list[dict[str, str]]:
        """The methods it used (ateliers.evidence: those of the activities that produced
        something, and those tagged by hand). A list view passes `used_kinds` for all its
        workshops in the context (one query instead of one per workshop)."""
        kinds = self.context.get("used_kinds")
        if kinds is None:
            kinds = evidence.used_kinds([workshop.pk])
        return evidence.methods_out(
            evidence.workshop_methods(workshop, kinds.get(workshop.pk, set()))
        )


def _url(serializer: serializers.Serializer, name: str, pk: int) -> str:
    """An absolute URL when serving a request, a path otherwise (exports)."""
    path = reverse(name, kwargs={"pk": pk})
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class EvidenceSerializer(serializers.ModelSerializer):
    """What identifies an attached snapshot: when, by whom, from which workshop, the
    SHA-256 digests of its three files and where to download them byte for byte."""

    attached_by = serializers.SlugRelatedField(read_only=True, slug_field="username")
    workshop_title = serializers.CharField(source="workshop.title", read_only=True)
    document_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "challenge",
            "workshop",
            "workshop_title",
            "title",
            "attached_at",
            "attached_by",
            "digest",
            "csv_digest",
            "pdf_digest",
            "document_url",
            "csv_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_document_url(self, evidence: Evidence) -> str:
        return _url(self, "api_evidence_document", evidence.pk)

    def get_csv_url(self, evidence: Evidence) -> str:
        return _url(self, "api_evidence_csv", evidence.pk)

    def get_pdf_url(self, evidence: Evidence) -> str:
        return _url(self, "api_evidence_pdf", evidence.pk)


class EvidenceDocumentSerializer(serializers.Serializer):
    """The shape of a stored evidence document (ateliers.attach, schema cocon.evidence/1),
    for the OpenAPI schema: the document itself is served as it was stored."""

    schema = serializers.CharField(help_text="cocon.evidence/1")
    title = serializers.CharField()
    attached_at = serializers.CharField(help_text="ISO 8601")
    attached_by = serializers.CharField()
    challenge = ChallengeRefSerializer()
    results = WorkshopResultsSerializer()


class EvidenceDetailSerializer(EvidenceSerializer):
    """An attached snapshot with its document (the stored canonical JSON, parsed)."""

    document = serializers.SerializerMethodField()

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "document"]
        read_only_fields = fields

    @extend_schema_field(EvidenceDocumentSerializer)
    def get_document(self, evidence: Evidence) -> dict[str, Any]:
        return json.loads(evidence.document)


class AttachEvidenceSerializer(serializers.Serializer):
    """Input of `POST /api/v1/defis/<id>/preuves/`: the workshop whose results to attach."""

    workshop = serializers.IntegerField(min_value=1)
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Par défaut : « Résultats de l'atelier « … » »."),
    )
