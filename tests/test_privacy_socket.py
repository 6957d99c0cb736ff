"""A phone whose person was erased while its page stayed open: its socket is told it no
longer belongs to the workshop, instead of retrying forever."""

import pytest
from channels.db import database_sync_to_async as db

from participation import actions
from participation.models import Contribution, Participant
from participation.privacy import participant_erase
from participation.selectors import participant_for_device
from tests.live import receive, receive_close, send, synced
from tests.test_consumers_workshop import open_phone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def joined(live_workshop):
    actions.participant_join(workshop=live_workshop, device_token="erased", profile="usager")
    return live_workshop


async def test_an_erased_participant_open_socket_gets_not_joined_and_is_closed(joined):
    """The next command from an erased person's open page is refused as `not_joined`
    (not retried as a server error) and its socket closes with 4401; nothing is written."""
    workshop = joined
    phone = await open_phone(workshop, "erased")
    await synced(phone)
    participant = await db(participant_for_device)(workshop.pk, "erased")
    await db(participant_erase)(participant=participant)

    await send(
        phone,
        {
            "type": "contribution.create",
            "request_id": "after-erase",
            "activity_id": workshop.current_activity_id,
            "body": "Encore une idée",
        },
    )
    error = await receive(phone, "error")
    assert (error["code"], error["request_id"], error["retryable"]) == (
        "not_joined",
        "after-erase",
        False,
    )
    assert await receive_close(phone) == 4401
    assert not await db(Participant.objects.filter(workshop=workshop).exists)()
    assert not await db(Contribution.objects.filter(activity__workshop=workshop).exists)()
