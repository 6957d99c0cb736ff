"""Writes survive what goes wrong around them: concurrent retries of one command, a
channel layer that cannot be reached, and a database that drops its connections, goes
read-only or runs out of disk (docs/reliability.md)."""

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from channels.db import database_sync_to_async as db
from django.db import connection
from django.db.utils import OperationalError
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from participation import actions
from participation.models import Contribution
from realtime import coalesce
from realtime.events import SyncReply
from realtime.failures import FULL, READ_ONLY, UNAVAILABLE, classify
from realtime.models import CommandReceipt, WorkshopEvent
from realtime.replay import sync_reply
from tests.live import receive, send, session_cookie, synced
from tests.test_consumers_workshop import idea, open_phone, open_screen

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_retries_of_one_command_are_applied_once(live_workshop):
    """Two devices of one participant (or a double tap and a reconnect) racing with the
    same request_id, against the real database in parallel transactions."""
    participant = actions.participant_join(
        workshop=live_workshop, device_token="double-tap", profile="usager"
    )
    results, errors = [], []

    def post(request_id: str) -> None:
        try:
            results.append(
                actions.contribution_create(
                    participant=participant,
                    activity_id=live_workshop.current_activity_id,
                    body="Une seule fois",
                    request_id=request_id,
                )
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    request_ids = [f"r{n % 2}" for n in range(8)]
    threads = [threading.Thread(target=post, args=(rid,)) for rid in request_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Contribution.objects.count() == 2  # two distinct request ids
    assert CommandReceipt.objects.count() == 2
    assert len(results) == 8
    assert sum(not r.replayed for r in results) == 2  # 6 of 8 answered from a receipt
    assert {r.result["contribution_id"] for r in results} == set(
        Contribution.objects.values_list("pk", flat=True)
    )
    seqs = sorted(
        WorkshopEvent.objects.filter(workshop=live_workshop).values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_write_commits_and_is_caught_up_later_when_redis_is_unreachable(live_workshop):
    participant = actions.participant_join(
        workshop=live_workshop, device_token="no-redis", profile="agent"
    )
    unreachable = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": f"redis://127.0.0.1:{closed_port()}/0",
                        "socket_connect_timeout": 1,
                    }
                ]
            },
        }
    }
    with override_settings(CHANNEL_LAYERS=unreachable):
        outcome = actions.contribution_create(
            participant=participant,
            activity_id=live_workshop.current_activity_id,
            body="Écrite pendant la panne",
        )
    assert Contribution.objects.get().body == "Écrite pendant la panne"
    reply = SyncReply.model_validate_json(sync_reply(live_workshop.pk, outcome.seq - 1, None))
    assert [e["contribution"]["body"] for e in reply.events] == ["Écrite pendant la panne"]


# Database faults ---------------------------------------------------------------------------
# Injected with a trigger on the table a command writes to, in the test database only: it
# raises the SQLSTATE PostgreSQL itself raises when it is read-only (25006) or out of disk
# (53100), or has the backend terminate itself mid-insert, as a restart or
# pg_terminate_backend does to every connection.
FAULTS = {
    READ_ONLY: "RAISE EXCEPTION 'read-only (injected)' USING ERRCODE = '25006'",
    FULL: "RAISE EXCEPTION 'could not extend file (injected)' USING ERRCODE = '53100'",
    UNAVAILABLE: "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(1)",
}


