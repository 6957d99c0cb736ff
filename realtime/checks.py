"""System checks for settings that would quietly disable a WebSocket defence."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def allowed_hosts_not_wildcard(app_configs: Any, **kwargs: Any) -> list[Error]:
    """`AllowedHostsOriginValidator` reuses ALLOWED_HOSTS: "*" would accept sockets opened
    by any web page (cross-site WebSocket hijacking)."""
    if "*" in settings.ALLOWED_HOSTS:
        return [
            Error(
                'ALLOWED_HOSTS contains "*": the WebSocket origin check would accept any site.',
                hint="List the public host names instead.",
                id="cocon.E001",
            )
        ]
    return []
