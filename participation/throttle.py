"""Slowing down join-code guessing.

Only wrong codes count, per client address, so a venue whose phones share one address
is not slowed down by people typing the right code. With 25^6 possible codes and
WRONG_CODES_ALLOWED per WINDOW, finding an open workshop by guessing is impractical.
"""

from django.core.cache import cache
from django.http import HttpRequest

WRONG_CODES_ALLOWED = 60
WINDOW = 600  # seconds


def _key(request: HttpRequest) -> str:
    return f"join:wrong:{request.META.get('REMOTE_ADDR', '')}"


def wrong_codes_exhausted(request: HttpRequest) -> bool:
    return cache.get(_key(request), 0) >= WRONG_CODES_ALLOWED


def count_wrong_code(request: HttpRequest) -> None:
    key = _key(request)
    if not cache.add(key, 1, WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW)
