"""Create a live workshop to load-test, through the project's own actions; print its ids.

Run with the same environment as the servers under test (DATABASE_URL, REDIS_URL,
SECRET_KEY…): `python bench/setup_workshop.py --username bench --password …`. It goes
through `ateliers.actions` rather than raw inserts so the workshop is in exactly the
state a facilitator would have put it in (draft → live, first activity open, seq > 0).
Prints one JSON line: {"workshop_id": …, "join_code": …, "activity_id": …}.
"""

import argparse
import json
import os
import sys
from pathlib import Path

# Run as a plain script from anywhere: the project root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", default="bench-facilitator")
    parser.add_argument("--password", required=True)
    parser.add_argument("--title", default="Atelier de charge")
    parser.add_argument(
        "--private", action="store_true", help="notes hidden until the facilitator reveals them"
    )
    parser.add_argument(
        "--vote-items",
        type=int,
        default=0,
        help="also open a dot vote on this many notes of an earlier board (0: no vote)",
    )
    parser.add_argument("--votes-per-person", type=int, default=20)
    parser.add_argument(
        "--journey",
        action="store_true",
        help="phones post to a journey map (five stages × five lanes) instead of a board",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)

    import django

    django.setup()

    from django.contrib.auth import get_user_model

    from ateliers import actions, agenda
    from ateliers.models import MAX_NOTES_LIMIT

    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=args.username, defaults={"first_name": "Bench"}
    )
    user.set_password(args.password)
    user.save()

    challenge = actions.challenge_create(user=user, title=f"Défi — {args.title}")
    workshop = actions.workshop_create(
        user=user,
        challenge=challenge,
        title=args.title,
        prompt="Une idée par message : la charge en direct.",
    )
    activity = workshop.activities.order_by("position").first()
    assert activity is not None, "workshop_create makes an ideation activity"
    # The load client posts from random phones: allow the most notes per person, so the
    # per-activity limit never refuses one.
    agenda.activity_update(
        user=user,
        workshop_id=workshop.pk,
        activity_id=activity.pk,
        title=activity.title,
        prompt=activity.prompt,
        columns=[],
        identity=activity.identity,
        private=args.private,
        reactions=False,
        max_notes=MAX_NOTES_LIMIT,
    )
    actions.workshop_start(user=user, workshop_id=workshop.pk)
    vote = open_vote(user, workshop, args) if args.vote_items else {}
    if args.journey:
        activity = open_journey(user, workshop)
        vote["journey_activity_id"] = activity.pk
        vote["journey"] = {
            "stages": [c["key"] for c in activity.columns],
            "lanes": sorted(activity.open_lane_keys()),
        }

    print(
        json.dumps(
            {
                "workshop_id": workshop.pk,
                "join_code": workshop.join_code,
                "activity_id": activity.pk,
                **vote,
            }
        )
    )


def open_journey(user, workshop):
    """A journey map with the usual stages and lanes, the current activity: cards from
    every phone, as many as the limit allows."""
    from ateliers import actions, journey_maps
    from ateliers.models import MAX_NOTES_LIMIT, Activity

    made = journey_maps.journey_add(
        user=user,
        workshop_id=workshop.pk,
        title="Parcours de charge",
        persona="Une personne qui renouvelle ses droits",
        max_notes=MAX_NOTES_LIMIT,
    )
    journey_id = made.result["activity_id"]
    actions.agenda_goto(user=user, workshop_id=workshop.pk, activity_id=journey_id)
    return Activity.objects.get(pk=journey_id)


def open_vote(user, workshop, args: argparse.Namespace) -> dict:
    """A board of `--vote-items` notes (its own, already closed), a dot vote on them, open
    at the same time as the board phones post to: the workshop's current activity stays
    the board."""
    from ateliers import actions, agenda
    from participation import actions as participation_actions

    source = agenda.activity_add(user=user, workshop_id=workshop.pk, title="Idées à voter")
    source_id = source.result["activity_id"]
    vote = agenda.vote_activity_add(
        user=user,
        workshop_id=workshop.pk,
        title="Vote de charge",
        source_id=source_id,
        votes_per_person=args.votes_per_person,
        max_per_item=args.votes_per_person,
        private=False,
    )
    vote_id = vote.result["activity_id"]
    current = workshop.activities.order_by("position").first()
    actions.agenda_goto(user=user, workshop_id=workshop.pk, activity_id=source_id)
    for n in range(args.vote_items):
        author = participation_actions.participant_join(
            workshop=workshop, device_token=f"bench-author-{n // 10}", profile="agent"
        )
        participation_actions.contribution_create(
            participant=author, activity_id=source_id, body=f"Proposition à voter n°{n + 1}"
        )
    actions.agenda_goto(user=user, workshop_id=workshop.pk, activity_id=vote_id)
    actions.agenda_goto(user=user, workshop_id=workshop.pk, activity_id=current.pk)
    items = list(workshop.activities.get(pk=vote_id).vote_items.values_list("pk", flat=True))
    return {"vote_activity_id": vote_id, "vote_item_ids": items}


if __name__ == "__main__":
    main()
