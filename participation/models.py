"""Who takes part (Participant) and what they write (Contribution).

A participant has no account: a random device token, kept signed in an HttpOnly
cookie, identifies the phone; only its SHA-256 digest is stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.TextChoices):
    USER = "usager", _("Usager·e")
    AGENT = "agent", _("Agent·e public·que")
    PARTNER = "partenaire", _("Partenaire")
    ELECTED = "elu", _("Élu·e")
    OTHER = "autre", _("Autre")


class Participant(models.Model):
    """An anonymous or named person in one workshop, tied to one device."""

    workshop = models.ForeignKey(
        "ateliers.Workshop", on_delete=models.CASCADE, related_name="participants"
    )
    device_hash = models.CharField(max_length=64)
    display_name = models.CharField(_("nom affiché"), max_length=60, blank=True)
    profile = models.CharField(_("vous êtes"), max_length=20, choices=Profile.choices)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    territory = models.CharField(_("territoire"), max_length=120, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant·e")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "device_hash"], name="participant_one_per_device"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or f"Participant·e {self.pk}"


class Contribution(models.Model):
    """A note posted on a board."""

    activity = models.ForeignKey(
        "ateliers.Activity", on_delete=models.CASCADE, related_name="contributions"
    )
    # SET_NULL: erasing a person keeps what they wrote, unattributed.
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="contributions"
    )
    body = models.TextField(max_length=settings.CONTRIBUTION_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contribution")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]
