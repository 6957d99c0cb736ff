"""The OpenAPI schema the app serves: generated without a warning, valid OpenAPI 3, and
its Swagger UI served from the app's own static files (no CDN)."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings_and_validates(tmp_path):
    """Any view the generator has to guess about (a warning) or an invalid schema fails."""
    out = tmp_path / "schema.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    schema = json.loads(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_is_served_and_lists_every_endpoint(client):
    response = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert set(paths["/api/v1/defis/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/defis/{id}/preuves/"]) == {"get", "post"}
    for path in (
        "/api/v1/defis/",
        "/api/v1/defis/{id}/ateliers/",
        "/api/v1/defis/{id}/preuves-synthese/",
        "/api/v1/ateliers/",
        "/api/v1/ateliers/{id}/",
        "/api/v1/ateliers/{id}/resultats/",
        "/api/v1/preuves/{id}/",
        "/api/v1/preuves/{id}/document/",
        "/api/v1/preuves/{id}/csv/",
        "/api/v1/preuves/{id}/pdf/",
    ):
        assert "get" in paths[path], path
    share = schema["components"]["schemas"]["Challenge"]["properties"]["self_financing_share"]
    assert share.get("nullable") is True


def test_swagger_ui_is_served_without_a_cdn(client):
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    # The start-up script is a file of its own (the CSP forbids inline scripts).
    script = client.get(reverse("api_docs") + "?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api_schema") in script.content.decode()
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200
