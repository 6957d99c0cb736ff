"""The défi dossier (Challenge), its workshops (Workshop) and their agendas (Activity).

Models hold data and invariants the database can enforce; every change goes through
`ateliers.actions`, never through `save()` overrides or signals.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Maturity(models.TextChoices):
    SCOPING = "cadrage", _("Cadrage")
    TESTING = "tests", _("Tests")
    PROTOTYPING = "prototypage", _("Prototypage")
    DEPLOYMENT = "deploiement", _("Déploiement")


class Challenge(models.Model):
    """A public-innovation challenge and the dossier a funding call asks for.

    The fields follow section 7 of the DITP call "Appel à défis pour une action
    publique co-construite": intentions, the candidate, prior actions, budget, signatory.
    """

    title = models.CharField(_("intitulé du défi"), max_length=200)
    # Présenter vos intentions
    problem = models.TextField(_("problématique"), blank=True)
    solutions = models.TextField(_("solutions à développer"), blank=True)
    context = models.TextField(_("contexte"), blank=True)
    priority_reform = models.CharField(
        _("réforme prioritaire liée"),
        max_length=200,
        blank=True,
        help_text=_("Laisser vide si le défi n'est lié à aucune réforme prioritaire."),
    )
    impact_for_agents = models.TextField(
        _("impact et bénéfices attendus pour les agents"), blank=True
    )
    impact_for_users = models.TextField(
        _("impact et bénéfices attendus pour les usagers"), blank=True
    )
    # Vous présenter
    carrying_structure = models.CharField(_("structure porteuse"), max_length=200, blank=True)
    team = models.TextField(_("équipe"), blank=True)
    innovation_skills = models.TextField(_("compétences innovation internes"), blank=True)
    reinforcement_needed = models.TextField(_("renforts nécessaires"), blank=True)
    partner_organisations = models.TextField(_("organisations partenaires"), blank=True)
    territories = models.TextField(_("territoires concernés"), blank=True)
    # Actions préalablement menées
    prior_actions = models.TextField(_("actions préalablement menées"), blank=True)
    lessons_learned = models.TextField(_("retour d'expérience"), blank=True)
    # Budget prévisionnel: its lines are BudgetLine rows (total and self-financing summed).
    budget_comment = models.TextField(
        _("précisions sur le budget"),
        blank=True,
        help_text=_("Autres financements sollicités, hypothèses de calcul…"),
    )
    # Acte de candidature
    signatory_name = models.CharField(_("signataire"), max_length=200, blank=True)
    signatory_level = models.CharField(
        _("niveau du signataire"), max_length=100, blank=True, help_text=_("Ex. préfet, directeur")
    )
    maturity = models.CharField(
        _("stade de maturité"), max_length=20, choices=Maturity.choices, default=Maturity.SCOPING
    )

    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="led_challenges", verbose_name=_("porteurs")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("défi")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """One line of the provisional budget: a cost, and how much of it the carrying
    structure pays itself (the rest is what the challenge asks the call for)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("défi")
    )
    label = models.CharField(_("poste de dépense"), max_length=200)
    amount = models.DecimalField(
        _("montant (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    self_financed = models.DecimalField(
        _("dont autofinancement (€)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ligne de budget")
        ordering = ["challenge", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0)
                & Q(self_financed__gte=0)
                & Q(self_financed__lte=models.F("amount")),
                name="budget_line_self_financing_within_amount",
            )
        ]

    def __str__(self) -> str:
        return self.label


