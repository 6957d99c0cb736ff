"""A finished journey-mapping workshop seeded through the real actions, for the evidence
and export tests of journey maps (tests/test_journey_evidence.py,
tests/test_journey_exports.py)."""

from dataclasses import dataclass, field

from ateliers import actions, journey_maps
from ateliers.models import Activity, ActivityKind, LaneKind, Workshop
from participation import actions as participation_actions
from participation import journeys, moderation, voting
from participation.models import Contribution, Participant, VoteItem
from tests.factories import ChallengeFactory

FORMULA = '=HYPERLINK("http://malveillant.example/x","Cliquez ici")'
HTML_CARD = '<b>gras</b> <img src="http://malveillant.example/pixel.png"> & <script>x</script>'
HIDDEN_TEXT = "Message insultant sur la carte"
PRIVATE_TEXT = "Dit en confiance au parcours privé"

# Who joined: 6 usagers, 5 agents, 1 elected official, 2 partners (two small groups,
# so neither gives the other away and usagers and agents keep their exact counts).
PROFILES = ["usager"] * 6 + ["agent"] * 5 + ["elu"] + ["partenaire"] * 2

# (author index, stage index, lane kind, text); the first map's cards.
CARDS = [
    (0, 0, LaneKind.ACTIONS, "Je cherche sur internet"),
    (1, 0, LaneKind.PAIN_POINTS, "Site introuvable"),
    (6, 1, LaneKind.TOUCHPOINTS, "Accueil téléphonique"),
    (2, 2, LaneKind.PAIN_POINTS, "Trop de pièces justificatives"),
    (7, 2, LaneKind.PAIN_POINTS, "Formulaire illisible"),
    (3, 2, LaneKind.PAIN_POINTS, FORMULA),
    (8, 3, LaneKind.THOUGHTS, HTML_CARD),
    (4, 3, LaneKind.PAIN_POINTS, "Aucune nouvelle du dossier"),
    (9, 4, LaneKind.OPPORTUNITIES, "Un suivi par SMS"),
    (5, 4, LaneKind.PAIN_POINTS, HIDDEN_TEXT),
]

# Stage ratings (stage index -> value per person index): stage 0 by everyone; stage 2 by
# only three usagers (a "<5" stage in their curve); stage 4 by no one.
FEELINGS = {
    0: {0: -2, 1: -2, 2: -1, 3: -1, 4: 0, 5: -2, 6: 1, 7: 1, 8: 2, 9: 0, 10: 1, 11: -2, 12: 2},
    1: {0: -1, 1: -1, 2: -1, 3: -1, 4: -1, 5: -1, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0},
    2: {0: -2, 1: -2, 2: -2, 6: -1, 7: -1, 8: -1, 9: -1, 10: -1},
    3: {0: 1, 6: 2},
}

# (voter index, irritant text, points) on the vote "Irritants prioritaires".
VOTES = [
    (0, "Trop de pièces justificatives", 2),
    (1, "Trop de pièces justificatives", 1),
    (6, "Trop de pièces justificatives", 2),
    (2, "Formulaire illisible", 2),
    (7, "Formulaire illisible", 1),
    (3, "Aucune nouvelle du dossier", 1),
    (8, "Site introuvable", 1),
]


@dataclass
class JourneySeed:
    workshop: Workshop
    journey: Activity  # the as-is map of the "parcours" template
    vote: Activity  # its irritants' dot vote
    private_map: Activity  # a to-be map in private mode, never revealed
    people: list[Participant]
    cards: dict[str, Contribution] = field(default_factory=dict)  # text -> card
    items: dict[str, VoteItem] = field(default_factory=dict)  # card text -> vote item

    def stage(self, n: int) -> str:
        return self.journey.columns[n]["key"]

    def lane(self, kind: str) -> str:
        return next(lane["key"] for lane in self.journey.lanes if lane["kind"] == kind)


def seed_journey_workshop(lead, challenge=None) -> JourneySeed:
    """A closed "Parcours usager" workshop: cards in several cells (one hidden, two
    merged into a cluster), stage ratings by profile, a vote on the irritants, and a
    private to-be map never revealed, with one card and one rating."""
    challenge = challenge or ChallengeFactory(leads=[lead])
    workshop = actions.workshop_create(
        user=lead, challenge=challenge, title="Demande de RSA", template="parcours"
    )
    journey, vote = workshop.activities.order_by("position")
    made = journey_maps.journey_add(
        user=lead,
        workshop_id=workshop.pk,
        title="Parcours souhaité",
        persona="Une allocataire",
        scenario="Renouveler ses droits sans se déplacer",
        horizon="to_be",
        pair_id=journey.pk,
        private=True,
    )
    private_map = Activity.objects.get(pk=made.result["activity_id"])
    actions.workshop_start(user=lead, workshop_id=workshop.pk)
    people = [
        participation_actions.participant_join(
            workshop=workshop, device_token=f"journey-{workshop.pk}-{n}", profile=profile
        )
        for n, profile in enumerate(PROFILES)
    ]
    seed = JourneySeed(workshop, journey, vote, private_map, people)
    for author, stage, kind, text in CARDS:
        done = participation_actions.contribution_create(
            participant=people[author],
            activity_id=journey.pk,
            body=text,
            column=seed.stage(stage),
            lane=seed.lane(kind),
        )
        seed.cards[text] = Contribution.objects.get(pk=done.result["contribution_id"])
    for stage, values in FEELINGS.items():
        for person, value in values.items():
            journeys.feeling_set(
                participant=people[person],
                activity_id=journey.pk,
                stage=seed.stage(stage),
                value=value,
            )
    moderation.contribution_hide(
        user=lead,
        workshop_id=workshop.pk,
        contribution_id=seed.cards[HIDDEN_TEXT].pk,
        reason="Propos injurieux",
    )
    moderation.cluster_create(
        user=lead,
        workshop_id=workshop.pk,
        activity_id=journey.pk,
        title="Démarches trop lourdes",
        contribution_ids=[
            seed.cards["Trop de pièces justificatives"].pk,
            seed.cards["Formulaire illisible"].pk,
        ],
    )
    actions.agenda_goto(user=lead, workshop_id=workshop.pk, activity_id=private_map.pk)
    private_map.refresh_from_db()
    done = participation_actions.contribution_create(
        participant=people[0],
        activity_id=private_map.pk,
        body=PRIVATE_TEXT,
        column=private_map.columns[0]["key"],
        lane=private_map.lanes[0]["key"],
    )
    seed.cards[PRIVATE_TEXT] = Contribution.objects.get(pk=done.result["contribution_id"])
    journeys.feeling_set(
        participant=people[1],
        activity_id=private_map.pk,
        stage=private_map.columns[0]["key"],
        value=1,
    )
    actions.agenda_goto(user=lead, workshop_id=workshop.pk, activity_id=vote.pk)
    seed.items = {
        item.contribution.body: item
        for item in VoteItem.objects.filter(activity=vote).select_related("contribution")
    }
    for voter, text, points in VOTES:
        for _point in range(points):
            voting.vote_add(participant=people[voter], item_id=seed.items[text].pk)
    actions.workshop_close(user=lead, workshop_id=workshop.pk)
    for row in (workshop, journey, vote, private_map, *seed.cards.values()):
        row.refresh_from_db()
    assert vote.kind == ActivityKind.VOTE and vote.source_id == journey.pk
    return seed
