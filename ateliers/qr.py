"""The join QR code, drawn by segno as inline SVG (no image request, no data URI)."""

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def join_url(request: HttpRequest, join_code: str) -> str:
    path = reverse("join_workshop", kwargs={"code": join_code})
    return (
        f"{settings.PUBLIC_URL}{path}" if settings.PUBLIC_URL else request.build_absolute_uri(path)
    )


def qr_svg(url: str, title: str = "QR code pour rejoindre l'atelier") -> str:
    """Medium error correction survives a projector's glare; dark on white for contrast."""
    return segno.make(url, error="m").svg_inline(
        scale=10,
        dark="#161616",
        light="#ffffff",
        omitsize=True,
        title=title,
    )
