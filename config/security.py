"""The Permissions-Policy header, which neither Django 5.2 nor django-csp sets.

A few lines rather than a dependency: the header is a fixed string built once from
settings.PERMISSIONS_POLICY (feature -> allowed origins, empty = denied everywhere).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.deprecation import MiddlewareMixin


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`camera=(), fullscreen=(self)` from `{"camera": [], "fullscreen": ["self"]}`."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware(MiddlewareMixin):
    """Adds Permissions-Policy to every response that does not set its own (sync and
    async capable, like the rest of the stack, so it costs no thread hop under ASGI)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response
