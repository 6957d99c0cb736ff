"""Run a job at most once per interval per key, in the event loop of this process.

Votes arrive by the hundred per second; their tallies need not. After a vote commits,
`soon(key, job)` runs `job` (a synchronous database function) now if it has not run for
that key within `interval`, else once at the end of the interval: the first vote after a
quiet spell shows at once, a burst costs one run per interval. Without an event loop (a
management command, a test calling actions directly) the job runs at once.
"""

import asyncio
import contextvars
import logging
import math
import time
import weakref
from collections.abc import Callable, Hashable

from channels.db import database_sync_to_async
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from realtime.sender import event_loop_for_this_thread

logger = logging.getLogger(__name__)

Job = Callable[[], None]
RETRY_S = 2.0  # a job that failed for want of a database (realtime.failures) runs again


class _Pacer:
    """The pending and last runs of each key, for one event loop."""

    def __init__(self) -> None:
        self.pending: dict[Hashable, asyncio.Task[None]] = {}
        self.last_run: dict[Hashable, float] = {}

    def schedule(self, key: Hashable, job: Job, interval: float) -> None:
        if key in self.pending:
            return  # the pending run will see this change too
        wait = self.last_run.get(key, 0.0) + interval - time.monotonic()
        task = asyncio.get_running_loop().create_task(self.run(key, job, max(0.0, wait)))
        self.pending[key] = task

    async def run(self, key: Hashable, job: Job, wait: float) -> None:
        if wait:
            await asyncio.sleep(wait)
        # Leave the pending slot before reading: a change committed from now on
        # schedules the next run instead of being missed.
        del self.pending[key]
        self.last_run[key] = time.monotonic()
        try:
            await database_sync_to_async(job)()
        except Exception as exc:
            from realtime.failures import classify

            if classify(exc) is None:
                logger.exception("coalesced job %s failed", key)
                return
            # The database restarting, read-only or full: run again later, or the last
            # change before the outage (the last vote's tally) would never be shown.
            logger.warning("coalesced job %s failed (%s): again in %s s", key, exc, RETRY_S)
            self.schedule(key, job, RETRY_S)


_pacers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pacer]" = (
    weakref.WeakKeyDictionary()
)


def _schedule(loop: asyncio.AbstractEventLoop, key: Hashable, job: Job, interval: float) -> None:
    pacer = _pacers.get(loop)
    if pacer is None:
        pacer = _pacers[loop] = _Pacer()
    pacer.schedule(key, job, interval)


def soon(key: Hashable, job: Job, interval: float) -> None:
    """Run `job` for `key` now or at the end of the current interval (see module doc)."""
    loop = event_loop_for_this_thread()
    if loop is None:
        job()
        return
    # A fresh context: the caller's (a sync_to_async thread) marks the database thread as
    # busy, and a task inheriting that would refuse to use it.
    loop.call_soon_threadsafe(_schedule, loop, key, job, interval, context=contextvars.Context())


def claim(key: str, seconds: float) -> bool:
    """Take `key` for `seconds` across server processes; False if another holds it.

    Django's cache rounds timeouts down to whole seconds on Redis (0.5 s would be 0, an
    add that never holds), so on Redis this sets the key with a millisecond expiry
    itself; other caches (the in-process one of `make run`) get the next whole second.
    """
    store = caches["default"]
    if not isinstance(store, RedisCache):
        return store.add(key, 1, timeout=math.ceil(seconds))
    redis_key = store.make_and_validate_key(key)
    client = store._cache.get_client(redis_key, write=True)
    return bool(client.set(redis_key, 1, nx=True, px=int(seconds * 1000)))
