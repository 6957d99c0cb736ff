"""Read-only DRF serializers of the evidence figures (ateliers.evidence).

They shape the data `ateliers.evidence` computes from the rows into the documents the
API serves, the exports write and the evidence snapshot keeps, and describe them for the
OpenAPI schema (drf-spectacular). They hold no logic: figures are computed, and counts
of people protected, before they get here. No field ever holds a participant's name.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from participation.disclosure import ProtectedCount


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "enum": ["<5", "hidden"]},
        ],
        "description": "Nombre de personnes, ou « <5 » (petit groupe), ou « hidden » "
        "(masqué pour qu'un petit groupe ne se déduise pas du total).",
    }
)
class ProtectedCountField(serializers.Field):
    """A count of people under the small-group rule: an integer, "<5" or "hidden"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: ProtectedCount) -> ProtectedCount:
        return value


class ReadOnlySerializer(serializers.Serializer):
    """Serializers of computed documents: they never create or update anything."""

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - read only
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


# Workshop facts -------------------------------------------------------------------------


class MethodSerializer(ReadOnlySerializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ChallengeRefSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class WorkshopFactsSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    challenge = ChallengeRefSerializer()
    state = serializers.CharField()
    starts_at = serializers.CharField(allow_null=True, help_text="ISO 8601")
    opened_at = serializers.CharField(allow_null=True, help_text="ISO 8601")
    closed_at = serializers.CharField(allow_null=True, help_text="ISO 8601")
    place = serializers.CharField(allow_blank=True)
    mode = serializers.CharField()
    mode_label = serializers.CharField()
    duration_minutes = serializers.IntegerField(
        allow_null=True, help_text="De l'ouverture à la clôture ; null si non clôturé."
    )
    methods = MethodSerializer(many=True)


# Participation --------------------------------------------------------------------------


class ProfileCountSerializer(ReadOnlySerializer):
    profile = serializers.CharField()
    label = serializers.CharField()
    count = ProtectedCountField()


class ProfileRowSerializer(ReadOnlySerializer):
    profile = serializers.CharField()
    label = serializers.CharField()
    joined = ProtectedCountField()
    active = ProtectedCountField()


class NamedGroupSerializer(ReadOnlySerializer):
    name = serializers.CharField()
    people = ProtectedCountField()


class SmallGroupsSerializer(ReadOnlySerializer):
    count = serializers.IntegerField(help_text="Nombre de groupes de moins de 5 personnes.")
    people = ProtectedCountField(help_text="Leurs personnes, ensemble.")


class NamedGroupsSerializer(ReadOnlySerializer):
    count = serializers.IntegerField(help_text="Nombre d'organisations (ou de territoires).")
    items = NamedGroupSerializer(
        many=True, help_text="Les groupes d'au moins 5 personnes, seuls nommés."
    )
    others = SmallGroupsSerializer(
        help_text="Les groupes de moins de 5 personnes, comptés ensemble sans leur nom."
    )
    not_given = ProtectedCountField(help_text="Personnes qui n'ont rien indiqué.")


class ParticipationSerializer(ReadOnlySerializer):
    joined = serializers.IntegerField(help_text="Personnes qui ont rejoint l'atelier.")
    active = serializers.IntegerField(
        help_text="Personnes qui ont contribué, réagi, voté ou noté au moins une fois."
    )
    by_profile = ProfileRowSerializer(many=True)
    organisations = NamedGroupsSerializer()
    territories = NamedGroupsSerializer()
    agents_present = serializers.BooleanField()
    users_present = serializers.BooleanField()
    both_present = serializers.BooleanField()


# Outputs --------------------------------------------------------------------------------


class ColumnSerializer(ReadOnlySerializer):
    key = serializers.CharField()
    label = serializers.CharField()
    notes_count = serializers.IntegerField()


class ClusterSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    notes_count = serializers.IntegerField()
    authors = ProfileCountSerializer(many=True)


class WrittenSerializer(ReadOnlySerializer):
    """What a note of a board and a card of a journey map share."""

    id = serializers.IntegerField()
    text = serializers.CharField()
    cluster_id = serializers.IntegerField(allow_null=True)
    cluster = serializers.CharField(allow_null=True)
    reactions = serializers.IntegerField()
    author_profile = serializers.CharField(
        allow_null=True,
        help_text="Null si l'auteur·rice est parti·e ou si son profil compte moins de 5 "
        "personnes dans l'atelier.",
    )
    author_profile_label = serializers.CharField(allow_null=True)


class NoteSerializer(WrittenSerializer):
    column = serializers.CharField(allow_null=True)


class BoardSerializer(ReadOnlySerializer):
    activity_id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    prompt = serializers.CharField(allow_blank=True)
    private = serializers.BooleanField()
    revealed = serializers.BooleanField()
    notes_count = serializers.IntegerField()
    hidden_notes_count = serializers.IntegerField()
    authors = ProfileCountSerializer(many=True)
    columns = ColumnSerializer(many=True)
    clusters = ClusterSerializer(many=True)
    notes = NoteSerializer(many=True)


class ActivityRefSerializer(ReadOnlySerializer):
    activity_id = serializers.IntegerField()
    title = serializers.CharField()


class VoteItemResultSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    rank = serializers.IntegerField()
    label = serializers.CharField()
    position = serializers.IntegerField()
    points = serializers.IntegerField()
    voters = serializers.IntegerField()
    voters_by_profile = ProfileCountSerializer(many=True)
    points_by_profile = ProfileCountSerializer(many=True)
    source_note_id = serializers.IntegerField(allow_null=True)
    source_cluster_id = serializers.IntegerField(allow_null=True)
    pain_point = serializers.BooleanField()


class VoteResultSerializer(ReadOnlySerializer):
    activity_id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    source = ActivityRefSerializer(allow_null=True)
    state = serializers.CharField(help_text="pending, open ou closed")
    results_hidden = serializers.BooleanField(
        help_text="Résultats masqués jusqu'à leur révélation, et pas encore révélés."
    )
    target = serializers.CharField()
    votes_per_person = serializers.IntegerField()
    max_per_item = serializers.IntegerField()
    voters = serializers.IntegerField()
    voters_by_profile = ProfileCountSerializer(many=True)
    points = serializers.IntegerField()
    withdrawn_items = serializers.IntegerField()
    items = VoteItemResultSerializer(many=True)


class RatingItemSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    position = serializers.IntegerField()
    n = serializers.IntegerField()
    x_mean = serializers.FloatField(allow_null=True)
    y_mean = serializers.FloatField(allow_null=True)
    x_sd = serializers.FloatField(allow_null=True)
    y_sd = serializers.FloatField(allow_null=True)
    source_note_id = serializers.IntegerField(allow_null=True)
    source_cluster_id = serializers.IntegerField(allow_null=True)


class RatingResultSerializer(ReadOnlySerializer):
    activity_id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    source = ActivityRefSerializer(allow_null=True)
    state = serializers.CharField(help_text="pending, open ou closed")
    results_hidden = serializers.BooleanField(
        help_text="Résultats masqués jusqu'à leur révélation, et pas encore révélés."
    )
    axis_x = serializers.CharField()
    axis_y = serializers.CharField()
    raters = serializers.IntegerField()
    items = RatingItemSerializer(many=True)


class PainPointSerializer(ReadOnlySerializer):
    rank = serializers.IntegerField()
    item_id = serializers.IntegerField()
    vote_activity_id = serializers.IntegerField()
    vote_title = serializers.CharField()
    label = serializers.CharField()
    points = serializers.IntegerField()
    voters = serializers.IntegerField()
    voters_by_profile = ProfileCountSerializer(many=True)


# Journey maps ---------------------------------------------------------------------------


class JourneyStageSerializer(ReadOnlySerializer):
    key = serializers.CharField()
    label = serializers.CharField()
    cards_count = serializers.IntegerField()


class JourneyLaneSerializer(ReadOnlySerializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(
        help_text="actions, touchpoints, thoughts, pain_points, opportunities ou other"
    )
    kind_label = serializers.CharField()
    enabled = serializers.BooleanField(help_text="Fermée (false) : ne prenait plus de carte.")
    cards_count = serializers.IntegerField()


class CardSerializer(WrittenSerializer):
    stage = serializers.CharField(help_text="Clé de l'étape (voir stages).")
    lane = serializers.CharField(help_text="Clé de la ligne (voir lanes).")


class JourneyCellSerializer(ReadOnlySerializer):
    stage = serializers.CharField()
    lane = serializers.CharField()
    cards_count = serializers.IntegerField(help_text="Cartes visibles de la case.")
    cards = CardSerializer(many=True, help_text="Vide quand le texte est retenu (texts_withheld).")


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": ["<5"]}],
        "description": "Personnes qui ont noté l'étape, ou « <5 » dans la courbe d'un "
        "profil quand elles sont moins de 5 (pas de chiffres alors).",
    }
)
class RatersField(ProtectedCountField):
    """How many rated a stage: an integer, or "<5" inside a profile's curve."""


