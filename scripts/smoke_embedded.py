"""Smoke test of `make run`'s embedded shape (SQLite, in-process channel layer), which the
PostgreSQL test suite cannot see: migrate a fresh SQLite database, seed the demo, then
every page and API read a facilitator opens must answer 200, and attaching evidence to
the closed demo workshop must work; on the demo journey map, a card and stage ratings
go through and the map's exports answer. Run by `make test` (test-suite)."""

import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = [
    "/tableau-de-bord/",
    "/defis/{c}/",
    "/defis/{c}/dossier/",
    "/defis/{c}/preuves/",
    "/defis/{c}/dossier.pdf",
    "/defis/{c}/pack.zip",
    "/ateliers/{w}/",
    "/ateliers/{w}/ecran/",
    "/ateliers/{w}/animer/",
    "/ateliers/{w}/resultats/",
    "/verifier/",
    "/rejoindre/",
    "/api/v1/defis/",
    "/api/v1/ateliers/{w}/resultats/",
    "/api/v1/defis/{c}/preuves-synthese/",
    "/api/v1/schema/",
]


def main() -> int:
    directory = tempfile.mkdtemp(prefix="cocon-smoke-")
    os.environ.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{Path(directory) / 'db.sqlite3'}",
        REDIS_URL="",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from ateliers import actions
    from ateliers.attach import attach_evidence
    from ateliers.models import Workshop

    call_command("migrate", verbosity=0)
    call_command("seed_demo", base_url="http://127.0.0.1:8000", stdout=io.StringIO())
    workshop = Workshop.objects.select_related("challenge").order_by("pk").first()
    assert workshop is not None, "seed_demo made no workshop"
    user = get_user_model().objects.get(username="animation")
    client = Client(raise_request_exception=False)
    client.force_login(user)

    failures = []

    def check_pages() -> None:
        for page in PAGES:
            url = page.format(c=workshop.challenge_id, w=workshop.pk)
            status = client.get(url, HTTP_HOST="127.0.0.1").status_code
            if status != 200:
                failures.append(f"{url}: {status}")

    check_pages()
    if workshop.state == "draft":
        actions.workshop_start(user=user, workshop_id=workshop.pk)
    actions.workshop_close(user=user, workshop_id=workshop.pk)
    evidence = attach_evidence(user=user, workshop_id=workshop.pk)
    check_pages()
    for suffix in ("json", "csv", "pdf"):
        url = f"/preuves/{evidence.pk}/preuve.{suffix}"
        status = client.get(url, HTTP_HOST="127.0.0.1").status_code
        if status != 200:
            failures.append(f"{url}: {status}")
    checked = 2 * len(PAGES) + 3 + journey_checks(user, client, failures)
    for failure in failures:
        print(f"smoke (SQLite): {failure}", file=sys.stderr)
    print(f"smoke (SQLite): {checked - len(failures)} of {checked} pages answered 200")
    return 1 if failures else 0


def journey_checks(user, client, failures: list[str]) -> int:
    """The demo journey map, live: a phone's card and ratings (SQLite takes no row
    locks: journeys must not ask for them), then its pages and exports."""
    from ateliers import actions
    from ateliers.models import ActivityKind, Workshop
    from participation import actions as participation_actions
    from participation import journeys

    workshop = Workshop.objects.get(activities__kind=ActivityKind.JOURNEY)
    actions.workshop_start(user=user, workshop_id=workshop.pk)
    journey = workshop.activities.get(kind=ActivityKind.JOURNEY)
    person = participation_actions.participant_join(
        workshop=workshop,
        device_token="smoke",  # noqa: S106 — a test device, not a secret
        profile="usager",
    )
    participation_actions.contribution_create(
        participant=person, activity_id=journey.pk, body="Smoke", column="c2", lane="l4"
    )
    for stage, value in (("c1", 1), ("c2", -2), ("c1", 0)):
        journeys.feeling_set(participant=person, activity_id=journey.pk, stage=stage, value=value)
    pages = [
        f"/ateliers/{workshop.pk}/",
        f"/ateliers/{workshop.pk}/ecran/",
        f"/ateliers/{workshop.pk}/resultats/",
        *(
            f"/ateliers/{workshop.pk}/parcours/{journey.pk}/parcours.{k}"
            for k in ("pdf", "csv", "json", "svg")
        ),
    ]
    for url in pages:
        status = client.get(url, HTTP_HOST="127.0.0.1").status_code
        if status != 200:
            failures.append(f"{url}: {status}")
    return len(pages)


if __name__ == "__main__":
    sys.exit(main())
