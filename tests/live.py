"""Test helpers that speak the WebSocket protocol to the real ASGI application."""

import json
from typing import Any

from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from participation.devices import signed_device_token
from realtime.events import EVENT_TYPES

ORIGIN = (b"origin", b"http://localhost")


def phone_communicator(workshop_id: int, device_token: str | None) -> WebsocketCommunicator:
    headers = [ORIGIN]
    if device_token is not None:
        cookie = f"{settings.PARTICIPANT_COOKIE_NAME}={signed_device_token(device_token)}"
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/ateliers/{workshop_id}/phone/", headers)


def session_cookie(user: Any) -> str:
    """Log a user in through Django's own client and return the session cookie header."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def screen_communicator(workshop_id: int, cookie: str | None) -> WebsocketCommunicator:
    headers = [ORIGIN]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/ateliers/{workshop_id}/screen/", headers)


async def send(communicator: WebsocketCommunicator, message: dict[str, Any]) -> None:
    await communicator.send_to(text_data=json.dumps(message))


DOMAIN_EVENTS = frozenset(cls.model_fields["type"].default for cls in EVENT_TYPES)


async def receive(
    communicator: WebsocketCommunicator, wanted: str, timeout: float = 5
) -> dict[str, Any]:
    """The next message of type `wanted`; fails on a close or on any other reply.

    Presence updates are skipped. Waiting for a reply (ack, error…), domain events are
    skipped too: a reply and the broadcast of its own event are not ordered.
    """
    while True:
        message = await _next_message(communicator, wanted, timeout)
        if message["type"] == wanted:
            return message
        if message["type"] == "presence":
            continue
        if wanted not in DOMAIN_EVENTS and message["type"] in DOMAIN_EVENTS:
            continue
        raise AssertionError(f"expected {wanted}, got {message}")


async def _next_message(
    communicator: WebsocketCommunicator, wanted: str, timeout: float
) -> dict[str, Any]:
    """The next message, with the events of a phone's batches taken one by one."""
    queued: list[dict[str, Any]] = communicator.__dict__.setdefault("_batched", [])
    if queued:
        return queued.pop(0)
    output = await communicator.receive_output(timeout)
    if output["type"] == "websocket.close":
        raise AssertionError(f"socket closed with {output.get('code')} waiting for {wanted}")
    message = json.loads(output["text"])
    if message["type"] == "batch":
        queued.extend(message["events"])
        return queued.pop(0)
    return message


async def receive_close(communicator: WebsocketCommunicator, timeout: float = 5) -> int:
    """Read until the server closes the socket; return the close code."""
    while True:
        output = await communicator.receive_output(timeout)
        if output["type"] == "websocket.close":
            return output.get("code", 1000)


async def synced(communicator: WebsocketCommunicator, last_seq: int | None = None) -> dict:
    await send(communicator, {"type": "sync", "last_seq": last_seq})
    return await receive(communicator, "sync")


def forget_all_groups() -> None:
    """What a Redis restart without persistence does: every group membership is gone."""
    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).flushall()
    else:
        get_channel_layer().groups.clear()