class WorkshopState(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    LIVE = "live", _("En cours")
    CLOSED = "closed", _("Clôturé")


# Personal data of a workshop's participants is kept for a period after it closes: the
# PERSONAL_DATA_RETENTION_DAYS setting, unless its facilitator sets another within these
# bounds (docs/privacy.md).
MIN_RETENTION_DAYS = 7
MAX_RETENTION_DAYS = 3 * 365


def default_retention_days() -> int:
    return settings.PERSONAL_DATA_RETENTION_DAYS


class WorkshopMode(models.TextChoices):
    IN_PERSON = "presentiel", _("En présentiel")
    ONLINE = "en_ligne", _("En ligne")
    HYBRID = "hybride", _("Hybride")


class Method(models.TextChoices):
    """Co-construction methods a workshop used. Those of its activities (ideation, dot
    voting, rating, journey map) are derived; the others are tagged by hand."""

    IDEATION = "ideation", _("Idéation")
    DOT_VOTING = "vote", _("Vote par points")
    RATING = "matrice", _("Matrice impact × faisabilité")
    JOURNEY_MAP = "parcours", _("Cartographie du parcours usager")
    INTERVIEWS = "entretiens", _("Entretiens")
    IMMERSION = "immersion", _("Immersion, observation")
    PROTOTYPING = "prototypage", _("Prototypage")
    USER_TESTING = "tests", _("Tests avec des usagers")
    PERSONAS = "personas", _("Personas")
    OTHER = "autre", _("Autre méthode")


class Workshop(models.Model):
    """One live session of a challenge, joined by phones with a short code."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("défi")
    )
    title = models.CharField(_("titre"), max_length=200)
    place = models.CharField(_("lieu"), max_length=200, blank=True, help_text=_("Ou « en ligne »"))
    starts_at = models.DateTimeField(_("date et heure"), null=True, blank=True)
    join_code = models.CharField(_("code d'accès"), max_length=8)
    state = models.CharField(
        max_length=10, choices=WorkshopState.choices, default=WorkshopState.DRAFT
    )
    # Last event sequence number; incremented in the writing transaction (realtime.broadcast).
    last_seq = models.BigIntegerField(default=0)
    current_activity = models.ForeignKey(
        "Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The timer is an end time on the server, not a countdown per client: every screen
    # shows the same time and a phone that reconnects shows the right one.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_paused_remaining = models.PositiveIntegerField(null=True, blank=True)  # seconds
    # What the big screen shows: authors' names (of activities that have them) and one
    # note in the spotlight.
    show_authors = models.BooleanField(default=False)
    spotlight = models.ForeignKey(
        "participation.Contribution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_workshops", blank=True
    )
    mode = models.CharField(
        _("format"), max_length=12, choices=WorkshopMode.choices, default=WorkshopMode.IN_PERSON
    )
    # Methods beyond those its activities imply (ateliers.evidence.methods_of).
    extra_methods = models.JSONField(_("autres méthodes"), default=list, blank=True)
    # "What became of your contributions": a public page at an unguessable address,
    # off until the project lead switches it on (the token is drawn then).
    public_results = models.BooleanField(_("page publique des résultats"), default=False)
    public_token = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Privacy (participation.privacy): how long after closing participants' personal data
    # is kept; when it was anonymised; and the organisation and territory head counts
    # frozen then, which the evidence figures read instead of the cleared rows.
    personal_data_retention_days = models.PositiveIntegerField(
        _("conservation des données personnelles (jours après la clôture)"),
        default=default_retention_days,
        validators=[MinValueValidator(MIN_RETENTION_DAYS), MaxValueValidator(MAX_RETENTION_DAYS)],
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    frozen_groups = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("atelier")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"],
                condition=~Q(state="closed"),
                name="workshop_join_code_unique_while_open",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_joinable(self) -> bool:
        return self.state != WorkshopState.CLOSED

    @property
    def personal_data_erased_after(self) -> "datetime | None":
        """When its participants' personal data is due to be anonymised (None while it
        has not closed)."""
        if self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=self.personal_data_retention_days)


class ActivityKind(models.TextChoices):
    IDEATION = "ideation", _("Tableau d'idéation")
    VOTE = "vote", _("Vote par points")
    RATING = "rating", _("Notation sur deux axes")
    JOURNEY = "journey", _("Parcours usager")


VOTING_KINDS = (ActivityKind.VOTE, ActivityKind.RATING)


class VoteTarget(models.TextChoices):
    NOTES = "notes", _("Les contributions")
    CLUSTERS = "clusters", _("Les regroupements")


class Identity(models.TextChoices):
    """How notes are signed, told to participants before they write."""

    ANONYMOUS = "anonymous", _("Anonyme : personne ne voit qui a écrit quoi")
    PSEUDONYMOUS = "pseudonymous", _("Pseudonyme : un pseudonyme attribué à chaque personne")
    NAMED = "named", _("Nominatif : le nom que la personne a donné")


MAX_NOTES_LIMIT = 100
MAX_VOTES_PER_PERSON = 20


def default_columns() -> list[dict[str, str]]:
    return []


class LaneKind(models.TextChoices):
    """What a row of a journey map holds. `pain_points` is what a vote on irritants
    takes its items from; the others are free rows the facilitator can rename."""

    ACTIONS = "actions", _("Ce que fait la personne")
    TOUCHPOINTS = "touchpoints", _("Points de contact et canaux")
    THOUGHTS = "thoughts", _("Ce qu'elle pense et ressent")
    PAIN_POINTS = "pain_points", _("Irritants")
    OPPORTUNITIES = "opportunities", _("Opportunités")
    OTHER = "other", _("Autre")


class Horizon(models.TextChoices):
    """A journey as it is today, or as the team wants it to be."""

    AS_IS = "as_is", _("Parcours actuel")
    TO_BE = "to_be", _("Parcours souhaité")


class ActivityState(models.TextChoices):
    PENDING = "pending", _("À venir")
    OPEN = "open", _("Ouverte aux contributions")
    CLOSED = "closed", _("Fermée")


class Activity(models.Model):
    """One step of a workshop's agenda."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    prompt = models.CharField(_("consigne"), max_length=300, blank=True)
    state = models.CharField(
        max_length=10, choices=ActivityState.choices, default=ActivityState.PENDING
    )
    # Columns (categories) a note is posted in: [{"key": "c1", "label": "Irritants"}, …].
    # Keys never change, so labels can be edited while notes point at them.
    columns = models.JSONField(default=default_columns, blank=True)
    identity = models.CharField(
        _("signature des contributions"),
        max_length=15,
        choices=Identity.choices,
        default=Identity.ANONYMOUS,
    )
    private = models.BooleanField(
        _("mode privé"),
        default=False,
        help_text=_("Les contributions restent masquées jusqu'à ce que l'animation les révèle."),
    )
    revealed_at = models.DateTimeField(null=True, blank=True)
    reactions = models.BooleanField(_("réactions +1 autorisées"), default=False)
    max_notes = models.PositiveSmallIntegerField(
        _("contributions par personne au plus"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NOTES_LIMIT)],
    )
    # Votes and ratings (kind vote or rating): what is voted on, and the rules. For these
    # kinds `private` means "results hidden until revealed".
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activité dont viennent les éléments"),
    )
    vote_target = models.CharField(
        _("éléments soumis au vote"),
        max_length=10,
        choices=VoteTarget.choices,
        default=VoteTarget.NOTES,
    )
    votes_per_person = models.PositiveSmallIntegerField(
        _("points par personne"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VOTES_PER_PERSON)],
    )
    max_per_item = models.PositiveSmallIntegerField(
        _("points au plus sur un même élément"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VOTES_PER_PERSON)],
    )
    anonymous_votes = models.BooleanField(_("votes anonymes"), default=True)
    axis_x = models.CharField(_("premier axe"), max_length=40, default="Impact")
    axis_y = models.CharField(_("second axe"), max_length=40, default="Faisabilité")
    # Journey maps (kind journey): stages are `columns`; rows are `lanes`
    # ([{"key": "l1", "label": "Irritants", "kind": "pain_points", "enabled": true}, …]).
    persona = models.CharField(_("qui voyage (persona)"), max_length=200, blank=True)
    scenario = models.CharField(_("vers quel but (scénario)"), max_length=300, blank=True)
    lanes = models.JSONField(default=default_columns, blank=True)
    horizon = models.CharField(
        _("parcours"), max_length=5, choices=Horizon.choices, default=Horizon.AS_IS
    )
    pair = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parcours apparié"),
    )

    class Meta:
        verbose_name = _("activité")
        ordering = ["workshop", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "position"], name="activity_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden_from_phones(self) -> bool:
        """Private and not revealed yet: only facilitators and each author see notes."""
        return self.private and self.revealed_at is None

    def column_keys(self) -> set[str]:
        return {column["key"] for column in self.columns}

    def open_lane_keys(self) -> set[str]:
        """The lanes of a journey that take new cards."""
        return {lane["key"] for lane in self.lanes if lane.get("enabled", True)}

    @property
    def is_voting(self) -> bool:
        return self.kind in VOTING_KINDS

    @property
    def results_hidden(self) -> bool:
        """A vote's tallies are shown to no one but facilitators until revealed."""
        return self.is_voting and self.is_hidden_from_phones


