"""URL map of the phone's "Mes données" pages (included by config/urls.py)."""

from django.urls import URLPattern, path

from participation import views

urlpatterns: list[URLPattern] = [
    path("participer/<int:workshop_id>/mes-donnees/", views.my_data, name="my_data"),
    path(
        "participer/<int:workshop_id>/mes-donnees/export.json",
        views.my_data_export,
        name="my_data_export",
    ),
    path(
        "participer/<int:workshop_id>/mes-donnees/effacer/",
        views.my_data_erase,
        name="my_data_erase",
    ),
]
