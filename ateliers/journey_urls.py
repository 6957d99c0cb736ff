"""URL map of a journey map's own exports (included by config/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from ateliers import journey_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        f"ateliers/<int:pk>/parcours/<int:activity_id>/parcours.{kind}",
        views.journey_export,
        {"kind": kind},
        name=f"journey_export_{kind}",
    )
    for kind in ("pdf", "csv", "json", "svg")
]