class StageCurveSerializer(ReadOnlySerializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    n = RatersField()
    mean = serializers.FloatField(allow_null=True, help_text="Moyenne de −2 à +2.")
    sd = serializers.FloatField(allow_null=True, help_text="Écart-type (de population).")
    counts = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="Nombre de réponses −2, −1, 0, +1, +2.",
    )


class ProfileCurveSerializer(ReadOnlySerializer):
    profile = serializers.CharField()
    label = serializers.CharField()
    raters = ProtectedCountField()
    stages = StageCurveSerializer(
        many=True,
        allow_null=True,
        help_text="Null quand le nombre de personnes du profil n'est pas donné exactement.",
    )


class CurveSerializer(ReadOnlySerializer):
    raters = serializers.IntegerField(help_text="Personnes qui ont noté au moins une étape.")
    stages = StageCurveSerializer(many=True)
    by_profile = ProfileCurveSerializer(many=True)


class IrritantSerializer(PainPointSerializer):
    """A priority pain point of a map, with the card it came from."""

    card_id = serializers.IntegerField(allow_null=True)
    stage = serializers.CharField(allow_null=True)
    lane = serializers.CharField(allow_null=True)


class JourneySerializer(ReadOnlySerializer):
    """One journey map (ateliers.evidence.journey_document, outputs.journeys)."""

    activity_id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    prompt = serializers.CharField(allow_blank=True)
    state = serializers.CharField(help_text="pending, open ou closed")
    persona = serializers.CharField(allow_blank=True)
    scenario = serializers.CharField(allow_blank=True)
    horizon = serializers.CharField(help_text="as_is (actuel) ou to_be (souhaité)")
    horizon_label = serializers.CharField()
    pair_id = serializers.IntegerField(
        allow_null=True,
        help_text="Le parcours apparié (un parcours souhaité pointe vers le parcours actuel).",
    )
    pair_title = serializers.CharField(allow_null=True)
    private = serializers.BooleanField()
    revealed = serializers.BooleanField()
    texts_withheld = serializers.BooleanField(
        help_text="Parcours privé jamais révélé à la salle : cartes comptées, sans texte."
    )
    cards_count = serializers.IntegerField()
    hidden_cards_count = serializers.IntegerField()
    authors = ProfileCountSerializer(many=True)
    stages = JourneyStageSerializer(many=True)
    lanes = JourneyLaneSerializer(many=True)
    cells = JourneyCellSerializer(many=True)
    clusters = ClusterSerializer(many=True)
    curve = CurveSerializer()
    priority_irritants = IrritantSerializer(many=True)


