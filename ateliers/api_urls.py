"""URL map of the REST API, included at /api/v1/ by config/urls.py (docs/api.md)."""

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ateliers import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("defis/", api.ChallengeListView.as_view(), name="api_challenges"),
    path("defis/<int:pk>/", api.ChallengeDetailView.as_view(), name="api_challenge"),
    path(
        "defis/<int:pk>/ateliers/",
        api.ChallengeWorkshopsView.as_view(),
        name="api_challenge_workshops",
    ),
    path(
        "defis/<int:pk>/preuves/",
        api.ChallengeEvidenceView.as_view(),
        name="api_challenge_evidence",
    ),
    path(
        "defis/<int:pk>/preuves-synthese/",
        api.ChallengeEvidenceSummaryView.as_view(),
        name="api_challenge_evidence_summary",
    ),
    path("ateliers/", api.WorkshopListView.as_view(), name="api_workshops"),
    path("ateliers/<int:pk>/", api.WorkshopSnapshotView.as_view(), name="api_workshop"),
    path(
        "ateliers/<int:pk>/resultats/",
        api.WorkshopResultsView.as_view(),
        name="api_workshop_results",
    ),
    path("preuves/<int:pk>/", api.EvidenceDetailView.as_view(), name="api_evidence"),
    path(
        "preuves/<int:pk>/document/",
        api.EvidenceDocumentView.as_view(),
        name="api_evidence_document",
    ),
    path("preuves/<int:pk>/csv/", api.EvidenceCsvView.as_view(), name="api_evidence_csv"),
    path("preuves/<int:pk>/pdf/", api.EvidencePdfView.as_view(), name="api_evidence_pdf"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), which the
    # Content-Security-Policy allows; the plain view inlines it.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="ateliers/api_docs.html"
        ),
        name="api_docs",
    ),
]