class DecisionStatus(models.TextChoices):
    KEPT = "retenu", _("Retenu")
    EXPLORE = "a_explorer", _("À explorer")
    SET_ASIDE = "ecarte", _("Écarté")


class Decision(models.Model):
    """What the project team decided about one output of a workshop (a note, a cluster
    or a voted item), and where it went in the project: the end of the trace from a
    participant's note to the dossier."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="decisions")
    contribution = models.OneToOneField(
        "participation.Contribution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decision",
    )
    cluster = models.OneToOneField(
        "participation.Cluster",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decision",
    )
    vote_item = models.OneToOneField(
        "participation.VoteItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decision",
    )
    status = models.CharField(_("décision"), max_length=12, choices=DecisionStatus.choices)
    reason = models.TextField(_("motif"), blank=True)
    destination = models.TextField(
        _("suite donnée dans le projet"),
        blank=True,
        help_text=_("Ex. intégré au prototype v2, confié au groupe de travail accueil"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("décision")
        ordering = ["workshop", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution__isnull=False, cluster=None, vote_item=None)
                | Q(contribution=None, cluster__isnull=False, vote_item=None)
                | Q(contribution=None, cluster=None, vote_item__isnull=False),
                name="decision_on_exactly_one_output",
            ),
            models.CheckConstraint(
                condition=~Q(status="ecarte") | ~Q(reason=""),
                name="decision_set_aside_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class Evidence(models.Model):
    """A dated, immutable snapshot of a workshop's results attached to its challenge.

    `document` is the canonical JSON text (the exact bytes served as the JSON export);
    `digest` is its SHA-256. The CSV and PDF made from it at attach time are kept as
    bytes with their own digests, so every file downloaded later is the one attached.
    Rows are never updated (a trigger refuses it on PostgreSQL).
    """

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="evidence")
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField(_("intitulé"), max_length=200)
    attached_at = models.DateTimeField()
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    document = models.TextField()
    digest = models.CharField(max_length=64, unique=True)
    csv = models.BinaryField()
    csv_digest = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pdf_digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("preuve de co-construction")
        verbose_name_plural = _("preuves de co-construction")
        ordering = ["challenge", "attached_at", "pk"]

    def __str__(self) -> str:
        return self.title
