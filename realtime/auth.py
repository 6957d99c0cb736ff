"""WebSocket authentication: the facilitator's session and the participant's device cookie."""

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.middleware import BaseMiddleware
from django.conf import settings

from participation.devices import read_device_token


class DeviceTokenMiddleware(BaseMiddleware):
    """Put the verified device token (or None) in `scope["device_token"]`.

    Runs inside channels' cookie middleware, which has parsed `scope["cookies"]`.
    """

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        cookie_value = scope.get("cookies", {}).get(settings.PARTICIPANT_COOKIE_NAME)
        scope = dict(scope, device_token=read_device_token(cookie_value))
        return await super().__call__(scope, receive, send)


def ParticipantAuthMiddlewareStack(inner: Any) -> Any:  # noqa: N802 — mirrors channels' naming
    return AuthMiddlewareStack(DeviceTokenMiddleware(inner))
