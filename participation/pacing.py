"""Live results published at a steady pace, not once per vote or rating.

A room votes or rates in the same ten seconds; publishing the results after each
command would send one message per command to every socket. Instead each commit asks
for the activity's results ("tally" of a vote, "curve" of a journey map) to be
published soon: at most once per RESULTS_INTERVAL per server process
(`realtime.coalesce.soon`), and, across processes, by whichever takes the Redis key
first (`claim`); the others try again at the end of the interval, so the last command
is always in a published result.
"""

from collections.abc import Callable

from django.db import transaction

from ateliers.actions import lock_workshop
from ateliers.models import Activity, ActivityState
from realtime.coalesce import claim, soon
from realtime.sender import event_loop_for_this_thread

RESULTS_INTERVAL = 0.5

Publisher = Callable[[Activity], int]


def _publish_if_open(workshop_id: int, activity_id: int, publisher: Publisher) -> None:
    with transaction.atomic():
        lock_workshop(workshop_id)
        activity = Activity.objects.filter(pk=activity_id).first()
        if activity is not None and activity.state == ActivityState.OPEN:
            publisher(activity)  # a closed activity published its final results itself


def flush(name: str, workshop_id: int, activity_id: int, publisher: Publisher) -> None:
    """Publish, unless another server process did within RESULTS_INTERVAL: then try
    again at the end of it."""
    if claim(f"cocon:{name}:{activity_id}", RESULTS_INTERVAL):
        _publish_if_open(workshop_id, activity_id, publisher)
    else:
        schedule(name, workshop_id, activity_id, publisher)


def schedule(name: str, workshop_id: int, activity_id: int, publisher: Publisher) -> None:
    if event_loop_for_this_thread() is None:  # a script or a test, no server: publish now
        _publish_if_open(workshop_id, activity_id, publisher)
        return
    soon(
        (name, activity_id),
        lambda: flush(name, workshop_id, activity_id, publisher),
        RESULTS_INTERVAL,
    )


def publish_soon(name: str, workshop_id: int, activity_id: int, publisher: Publisher) -> None:
    """After the current transaction commits, publish the activity's results soon."""
    transaction.on_commit(lambda: schedule(name, workshop_id, activity_id, publisher))
