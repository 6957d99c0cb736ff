from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Temps réel"

    def ready(self) -> None:
        from realtime import checks  # noqa: F401 — registers the system checks
