"""factory_boy factories for the domain models (test data only; actions create real data)."""

from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from ateliers.join_codes import new_join_code
from ateliers.models import Activity, ActivityKind, Challenge, Workshop
from participation.devices import device_hash
from participation.models import Cluster, Contribution, Participant, Profile, VoteItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"animateur{n}")
    password = factory.django.Password("mot-de-passe-solide")


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Défi {n}")

    @factory.post_generation
    def leads(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.leads.add(*extracted)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    challenge = factory.SubFactory(ChallengeFactory)
    title = factory.Sequence(lambda n: f"Atelier {n}")
    join_code = factory.LazyFunction(new_join_code)

    @factory.post_generation
    def facilitators(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.facilitators.add(*extracted)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    workshop = factory.SubFactory(WorkshopFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = ActivityKind.IDEATION
    title = "Idées"
    prompt = "Qu'est-ce qui vous complique la démarche ?"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant
        exclude = ["device_token"]

    workshop = factory.SubFactory(WorkshopFactory)
    device_token = factory.Sequence(lambda n: f"device-token-{n}")
    device_hash = factory.LazyAttribute(lambda o: device_hash(o.device_token))
    profile = Profile.USER


# A finished workshop seeded through the real actions (evidence figures, decisions, exports)


PEOPLE = {
    # key: (profile, display name, organisation, territory) — spellings vary on purpose
    "a1": ("agent", "", "Mairie de Lille", "Lille"),
    "a2": ("agent", "", " mairie de  lille ", "lille "),
    "a3": ("agent", "", "Mairie de Lille", "Lille"),
    "a4": ("agent", "", "CAF du Nord", "Lille"),
    "a5": ("agent", "", "caf du nord", "Roubaix"),
    "a6": ("agent", "", "", "Roubaix"),
    "u1": ("usager", "Camille Dupont", "", "Roubaix"),
    "u2": ("usager", "", "", "Tourcoing"),
    "u3": ("usager", "", "", ""),
    "e1": ("elu", "Dominique Martin", "Conseil départemental du Nord", "Lille"),
}
NOTES = {
    # key: (author, column label, text)
    "papiers": ("a1", "Irritants", "Trop de papiers à fournir"),
    "horaires": ("a2", "Irritants", "Horaires d'ouverture trop courts"),
    "appeler": ("u1", "Irritants", "On ne sait pas qui appeler"),
    "guichet": ("u2", "Idées", "Un guichet unique"),
    "rdv": ("a3", "Idées", "Prise de rendez-vous en ligne"),
    "insulte": ("a4", "Irritants", "Message insultant"),
}
# (voter, note key, points)
VOTES = [
    ("a1", "papiers", 2),
    ("a1", "guichet", 1),
    ("a2", "papiers", 1),
    ("a2", "horaires", 2),
    ("a5", "horaires", 2),
    ("u1", "papiers", 2),
    ("u2", "guichet", 1),
    ("u3", "horaires", 1),
]
# (rater, note key, x, y)
RATINGS = [("a1", "papiers", 5, 2), ("u1", "papiers", 3, 4), ("a2", "guichet", 4, 4)]


@dataclass
class EvidenceSeed:
    """Handles on what `seed_evidence_workshop` made, by the keys above."""

    workshop: Workshop
    board: Activity
    vote: Activity
    rating: Activity
    people: dict
    notes: dict
    cluster: object
    items: dict  # note key -> VoteItem of the dot vote
    rating_items: dict


def seed_evidence_workshop(lead, challenge: Challenge | None = None) -> EvidenceSeed:
    """A closed "Idéation + vote" workshop with a rating step: ten people of three
    profiles (usagers and élus under five), notes in two columns (one hidden for abuse,
    one hidden after the votes), +1s, a cluster, dot votes and ratings — all through the
    actions a workshop really goes through."""
    from ateliers import actions, agenda
    from participation import actions as participation_actions
    from participation import moderation, voting

    challenge = challenge or ChallengeFactory(leads=[lead])
    workshop = actions.workshop_create(
        user=lead,
        challenge=challenge,
        title="Accueil en mairie",
        place="Lille",
        template="ideation_vote",
    )
    Workshop.objects.filter(pk=workshop.pk).update(mode="hybride", extra_methods=["personas"])
    board, vote = list(workshop.activities.order_by("position"))
    made = agenda.vote_activity_add(
        user=lead,
        workshop_id=workshop.pk,
        title="Matrice",
        kind=ActivityKind.RATING,
        source_id=board.pk,
        private=False,
    )
    rating = Activity.objects.get(pk=made.result["activity_id"])
    actions.workshop_start(user=lead, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    people = {
        key: participation_actions.participant_join(
            workshop=workshop,
            device_token=f"seed-{workshop.pk}-{key}",
            profile=profile,
            display_name=name,
            organisation=organisation,
            territory=territory,
        )
        for key, (profile, name, organisation, territory) in PEOPLE.items()
    }
    board.refresh_from_db()
    column = {c["label"]: c["key"] for c in board.columns}
    notes = {}
    for key, (author, label, text) in NOTES.items():
        done = participation_actions.contribution_create(
            participant=people[author], activity_id=board.pk, body=text, column=column[label]
        )
        notes[key] = Contribution.objects.get(pk=done.result["contribution_id"])
    for person, key in (("a5", "papiers"), ("u3", "papiers"), ("a1", "guichet")):
        participation_actions.reaction_set(
            participant=people[person], contribution_id=notes[key].pk, on=True
        )
    moderation.contribution_hide(
        user=lead,
        workshop_id=workshop.pk,
        contribution_id=notes["insulte"].pk,
        reason="Propos injurieux",
    )
    made = moderation.cluster_create(
        user=lead,
        workshop_id=workshop.pk,
        activity_id=board.pk,
        title="Accueil",
        contribution_ids=[notes["horaires"].pk, notes["appeler"].pk],
    )
    cluster = Cluster.objects.get(pk=made.result["cluster_id"])
    actions.agenda_goto(user=lead, workshop_id=workshop.pk, activity_id=vote.pk)
    items = {
        key: VoteItem.objects.get(activity=vote, contribution=note)
        for key, note in notes.items()
        if key != "insulte"
    }
    for voter, key, points in VOTES:
        for _point in range(points):
            voting.vote_add(participant=people[voter], item_id=items[key].pk)
    actions.agenda_goto(user=lead, workshop_id=workshop.pk, activity_id=rating.pk)
    rating_items = {
        key: VoteItem.objects.get(activity=rating, contribution=note)
        for key, note in notes.items()
        if key != "insulte"
    }
    for rater, key, x, y in RATINGS:
        voting.rating_set(participant=people[rater], item_id=rating_items[key].pk, x=x, y=y)
    moderation.contribution_hide(
        user=lead, workshop_id=workshop.pk, contribution_id=notes["rdv"].pk, reason="Doublon"
    )
    actions.workshop_close(user=lead, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    for activity in (board, vote, rating):
        activity.refresh_from_db()
    for note in notes.values():
        note.refresh_from_db()
    return EvidenceSeed(workshop, board, vote, rating, people, notes, cluster, items, rating_items)


def closed_workshop_with_results(
    lead, *, title: str = "Atelier accueil en mairie", extra_notes: tuple[str, ...] = ()
) -> Workshop:
    """A finished workshop run through the actions, as a room would: 6 usagers, 5 agents
    and 1 elected official join, post notes on the "Irritants / Idées" board, spend dots
    on them, and the facilitator closes it; then the lead keeps one item and sets one
    aside. `extra_notes` are posted too (by an usager) and put to the vote."""
    from ateliers import actions, decisions
    from participation import actions as participation_actions
    from participation import voting

    challenge = ChallengeFactory(leads=[lead])
    workshop = actions.workshop_create(
        user=lead,
        challenge=challenge,
        title=title,
        place="Mairie de Lille",
        template="ideation_vote",
    )
    actions.workshop_start(user=lead, workshop_id=workshop.pk)
    board, vote = workshop.activities.order_by("position")
    pains, ideas = (column["key"] for column in board.columns)
    people = [
        participation_actions.participant_join(
            workshop=workshop,
            device_token=f"seed-{workshop.pk}-{n}",
            profile=profile,
            organisation=organisation,
            territory="Lille",
        )
        for n, (profile, organisation) in enumerate(
            [(Profile.USER, "")] * 6
            + [(Profile.AGENT, "CAF du Nord")] * 5
            + [(Profile.ELECTED, "Conseil municipal de Wattrelos")]  # alone: never named
        )
    ]
    notes = [
        ("Trop de pièces justificatives demandées", pains),
        ("Horaires d'accueil trop courts", pains),
        ("Un guichet unique en mairie", ideas),
        *((body, ideas) for body in extra_notes),
    ]
    for n, (body, column) in enumerate(notes):
        participation_actions.contribution_create(
            participant=people[n % 6], activity_id=board.pk, body=body, column=column
        )
    actions.agenda_goto(user=lead, workshop_id=workshop.pk, activity_id=vote.pk)
    items = list(vote.vote_items.order_by("position"))
    for n, person in enumerate(people):
        for item in (items[0], items[n % len(items)]):
            voting.vote_add(participant=person, item_id=item.pk)
    actions.workshop_close(user=lead, workshop_id=workshop.pk)
    decisions.decision_set(
        user=lead,
        workshop_id=workshop.pk,
        target_kind="vote_item",
        target_id=items[0].pk,
        status="retenu",
        destination="Intégré au prototype v2",
    )
    decisions.decision_set(
        user=lead,
        workshop_id=workshop.pk,
        target_kind="vote_item",
        target_id=items[1].pk,
        status="ecarte",
        reason="Hors du champ du défi",
    )
    workshop.refresh_from_db()
    return workshop
