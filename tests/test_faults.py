"""Writes survive what goes wrong around them: concurrent retries of one command, and a
channel layer that cannot be reached."""

import socket
import threading

import pytest
from django.db import connection
from django.test import override_settings

from participation import actions
from participation.models import Contribution
from realtime.events import SyncReply
from realtime.models import CommandReceipt, WorkshopEvent
from realtime.replay import sync_reply

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
