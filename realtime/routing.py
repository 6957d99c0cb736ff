"""WebSocket URLs: one socket per device and workshop, as a phone or as a big screen."""

from django.urls import re_path

from realtime.consumers import WorkshopConsumer

websocket_urlpatterns = [
    re_path(
        r"^ws/ateliers/(?P<workshop_id>\d{1,18})/(?P<role>phone|screen)/$",
        WorkshopConsumer.as_asgi(),
    ),
]
