"""Health check for the proxy and the orchestrator: the database answers, or 503."""

from django.db import connection
from django.http import HttpRequest, JsonResponse


def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "degraded", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})