class OutputTotalsSerializer(ReadOnlySerializer):
    notes = serializers.IntegerField()
    hidden_notes = serializers.IntegerField()
    clusters = serializers.IntegerField()
    points = serializers.IntegerField()
    ratings = serializers.IntegerField()
    journeys = serializers.IntegerField(
        help_text="Parcours qui ont reçu au moins une carte ou un ressenti."
    )
    cards = serializers.IntegerField()
    hidden_cards = serializers.IntegerField()
    stage_ratings = serializers.IntegerField()


class OutputsSerializer(ReadOnlySerializer):
    totals = OutputTotalsSerializer()
    boards = BoardSerializer(many=True)
    votes = VoteResultSerializer(many=True)
    ratings = RatingResultSerializer(many=True)
    journeys = JourneySerializer(many=True)
    priority_pain_points = PainPointSerializer(many=True)


# Decisions and their trace --------------------------------------------------------------


class TargetSerializer(ReadOnlySerializer):
    kind = serializers.ChoiceField(choices=["contribution", "cluster", "vote_item"])
    id = serializers.IntegerField()


class NoteRefSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    text = serializers.CharField(
        allow_null=True,
        help_text="Null si la note a été masquée, ou si c'est la carte d'un parcours privé "
        "jamais révélé.",
    )
    hidden = serializers.BooleanField()
    column = serializers.CharField(allow_null=True, help_text="Colonne, ou étape d'un parcours.")
    lane = serializers.CharField(allow_null=True, help_text="Ligne d'un parcours.")
    board = serializers.CharField()
    board_id = serializers.IntegerField()
    board_kind = serializers.CharField(help_text="ideation ou journey")


class ClusterNoteSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class ClusterRefSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    board = serializers.CharField()
    board_id = serializers.IntegerField()
    board_kind = serializers.CharField(help_text="ideation ou journey")
    notes = ClusterNoteSerializer(many=True)


class ItemRefSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    label = serializers.CharField(allow_null=True)
    withdrawn = serializers.BooleanField()
    vote = serializers.CharField()
    vote_id = serializers.IntegerField()
    kind = serializers.CharField()
    points = serializers.IntegerField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    voters = serializers.IntegerField(allow_null=True)


class TraceSerializer(ReadOnlySerializer):
    note = NoteRefSerializer(allow_null=True)
    cluster = ClusterRefSerializer(allow_null=True)
    vote_items = ItemRefSerializer(many=True)


class DecisionSerializer(ReadOnlySerializer):
    id = serializers.IntegerField()
    target = TargetSerializer()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    destination = serializers.CharField(allow_blank=True)
    decided_at = serializers.CharField(help_text="ISO 8601")
    trace = TraceSerializer()


class WorkshopResultsSerializer(ReadOnlySerializer):
    """The results of one workshop (ateliers.evidence.results_document)."""

    schema = serializers.CharField(help_text="cocon.results/1")
    workshop = WorkshopFactsSerializer()
    participation = ParticipationSerializer()
    outputs = OutputsSerializer()
    decisions = DecisionSerializer(many=True)


# A challenge across its workshops -------------------------------------------------------


class StatusCountSerializer(ReadOnlySerializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class WorkshopSummarySerializer(WorkshopFactsSerializer):
    participation = ParticipationSerializer()
    notes = serializers.IntegerField()
    hidden_notes = serializers.IntegerField()
    journeys = serializers.IntegerField(
        help_text="Parcours qui ont reçu au moins une carte ou un ressenti."
    )
    cards = serializers.IntegerField(help_text="Cartes visibles des parcours.")
    hidden_cards = serializers.IntegerField()
    points = serializers.IntegerField()
    voters = serializers.IntegerField()
    decisions = StatusCountSerializer(many=True)


class ChallengeTotalsSerializer(ReadOnlySerializer):
    workshops = serializers.IntegerField()
    duration_minutes = serializers.IntegerField()
    methods = MethodSerializer(many=True)
    participation = ParticipationSerializer(
        help_text="Additionné atelier par atelier à partir des lignes, puis protégé : "
        "une personne venue à deux ateliers compte deux fois."
    )
    notes = serializers.IntegerField()
    hidden_notes = serializers.IntegerField()
    journeys = serializers.IntegerField()
    cards = serializers.IntegerField()
    hidden_cards = serializers.IntegerField()
    points = serializers.IntegerField()
    decisions = StatusCountSerializer(many=True)


class ChallengeEvidenceSerializer(ReadOnlySerializer):
    """A challenge's workshops and totals (ateliers.evidence.challenge_evidence)."""

    schema = serializers.CharField(help_text="cocon.challenge-evidence/1")
    challenge = ChallengeRefSerializer()
    workshops = WorkshopSummarySerializer(many=True)
    totals = ChallengeTotalsSerializer()
