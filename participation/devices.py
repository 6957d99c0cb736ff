"""The device cookie that ties a phone to its participants, without an account.

Joining is an HTTP POST (a WebSocket cannot set a cookie): it draws a random device
token, signs it with a timestamp and sets it HttpOnly and SameSite=Lax. The WebSocket
only reads it. An expired or tampered cookie reads as no device at all.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

SALT = "cocon.participation.device"


def device_hash(device_token: str) -> str:
    """Only a digest of the device token is stored: a database leak cannot impersonate."""
    return hashlib.sha256(device_token.encode()).hexdigest()


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def read_device_token(cookie_value: str | None) -> str | None:
    """The device token if the cookie is authentic and not expired, else None."""
    if not cookie_value:
        return None
    try:
        return signing.TimestampSigner(salt=SALT).unsign(
            cookie_value, max_age=settings.PARTICIPANT_COOKIE_MAX_AGE
        )
    except signing.BadSignature:
        return None


def device_token_from_request(request: HttpRequest) -> str | None:
    return read_device_token(request.COOKIES.get(settings.PARTICIPANT_COOKIE_NAME))


def signed_device_token(device_token: str) -> str:
    """The cookie value: the token with a timestamped signature."""
    return signing.TimestampSigner(salt=SALT).sign(device_token)


def set_device_cookie(response: HttpResponse, device_token: str) -> None:
    response.set_cookie(
        settings.PARTICIPANT_COOKIE_NAME,
        signed_device_token(device_token),
        max_age=settings.PARTICIPANT_COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.SECURE_COOKIES,
        samesite="Lax",
    )
