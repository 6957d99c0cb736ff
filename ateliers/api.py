"""REST API (Django REST framework). It serves the same shapes as the WebSocket: the
snapshot a screen starts from is the one `GET /api/v1/ateliers/<id>/` returns."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from ateliers.errors import DomainError, NotFound
from ateliers.models import Workshop
from ateliers.permissions import can_facilitate
from ateliers.selectors import workshop_snapshot


def domain_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become 4xx with the same `code` the WebSocket sends."""
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "message": exc.message}, status=exc.status)
    return exception_handler(exc, context)


class WorkshopSnapshotView(APIView):
    """The whole visible state of a workshop, for its facilitators. Others get 404 whether
    or not the workshop exists, so ids reveal nothing."""

    def get(self, request: Request, pk: int) -> Response:
        workshop = Workshop.objects.select_related("challenge").filter(pk=pk).first()
        if workshop is None or not can_facilitate(request.user, workshop):
            raise NotFound()
        return Response(workshop_snapshot(workshop.pk).model_dump(mode="json"))
