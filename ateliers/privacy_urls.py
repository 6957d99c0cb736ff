"""URL map of the project lead's personal-data pages (included by config/urls.py)."""

from django.urls import URLPattern, path

from ateliers import privacy_views

urlpatterns: list[URLPattern] = [
    path(
        "defis/<int:pk>/donnees-personnelles/",
        privacy_views.challenge_people,
        name="challenge_people",
    ),
    path(
        "defis/<int:pk>/donnees-personnelles/<int:participant_id>/export.json",
        privacy_views.person_export,
        name="person_export",
    ),
    path(
        "defis/<int:pk>/donnees-personnelles/<int:participant_id>/effacer/",
        privacy_views.person_erase,
        name="person_erase",
    ),
    path(
        "ateliers/<int:pk>/donnees-personnelles/",
        privacy_views.workshop_retention,
        name="workshop_retention",
    ),
]
