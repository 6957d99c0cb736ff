"""ASGI entry point: HTTP goes to Django, WebSockets to the realtime consumers."""

import gc
import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from realtime.auth import ParticipantAuthMiddlewareStack  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            ParticipantAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's full passes, which otherwise pause every socket (bench/RESULTS.md); and
# collect less often, so that short-lived garbage dies young instead of piling up into
# full collections (docs/adr/0008-garbage-collector-thresholds.md).
gc.freeze()
gc.set_threshold(*settings.GC_THRESHOLDS)
