"""EXPERIMENTS ONLY: `config.asgi`'s application with optional probes, never used by the product.

Serve it with `BENCH_ASGI_APP=bench.asgi_probe:application bench/run.sh …` and:

- `BENCH_GC_LOG=1`: log every garbage collection that pauses the process for at least
  `BENCH_GC_LOG_MS` (default 20) milliseconds, with its generation, to Daphne's log. A
  pause stops the event loop, so every socket of the process waits for it.
- `BENCH_GC_THRESHOLD=a,b,c`: `gc.set_threshold(a, b, c)` once the application is imported.
- `BENCH_GC_FREEZE=1`: `gc.freeze()` once the application is imported, so that the
  objects made at start-up (Django, Twisted, the URL map…) are no longer traversed by
  every full collection.
- `BENCH_NO_DISPATCH_HOP=1`: drop the `await aclose_old_connections()` that Channels 4
  (`channels.consumer.AsyncConsumer.dispatch`) runs before every handler, including
  each broadcast forwarded to each socket. It is thread-sensitive, so it queues on the
  process's single sync thread behind every consumer's database work; this measures
  what that costs on the broadcast path. It is a measurement, not a fix: handlers that
  touch the database still go through `database_sync_to_async`, which closes stale
  connections on its own.
"""

import gc
import logging
import os
import time
from typing import Any

import channels.consumer

logger = logging.getLogger("bench.probe")


def _log_long_collections(threshold_ms: float) -> None:
    started: dict[str, float] = {}

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started["at"] = time.perf_counter()
            return
        pause_ms = (time.perf_counter() - started.get("at", time.perf_counter())) * 1000
        if pause_ms >= threshold_ms:
            logger.warning(
                "gc pause %.1f ms (generation %s, %s collected)",
                pause_ms,
                info.get("generation"),
                info.get("collected"),
            )

    gc.callbacks.append(callback)


async def _no_hop() -> None:
    return None


if os.environ.get("BENCH_GC_LOG") == "1":
    _log_long_collections(float(os.environ.get("BENCH_GC_LOG_MS", "20")))
if os.environ.get("BENCH_NO_DISPATCH_HOP") == "1":
    channels.consumer.aclose_old_connections = _no_hop  # type: ignore[assignment]

from config.asgi import application  # noqa: E402

if os.environ.get("BENCH_GC_THRESHOLD"):
    gc.set_threshold(*(int(n) for n in os.environ["BENCH_GC_THRESHOLD"].split(",")))
if os.environ.get("BENCH_GC_FREEZE") == "1":
    gc.collect()
    gc.freeze()

__all__ = ["application"]
