"""Who may do what on a challenge or a workshop (checked by actions, pages and consumers)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from ateliers.models import Challenge, Workshop


def can_manage_challenge(user: AbstractBaseUser | AnonymousUser, challenge: Challenge) -> bool:
    """Project leads of the challenge (and superusers) manage it and its workshops."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or challenge.leads.filter(pk=user.pk).exists()


def can_facilitate(user: AbstractBaseUser | AnonymousUser, workshop: Workshop) -> bool:
    """Facilitators of the workshop, and the leads of its challenge, run it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or workshop.facilitators.filter(pk=user.pk).exists():
        return True
    return workshop.challenge.leads.filter(pk=user.pk).exists()
