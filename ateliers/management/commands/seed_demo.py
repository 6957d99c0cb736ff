"""Seed a demo challenge, workshop and facilitator account, and print the URLs to open.

Idempotent: run it again and it reuses what it made, so `make run` can call it every time.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ateliers import actions, dossier
from ateliers.join_codes import display_join_code
from ateliers.models import Challenge, Workshop, WorkshopState

DEMO_USERNAME = "animation"
DEMO_JOURNEY = "Parcours usager — démonstration"
DEMO_PASSWORD = "cocon-demo"  # noqa: S105 — a local demo account, printed on purpose
DEMO_CHALLENGE = "Simplifier la demande d'aide au logement"

# A complete dossier (section 7 of the DITP call), in the spirit of the call's examples:
# a Simplificathon with agents and usagers on a public service's paperwork.
DEMO_DOSSIER: dict[str, str] = {
    "problem": (
        "Près d'un demandeur sur trois abandonne la demande d'aide au logement en ligne à "
        "l'étape des justificatifs : pièces demandées en double, formats refusés, aucune "
        "aide pour savoir quel document fournir. Les agents d'accueil reçoivent ensuite ces "
        "usagers au guichet pour reprendre le dossier à zéro."
    ),
    "solutions": (
        "Une liste de justificatifs adaptée à la situation de chaque demandeur, des pièces "
        "déjà connues de l'administration qui ne sont plus redemandées (« Dites-le nous une "
        "fois »), un rendez-vous d'accompagnement proposé dès le premier blocage, et des "
        "courriers réécrits avec les usagers."
    ),
    "context": (
        "La demande est dématérialisée depuis deux ans. Les délais d'instruction ont "
        "augmenté de 40 % et les réclamations portent d'abord sur les pièces justificatives. "
        "Les services d'accueil des sous-préfectures et les centres communaux d'action "
        "sociale constatent les mêmes difficultés."
    ),
    "priority_reform": "Simplification des démarches administratives",
    "impact_for_agents": (
        "Moins de dossiers incomplets à relancer, moins de reprises au guichet, un temps "
        "d'accueil recentré sur les situations complexes ; des agents associés à la "
        "conception des nouveaux parcours plutôt que mis devant le fait accompli."
    ),
    "impact_for_users": (
        "Une demande faite en une fois, sans pièce inutile ; un délai de réponse réduit ; un "
        "accompagnement humain pour les personnes éloignées du numérique."
    ),
    "carrying_structure": "Préfecture de démonstration",
    "team": (
        "La secrétaire générale (pilote), la cheffe du bureau des aides, deux agents "
        "d'accueil, le référent numérique, une chargée de mission du laboratoire "
        "d'innovation territoriale."
    ),
    "innovation_skills": (
        "Animation d'ateliers collaboratifs (laboratoire d'innovation territoriale), "
        "connaissance fine du parcours par les agents d'accueil."
    ),
    "reinforcement_needed": (
        "Design de service et recherche utilisateur (entretiens, tests de prototypes), "
        "rédaction en langage clair."
    ),
    "partner_organisations": (
        "Caisse d'allocations familiales\nCentre communal d'action sociale de la ville "
        "chef-lieu\nAssociation d'aide aux locataires\nFrance services"
    ),
    "territories": "Département de démonstration\nCommunauté de communes du Val voisin",
    "prior_actions": (
        "Un Simplificathon l'an dernier : trois ateliers réunissant agents et usagers sur les "
        "courriers de relance ; une enquête auprès de 300 demandeurs."
    ),
    "lessons_learned": (
        "Les usagers ont trouvé les courriers plus clairs, mais le nombre de pièces "
        "demandées n'a pas changé : il faut associer la caisse d'allocations familiales dès "
        "le départ, et tester les nouveaux parcours avec des personnes peu à l'aise avec "
        "le numérique."
    ),
    "budget_comment": (
        "Montants TTC. Le renfort en design est demandé à l'appel ; l'animation et "
        "l'accueil des ateliers sont assurés par la préfecture."
    ),
    "signatory_name": "Claire Martin",
    "signatory_level": "Préfète",
}

# (label, amount, self-financed), in euros.
DEMO_BUDGET: list[tuple[str, str, str]] = [
    ("Prestation de design de service (recherche utilisateur, prototypes)", "60000", "0"),
    ("Animation des ateliers avec les usagers et les agents", "15000", "7500"),
    ("Outils collaboratifs et licences", "5000", "1000"),
    ("Formation des agents à la facilitation", "10000", "4000"),
]


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
                maturity="cadrage",
            )
        self.fill_dossier(user, challenge)
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
        journey = challenge.workshops.filter(title=DEMO_JOURNEY).first()
        if journey is None:
            journey = actions.workshop_create(
                user=user,
                challenge=challenge,
                title=DEMO_JOURNEY,
                place="Salle du conseil",
                template="parcours",
            )
        self.print_urls(base_url.rstrip("/"), workshop, journey)

    def fill_dossier(self, user: Any, challenge: Challenge) -> None:
        """Fill the blank items of the demo dossier, and its budget if it has none; what
        someone changed during a demo stays."""
        blank = {
            name: value
            for name, value in DEMO_DOSSIER.items()
            if not str(getattr(challenge, name) or "").strip()
        }
        if blank:
            dossier.challenge_update(user=user, challenge_id=challenge.pk, **blank)
        if not challenge.budget_lines.exists():
            dossier.budget_save(
                user=user,
                challenge_id=challenge.pk,
                lines=[
                    dossier.BudgetLineInput(label=label, amount=amount, self_financed=own)
                    for label, amount, own in DEMO_BUDGET
                ],
            )

    def print_urls(self, base: str, workshop: Workshop, journey: Workshop) -> None:
        code = display_join_code(workshop.join_code)
        lines = [
            "",
            "Cocon is ready. Open:",
            f"  Login (facilitator)   {base}/connexion/",
            f"                        user: {DEMO_USERNAME}   password: {DEMO_PASSWORD}",
            f"  Big screen            {base}/ateliers/{workshop.pk}/ecran/",
            f"  Facilitation (tablet) {base}/ateliers/{workshop.pk}/animer/",
            f"  Workshop page         {base}/ateliers/{workshop.pk}/",
            f"  Dossier (défi)        {base}/defis/{workshop.challenge_id}/dossier/",
            f"  Phone join page       {base}/rejoindre/   code: {code}",
            f"  Phone direct link     {base}/rejoindre/{workshop.join_code}/",
            f"  Journey-map workshop  {base}/ateliers/{journey.pk}/   (« Parcours usager »)",
            "",
        ]
        self.stdout.write("\n".join(lines))
