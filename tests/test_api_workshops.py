"""The REST snapshot of a workshop: same shape as the WebSocket's, same permissions."""

import json

import pytest
from django.urls import reverse

from realtime.events import Snapshot
from realtime.replay import sync_reply
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_facilitator_gets_the_same_snapshot_as_the_websocket(client, facilitator, live_workshop):
    client.force_login(facilitator)
    response = client.get(reverse("api_workshop", kwargs={"pk": live_workshop.pk}))
    assert response.status_code == 200
    from_api = Snapshot.model_validate(response.json())
    from_socket = Snapshot.model_validate(
        json.loads(sync_reply(live_workshop.pk, None, None))["snapshot"]
    )
    assert from_api.model_copy(update={"server_time": None}) == from_socket.model_copy(
        update={"server_time": None}
    )
    assert from_api.workshop.state == "live"


def test_anonymous_and_strangers_cannot_tell_a_workshop_exists(client, live_workshop):
    url = reverse("api_workshop", kwargs={"pk": live_workshop.pk})
    anonymous = client.get(url)  # not authenticated at all: told to bring a token
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    client.force_login(UserFactory())
    response = client.get(url)
    missing = client.get(reverse("api_workshop", kwargs={"pk": live_workshop.pk + 1000}))
    assert response.status_code == missing.status_code == 404
    assert (
        response.json()
        == missing.json()
        == {
            "code": "not_found",
            "message": "Cet élément n'existe pas dans cet atelier.",
        }
    )
