"""The board's limits hold under real concurrency: parallel transactions on PostgreSQL,
as two devices of one person, a double tap, or a whole room tapping +1 at once."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from ateliers import agenda
from ateliers.errors import DomainError
from participation import actions
from participation.models import Contribution, Reaction
from realtime.models import WorkshopEvent

pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[Exception]]:
    """Run each call in its own thread (its own database connection), all at once."""
    results: list[Any] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def set_board(facilitator, workshop, **settings) -> None:
    activity = workshop.current_activity
    agenda.activity_update(
        user=facilitator,
        workshop_id=workshop.pk,
        activity_id=activity.pk,
        title=activity.title,
        prompt=activity.prompt,
        columns=[],
        identity="anonymous",
        private=False,
        **settings,
    )


def test_the_notes_limit_holds_when_one_person_posts_from_two_devices_at_once(
    facilitator, live_workshop
):
    set_board(facilitator, live_workshop, reactions=False, max_notes=5)
    person = actions.participant_join(workshop=live_workshop, device_token="a", profile="agent")
    calls = [
        lambda n=n: actions.contribution_create(
            participant=person,
            activity_id=live_workshop.current_activity_id,
            body=f"Idée {n}",
            request_id=f"r{n}",
        )
        for n in range(12)
    ]
    results, errors = in_parallel(calls)
    assert len(results) == 5 and len(errors) == 7
    assert {e.code for e in errors if isinstance(e, DomainError)} == {"note_limit"}
    assert Contribution.objects.filter(participant=person).count() == 5


def test_a_room_tapping_plus_one_at_once_counts_each_person_exactly_once(
    facilitator, live_workshop
):
    set_board(facilitator, live_workshop, reactions=True, max_notes=10)
    author = actions.participant_join(workshop=live_workshop, device_token="au", profile="agent")
    note = actions.contribution_create(
        participant=author, activity_id=live_workshop.current_activity_id, body="Bonne idée"
    ).result["contribution_id"]
    people = [
        actions.participant_join(workshop=live_workshop, device_token=f"p{n}", profile="usager")
        for n in range(10)
    ]
    # Every person taps twice (two request ids); half of them then take it back.
    calls = [
        lambda p=p, t=t: actions.reaction_set(
            participant=p, contribution_id=note, on=True, request_id=f"on{t}"
        )
        for p in people
        for t in range(2)
    ]
    _results, errors = in_parallel(calls)
    assert errors == []
    _results, errors = in_parallel(
        [
            lambda p=p: actions.reaction_set(
                participant=p, contribution_id=note, on=False, request_id="off"
            )
            for p in people[:5]
        ]
    )
    assert errors == []
    stored = Contribution.objects.get(pk=note)
    assert stored.reaction_count == Reaction.objects.filter(contribution=note).count() == 5
    seqs = sorted(
        WorkshopEvent.objects.filter(workshop=live_workshop).values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))  # one event per real change, no gap
