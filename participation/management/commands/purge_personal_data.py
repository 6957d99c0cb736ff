"""Anonymise the personal data of closed workshops past their retention period.

Run daily (docs/deployment.md, "Scheduled tasks"). Idempotent: an anonymised workshop is
skipped. `--dry-run` lists what would be done and changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from participation.privacy import anonymise_workshop, open_workshops_past_retention, workshops_due


class Command(BaseCommand):
    help = "Anonymise participants' personal data of workshops past their retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be anonymised, change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        now = timezone.now()
        due = workshops_due(now)
        for workshop in due:
            label = (
                f"workshop {workshop.pk} « {workshop.title} » (closed "
                f"{workshop.closed_at:%Y-%m-%d}, kept {workshop.personal_data_retention_days} days)"
            )
            if dry_run:
                people = workshop.participants.count()
                self.stdout.write(f"would anonymise {label}: {people} participants")
                continue
            done = anonymise_workshop(workshop, now=now)
            if done is None:
                self.stdout.write(f"already anonymised {label}")
            else:
                self.stdout.write(
                    f"anonymised {label}: {done['participants']} participants, "
                    f"{done['events']} logged events and {done['receipts']} receipts deleted"
                )
        for workshop in open_workshops_past_retention(now):
            self.stderr.write(
                f"warning: workshop {workshop.pk} « {workshop.title} » is still "
                f"{workshop.state} past its retention period: close it to anonymise it"
            )
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{len(due)} workshop(s) {verb}.")
