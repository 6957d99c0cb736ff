"""URL map of the results pages (included by config/urls.py): a workshop's results and
decisions for its team, and the public page "what became of your contributions"."""

from django.urls import URLPattern, URLResolver, path

from ateliers import results_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ateliers/<int:pk>/resultats/", views.workshop_results, name="workshop_results"),
    path("ateliers/<int:pk>/resultats/decision/", views.decision_save, name="decision_save"),
    path(
        "ateliers/<int:pk>/resultats/page-publique/",
        views.public_results_switch,
        name="public_results_switch",
    ),
    path("resultats/<str:token>/", views.public_results, name="public_results"),
]
