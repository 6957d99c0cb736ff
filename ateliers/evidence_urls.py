"""URL map of evidence pages (included by config/urls.py): attaching a workshop's
results, an evidence and its files, a challenge's evidence, dossier PDF and pack, and
the public verification page."""

from django.urls import URLPattern, URLResolver, path

from ateliers import evidence_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ateliers/<int:pk>/preuve/", views.evidence_attach, name="evidence_attach"),
    path("preuves/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("preuves/<int:pk>/preuve.json", views.evidence_json, name="evidence_json"),
    path("preuves/<int:pk>/preuve.csv", views.evidence_csv, name="evidence_csv"),
    path("preuves/<int:pk>/preuve.pdf", views.evidence_pdf, name="evidence_pdf"),
    path("defis/<int:pk>/preuves/", views.challenge_evidence, name="challenge_evidence"),
    path("defis/<int:pk>/dossier.pdf", views.challenge_dossier_pdf, name="challenge_dossier_pdf"),
    path("defis/<int:pk>/pack.zip", views.challenge_pack, name="challenge_evidence_pack"),
    path("verifier/", views.evidence_verify, name="evidence_verify"),
]
