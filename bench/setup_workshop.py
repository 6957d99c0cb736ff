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

    print(
        json.dumps(
            {
                "workshop_id": workshop.pk,
                "join_code": workshop.join_code,
                "activity_id": activity.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
