"""Who takes part (Participant) and what they write (Contribution).

A participant has no account: a random device token, kept signed in an HttpOnly
cookie, identifies the phone; only its SHA-256 digest is stored.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.TextChoices):
    USER = "usager", _("Usager·e")
    AGENT = "agent", _("Agent·e public·que")
    PARTNER = "partenaire", _("Partenaire")
    ELECTED = "elu", _("Élu·e")
    OTHER = "autre", _("Autre")
    # "Je préfère ne pas le dire": giving a profile is optional (docs/privacy.md).
    UNSPECIFIED = "non_renseigne", _("Non renseigné")


class Participant(models.Model):
    """An anonymous or named person in one workshop, tied to one device."""

    workshop = models.ForeignKey(
        "ateliers.Workshop", on_delete=models.CASCADE, related_name="participants"
    )
    device_hash = models.CharField(max_length=64)
    display_name = models.CharField(_("nom affiché"), max_length=60, blank=True)
    # Shown instead of the name on pseudonymous activities (participation.pseudonyms).
    pseudonym = models.CharField(max_length=40, blank=True)
    profile = models.CharField(
        _("vous êtes"), max_length=20, choices=Profile.choices, default=Profile.UNSPECIFIED
    )
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


class ErasureSource(models.TextChoices):
    PARTICIPANT = "participant", _("La personne, depuis son téléphone")
    LEAD = "lead", _("Le porteur du défi, à sa demande")


class Erasure(models.Model):
    """That a participant's data was erased, by whom and when: the record a project lead
    shows when asked, holding nothing of what was erased (only its reference and how
    many rows of each kind went)."""

    workshop = models.ForeignKey(
        "ateliers.Workshop", on_delete=models.CASCADE, related_name="erasures"
    )
    reference = models.CharField(max_length=16)
    source = models.CharField(max_length=12, choices=ErasureSource.choices)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    erased_at = models.DateTimeField()
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("effacement de données")
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} {self.erased_at:%Y-%m-%d}"


class Cluster(models.Model):
    """A titled group of notes the facilitator made on a board; later votes can target it."""

    activity = models.ForeignKey(
        "ateliers.Activity", on_delete=models.CASCADE, related_name="clusters"
    )
    title = models.CharField(_("titre"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regroupement")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ContributionStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Masquée par l'animation")


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
    column = models.CharField(max_length=20, blank=True)  # a key of activity.columns
    lane = models.CharField(max_length=20, blank=True)  # a key of activity.lanes (journeys)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions"
    )
    status = models.CharField(
        max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.VISIBLE
    )
    # Why the facilitator hid it: kept when it is restored, for the record.
    hidden_reason = models.CharField(max_length=200, blank=True)
    # Kept equal to the count of its Reaction rows, in the same transaction.
    reaction_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contribution")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Reaction(models.Model):
    """A participant's +1 on someone else's note: at most one per person and note."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="reaction_rows"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("réaction")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "participant"], name="reaction_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"+1 {self.contribution_id}"


class VoteItem(models.Model):
    """One thing a vote or rating activity puts to the room: a note or a cluster of an
    earlier board, its text copied when the vote opened (what people voted on stays what
    they saw)."""

    activity = models.ForeignKey(
        "ateliers.Activity", on_delete=models.CASCADE, related_name="vote_items"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("élément soumis au vote")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label[:60]


class Vote(models.Model):
    """One dot: a participant may put several on one item (up to the activity's limit).
    A tally is the count of these rows."""

    activity = models.ForeignKey("ateliers.Activity", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(VoteItem, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        indexes = [models.Index(fields=["activity", "participant"])]

    def __str__(self) -> str:
        return f"vote {self.item_id}"


class Rating(models.Model):
    """A participant's position for one item on the two axes (1–5 each)."""

    activity = models.ForeignKey("ateliers.Activity", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(VoteItem, on_delete=models.CASCADE, related_name="ratings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ratings")
    x = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    y = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notation")
        constraints = [
            models.UniqueConstraint(fields=["item", "participant"], name="rating_once_per_person"),
            models.CheckConstraint(
                condition=models.Q(x__gte=1, x__lte=5, y__gte=1, y__lte=5),
                name="rating_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.x}×{self.y}"


FEELING_MIN, FEELING_MAX = -2, 2


class StageFeeling(models.Model):
    """How a participant says one stage of a journey feels, from −2 (very hard) to +2
    (very good): the points of the map's emotion curve."""

    activity = models.ForeignKey(
        "ateliers.Activity", on_delete=models.CASCADE, related_name="feelings"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="feelings")
    stage = models.CharField(max_length=20)  # a key of activity.columns
    value = models.SmallIntegerField(
        validators=[MinValueValidator(FEELING_MIN), MaxValueValidator(FEELING_MAX)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ressenti d'une étape")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "activity", "stage"], name="feeling_once_per_stage"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=FEELING_MIN, value__lte=FEELING_MAX),
                name="feeling_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.value:+d}"
