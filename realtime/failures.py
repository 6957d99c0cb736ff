"""What a database failure means for the person who sent the command.

A command that fails because PostgreSQL restarted, went read-only or ran out of disk was
not decided: nothing was written (the action's transaction rolled back, or committed
with its receipt, so a retry is answered from the receipt). The client keeps it in its
outbox and sends it again with the same `request_id`, so these failures are typed and
`retryable`, with a French message that says what happens next. Anything else stays an
`internal_error` (retryable too, but logged with its traceback: it is a bug).

Big screens learn about storage trouble even when they send nothing: `notify_screens`
pushes a `storage.alert` to the workshop's screens (through the channel layer, which does
not need the database), at most once per STORAGE_ALERT_EVERY seconds per workshop and
process. See docs/reliability.md.
"""

import asyncio
import logging
import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from realtime.events import StorageAlert
from realtime.fanout import SCREENS
from realtime.groups import workshop_group
from realtime.sender import send_now

logger = logging.getLogger(__name__)

UNAVAILABLE, READ_ONLY, FULL = "unavailable", "storage_read_only", "storage_full"
MESSAGES = {
    UNAVAILABLE: _("Base de données momentanément indisponible : votre envoi sera réessayé."),
    READ_ONLY: _(
        "Enregistrement impossible : la base de données est en lecture seule. Votre envoi "
        "est conservé et sera réessayé."
    ),
    FULL: _(
        "Enregistrement impossible : le disque du serveur est plein. Votre envoi est "
        "conservé et sera réessayé."
    ),
}
# What the big screen says (the rest of its alert is written by the page).
SCREEN_REASONS = {
    UNAVAILABLE: _("la base de données ne répond pas"),
    READ_ONLY: _("la base de données est en lecture seule"),
    FULL: _("le disque du serveur est plein"),
}
STORAGE_ALERT_EVERY = 5.0


@dataclass(frozen=True)
class Failure:
    code: str
    message: str
    retryable: bool = True


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes (Django wraps the driver's error in its own)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _sqlstate(chain: list[BaseException]) -> str:
    for error in chain:
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(state, str) and state:
            return state
    return ""


def _connection_error(chain: list[BaseException]) -> bool:
    """A lost or refused connection: the driver's, Django's, or the pool's timeout."""
    from django.db import utils

    kinds: tuple[type[BaseException], ...] = (utils.OperationalError, utils.InterfaceError)
    try:
        import psycopg

        kinds += (psycopg.OperationalError, psycopg.InterfaceError)
    except ImportError:  # SQLite only
        pass
    return any(isinstance(error, kinds) for error in chain)


def classify(exc: BaseException) -> Failure | None:
    """The typed failure of a database error, or None for anything else (a bug)."""
    chain = _chain(exc)
    state = _sqlstate(chain)
    if state == "25006":  # read_only_sql_transaction
        return Failure(READ_ONLY, str(MESSAGES[READ_ONLY]))
    if state == "53100":  # disk_full
        return Failure(FULL, str(MESSAGES[FULL]))
    # 08: connection exceptions; 57P01-03: admin/crash shutdown, cannot connect now;
    # 53300: too many connections. Or a dead connection that says nothing more.
    if (
        state.startswith("08")
        or state in {"57P01", "57P02", "57P03", "53300"}
        or (not state and _connection_error(chain))
    ):
        return Failure(UNAVAILABLE, str(MESSAGES[UNAVAILABLE]))
    return None


def drop_dead_connections() -> None:
    """After a lost connection, the pool's other idle connections are probably dead too
    (the server restarted): check them now, so the next commands get live ones instead
    of each failing once. Without a pool, drop this thread's connection if unusable."""
    connection = connections["default"]
    pool = getattr(connection, "pool", None)
    if pool is not None:
        pool.check()
    else:
        connection.close_if_unusable_or_obsolete()


async def recover(failure: Failure) -> None:
    """What the server does after a typed failure, before the client retries."""
    if failure.code != UNAVAILABLE:
        return
    try:
        await sync_to_async(drop_dead_connections, thread_sensitive=False)()
    except Exception:  # the server may still be down: the pool reconnects by itself
        logger.debug("database pool check failed", exc_info=True)


_last_alert: dict[tuple[int, str], float] = {}


async def notify_screens(workshop_id: int, failure: Failure) -> None:
    """Tell the workshop's big screens (at most every STORAGE_ALERT_EVERY seconds per
    workshop, code and process); never raises."""
    key = (workshop_id, failure.code)
    now = time.monotonic()
    if now - _last_alert.get(key, -STORAGE_ALERT_EVERY) < STORAGE_ALERT_EVERY:
        return
    _last_alert[key] = now
    alert = StorageAlert(
        code=failure.code, reason=str(SCREEN_REASONS[failure.code]), server_time=timezone.now()
    )
    try:
        await asyncio.wait_for(
            send_now(workshop_group(workshop_id), alert.model_dump_json(), SCREENS), 2.0
        )
    except Exception:
        logger.debug("storage alert not sent to workshop %s", workshop_id, exc_info=True)
