"""REST API (Django REST framework). It serves the same shapes as the WebSocket: the
snapshot a screen starts from is the one `GET /api/v1/ateliers/<id>/` returns."""

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from ateliers.errors import DomainError, Forbidden
from ateliers.models import Workshop
from ateliers.permissions import can_facilitate
from ateliers.selectors import workshop_snapshot


def domain_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become 4xx with the same `code` the WebSocket sends."""
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "message": exc.message}, status=exc.status)
    return exception_handler(exc, context)


class WorkshopSnapshotView(APIView):
    """The whole visible state of a workshop, for its facilitators."""

    def get(self, request: Request, pk: int) -> Response:
        workshop = get_object_or_404(Workshop.objects.select_related("challenge"), pk=pk)
        if not can_facilitate(request.user, workshop):
            raise Forbidden()
        return Response(workshop_snapshot(workshop.pk).model_dump(mode="json"))