@contextmanager
def fault(table: str, code: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION cocon_fault() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {FAULTS[code]}; RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER cocon_fault BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cocon_fault()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS cocon_fault ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS cocon_fault()")


def start_fault(table: str, code: str) -> Any:
    manager = fault(table, code)
    manager.__enter__()
    return manager


def stop_fault(manager: Any) -> None:
    manager.__exit__(None, None, None)


@pytest.fixture
def phone_token(live_workshop):
    actions.participant_join(workshop=live_workshop, device_token="phone-f", profile="usager")
    return "phone-f"


@pytest.mark.parametrize("code", [READ_ONLY, FULL, UNAVAILABLE])
async def test_a_storage_failure_is_a_typed_retryable_error_and_the_retry_lands_once(
    live_workshop, facilitator, phone_token, code
):
    """The phone gets the failure's own code, retryable; the socket stays open; the big
    screen is told; once the database is back the same request_id is applied once."""
    screen = await open_screen(live_workshop, await db(session_cookie)(facilitator))
    await synced(screen)
    phone = await open_phone(live_workshop, phone_token)
    await synced(phone)
    command = idea(live_workshop, body="Pendant la panne", request_id="req-fault")

    injected = await db(start_fault)("participation_contribution", code)
    try:
        await send(phone, command)
        error = await receive(phone, "error", timeout=10)
        alert = await receive(screen, "storage.alert", timeout=10)
    finally:
        await db(stop_fault)(injected)

    assert (error["code"], error["retryable"], error["request_id"]) == (code, True, "req-fault")
    assert "réessayé" in error["message"]
    assert alert["code"] == code and alert["reason"]
    assert await db(Contribution.objects.count)() == 0

    await send(phone, command)  # the phone's outbox resends the same command
    first = await receive(phone, "ack", timeout=10)
    await send(phone, command)  # and once more, as if the ack had been lost
    second = await receive(phone, "ack", timeout=10)
    assert first["result"] == second["result"]
    assert await db(Contribution.objects.count)() == 1
    assert await db(CommandReceipt.objects.filter(request_id="req-fault").count)() == 1
    await phone.disconnect()
    await screen.disconnect()


@pytest.fixture
def test_backend_pid(live_workshop) -> int:
    """The test's own connection, which the simulated restart spares (the teardown needs it)."""
    connection.ensure_connection()
    return connection.connection.info.backend_pid


async def test_connections_killed_by_a_restart_are_replaced_and_commands_recover(
    live_workshop, phone_token, test_backend_pid
):
    """Every idle connection of the pool dies (what a PostgreSQL restart does): each
    command either lands or gets `unavailable`, and resending recovers within a few
    tries, without ever applying one twice."""
    phone = await open_phone(live_workshop, phone_token)
    await synced(phone)
    for n in range(3):  # warm the pool: several idle connections
        await send(phone, idea(live_workshop, body=f"Avant {n}", request_id=f"before-{n}"))
        await receive(phone, "ack")

    def kill_others() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
                [test_backend_pid],
            )
            return cursor.fetchone()[0]

    assert await db(kill_others)() >= 1
    codes = []
    for n in range(5):
        command = idea(live_workshop, body=f"Après {n}", request_id=f"after-{n}")
        for _attempt in range(5):
            await send(phone, command)
            reply = await receive_reply(phone)
            if reply["type"] == "ack":
                break
            codes.append(reply["code"])
            assert reply["retryable"]
        assert reply["type"] == "ack", codes
    assert set(codes) <= {UNAVAILABLE}
    assert len(codes) <= 2  # the pool was checked after the first failure
    assert await db(Contribution.objects.count)() == 8
    await phone.disconnect()


async def receive_reply(communicator) -> dict:
    while True:
        message = await receive_any(communicator)
        if message["type"] in ("ack", "error"):
            return message


async def receive_any(communicator) -> dict:
    import json

    output = await communicator.receive_output(10)
    assert output["type"] != "websocket.close", output
    return json.loads(output["text"])


def test_classify_names_database_failures_and_nothing_else():
    """Connection loss, read-only and full disk are typed; other errors are bugs."""
    lost = OperationalError("server closed the connection unexpectedly")
    lost.__cause__ = psycopg.OperationalError("server closed the connection unexpectedly")
    assert classify(lost).code == UNAVAILABLE
    assert classify(psycopg.errors.AdminShutdown("terminating connection")).code == UNAVAILABLE
    assert classify(psycopg.errors.ReadOnlySqlTransaction("read-only")).code == READ_ONLY
    assert classify(psycopg.errors.DiskFull("no space left")).code == FULL
    assert classify(psycopg.errors.UniqueViolation("duplicate")) is None
    assert classify(ValueError("bug")) is None


@pytest.mark.parametrize("code", [READ_ONLY, FULL])
def test_the_api_answers_503_with_the_same_code_and_the_retry_succeeds(
    facilitator, challenge, code
):
    """A REST write that cannot be stored gets 503, the WebSocket's code and Retry-After."""
    client = APIClient()
    client.force_authenticate(facilitator)
    url = reverse("api_challenge", kwargs={"pk": challenge.pk})
    with fault("ateliers_challenge", code):
        refused = client.patch(url, {"problem": "Pendant la panne"}, format="json")
    assert refused.status_code == 503
    assert refused.json()["code"] == code
    assert refused["Retry-After"] == "5"
    challenge.refresh_from_db()
    assert challenge.problem != "Pendant la panne"
    assert client.patch(url, {"problem": "Après"}, format="json").status_code == 200


async def test_a_coalesced_job_that_meets_a_storage_failure_runs_again(monkeypatch):
    """The tally after the last vote before an outage is shown once the database is back,
    even if no vote follows (realtime.coalesce retries storage failures)."""
    monkeypatch.setattr(coalesce, "RETRY_S", 0.05)
    runs: list[str] = []

    def tally() -> None:
        runs.append("run")
        if len(runs) < 3:
            raise psycopg.errors.ReadOnlySqlTransaction("read-only (injected)")

    coalesce._Pacer().schedule(("tally", 1), tally, 0.0)
    for _ in range(50):
        if len(runs) >= 3:
            break
        await asyncio.sleep(0.05)
    assert len(runs) == 3
