"""URL map of the dossier pages (included by config/urls.py), and the workshop's facts
page, which belongs with them (the facts the dossier's evidence quotes)."""

from django.urls import URLPattern, URLResolver, path

from ateliers import dossier_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("defis/<int:pk>/dossier/", dossier_views.dossier_overview, name="dossier"),
    path(
        "defis/<int:pk>/dossier/<slug:section>/",
        dossier_views.dossier_section_edit,
        name="dossier_section",
    ),
    path("ateliers/<int:pk>/modifier/", views.workshop_edit, name="workshop_edit"),
]
