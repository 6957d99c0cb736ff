"""Who may do what on a challenge or a workshop (checked by actions, pages, the API and
consumers).

- Project leads of a challenge (and superusers) see and edit its dossier, run its
  workshops, record decisions and attach evidence.
- Facilitators of one of its workshops see the dossier, its results and its evidence
  (read only), and run their own workshops.
- Everyone else sees nothing: pages and the API answer 404 as if it did not exist.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from ateliers.models import Challenge, Workshop


def can_manage_challenge(user: AbstractBaseUser | AnonymousUser, challenge: Challenge) -> bool:
    """Project leads of the challenge (and superusers) manage it and its workshops."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or challenge.leads.filter(pk=user.pk).exists()


def can_view_challenge(user: AbstractBaseUser | AnonymousUser, challenge: Challenge) -> bool:
    """Leads, and facilitators of any of its workshops, may read the dossier."""
    if not user.is_authenticated:
        return False
    return viewable_challenges(user).filter(pk=challenge.pk).exists()


def viewable_challenges(user: AbstractBaseUser | AnonymousUser) -> "QuerySet[Challenge]":
    if not user.is_authenticated:
        return Challenge.objects.none()
    if user.is_superuser:
        return Challenge.objects.all()
    return Challenge.objects.filter(Q(leads=user) | Q(workshops__facilitators=user)).distinct()


def can_facilitate(user: AbstractBaseUser | AnonymousUser, workshop: Workshop) -> bool:
    """Facilitators of the workshop, and the leads of its challenge, run it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or workshop.facilitators.filter(pk=user.pk).exists():
        return True
    return workshop.challenge.leads.filter(pk=user.pk).exists()


def facilitated_workshops(user: AbstractBaseUser | AnonymousUser) -> "QuerySet[Workshop]":
    if not user.is_authenticated:
        return Workshop.objects.none()
    workshops = Workshop.objects.select_related("challenge")
    if user.is_superuser:
        return workshops
    return workshops.filter(Q(facilitators=user) | Q(challenge__leads=user)).distinct()
