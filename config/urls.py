"""URL map: French paths for people, /ws/ for sockets (realtime.routing), /admin/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ateliers import views as ateliers_views
from config.health import health
from participation import views as participation_views

urlpatterns = [
    path("", ateliers_views.home, name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("tableau-de-bord/", ateliers_views.dashboard, name="dashboard"),
    path("defis/nouveau/", ateliers_views.challenge_create, name="challenge_create"),
    path("defis/<int:pk>/", ateliers_views.challenge_detail, name="challenge_detail"),
    path(
        "defis/<int:pk>/ateliers/nouveau/", ateliers_views.workshop_create, name="workshop_create"
    ),
    path("ateliers/<int:pk>/", ateliers_views.workshop_detail, name="workshop_detail"),
    path(
        "ateliers/<int:pk>/demarrer/",
        ateliers_views.workshop_transition,
        {"transition": "start"},
        name="workshop_start",
    ),
    path(
        "ateliers/<int:pk>/cloturer/",
        ateliers_views.workshop_transition,
        {"transition": "close"},
        name="workshop_close",
    ),
    path("ateliers/<int:pk>/ecran/", ateliers_views.workshop_screen, name="workshop_screen"),
    path("ateliers/<int:pk>/animer/", ateliers_views.workshop_moderate, name="workshop_moderate"),
    path("ateliers/<int:pk>/activites/nouvelle/", ateliers_views.activity_add, name="activity_add"),
    path(
        "ateliers/<int:pk>/activites/nouveau-vote/",
        ateliers_views.activity_add,
        {"kind": "vote"},
        name="vote_add",
    ),
    path(
        "ateliers/<int:pk>/activites/nouvelle-notation/",
        ateliers_views.activity_add,
        {"kind": "rating"},
        name="rating_add",
    ),
    path(
        "ateliers/<int:pk>/activites/nouveau-parcours/",
        ateliers_views.activity_add,
        {"kind": "journey"},
        name="journey_add",
    ),
    path(
        "ateliers/<int:pk>/activites/<int:activity_id>/",
        ateliers_views.activity_edit,
        name="activity_edit",
    ),
    path(
        "ateliers/<int:pk>/activites/<int:activity_id>/voter-irritants/",
        ateliers_views.journey_vote,
        name="journey_vote",
    ),
    *[
        path(
            f"ateliers/<int:pk>/activites/<int:activity_id>/{slug}/",
            ateliers_views.activity_change,
            {"change": change},
            name=f"activity_{change}",
        )
        for slug, change in (("monter", "up"), ("descendre", "down"), ("supprimer", "delete"))
    ],
    path("rejoindre/", participation_views.join, name="join"),
    path("rejoindre/<str:code>/", participation_views.join_workshop, name="join_workshop"),
    path("participer/<int:workshop_id>/", participation_views.participate, name="participate"),
    path("", include("participation.urls")),  # "Mes données" (docs/privacy.md)
    path("", include("ateliers.privacy_urls")),  # personal data, for project leads
    path("", include("ateliers.dossier_urls")),
    path("", include("ateliers.results_urls")),
    path("", include("ateliers.evidence_urls")),
    path("", include("ateliers.journey_urls")),
    path("api/v1/", include("ateliers.api_urls")),
    path("sante/", health, name="health"),
    path("admin/", admin.site.urls),
]
