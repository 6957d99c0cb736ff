"""factory_boy factories for the domain models (test data only; actions create real data)."""

import factory
from django.contrib.auth import get_user_model

from ateliers.join_codes import new_join_code
from ateliers.models import Activity, ActivityKind, Challenge, Workshop
from participation.devices import device_hash
from participation.models import Participant, Profile


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
