"""Seed a demo challenge, workshop and facilitator account, and print the URLs to open.

Idempotent: run it again and it reuses what it made, so `make run` can call it every time.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ateliers import actions
from ateliers.join_codes import display_join_code
from ateliers.models import Challenge, Workshop, WorkshopState

DEMO_USERNAME = "animation"
DEMO_PASSWORD = "cocon-demo"  # noqa: S105 — a local demo account, printed on purpose
DEMO_CHALLENGE = "Simplifier la demande d'aide au logement"


class Command(BaseCommand):
    help = "Create the demo challenge, workshop and facilitator; print the URLs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"first_name": "Animation", "is_staff": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        challenge = Challenge.objects.filter(title=DEMO_CHALLENGE, leads=user).first()
        if challenge is None:
            challenge = actions.challenge_create(
                user=user,
                title=DEMO_CHALLENGE,
                problem="Les usagers abandonnent la demande en ligne à l'étape des justificatifs.",
                carrying_structure="Préfecture de démonstration",
                maturity="cadrage",
            )
        workshop = challenge.workshops.exclude(state=WorkshopState.CLOSED).first()
        if workshop is None:
            workshop = actions.workshop_create(
                user=user,
                challenge=challenge,
                title="Atelier usagers et agents — démonstration",
                place="Salle du conseil",
                template="ideation_vote",
                prompt="Qu'est-ce qui vous complique la demande aujourd'hui ?",
            )
        self.print_urls(base_url.rstrip("/"), workshop)

    def print_urls(self, base: str, workshop: Workshop) -> None:
        code = display_join_code(workshop.join_code)
        lines = [
            "",
            "Cocon is ready. Open:",
            f"  Login (facilitator)   {base}/connexion/",
            f"                        user: {DEMO_USERNAME}   password: {DEMO_PASSWORD}",
            f"  Big screen            {base}/ateliers/{workshop.pk}/ecran/",
            f"  Facilitation (tablet) {base}/ateliers/{workshop.pk}/animer/",
            f"  Workshop page         {base}/ateliers/{workshop.pk}/",
            f"  Phone join page       {base}/rejoindre/   code: {code}",
            f"  Phone direct link     {base}/rejoindre/{workshop.join_code}/",
            "",
        ]
        self.stdout.write("\n".join(lines))
