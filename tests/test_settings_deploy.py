"""Production settings pass Django's deployment checklist with no warning, and keep
secrets in the environment: run `manage.py check --deploy` as production would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "k" * 20 + "production-like-secret-key-of-length-60-with-variety-9f8e7d6c",
        "ALLOWED_HOSTS": "cocon.example.gouv.fr",
        "DATABASE_URL": "sqlite:////tmp/cocon-deploy-check.sqlite3",
        "REDIS_URL": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist_with_no_warning():
    done = deploy_check()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_without_https_cookies_the_checklist_warns():
    """The check can fail: plain-HTTP settings are reported."""
    done = deploy_check(SECURE_COOKIES="false")
    assert done.returncode != 0
    assert "SESSION_COOKIE_SECURE" in done.stdout + done.stderr


def test_production_refuses_to_start_without_a_secret_key():
    done = deploy_check(SECRET_KEY="")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stdout + done.stderr


def production_settings(**env: str) -> dict:
    """Settings as production loads them (config.settings, a clean environment)."""
    names = [
        "DEBUG",
        "SECRET_KEY",
        "SECURE_COOKIES",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "CONTENT_SECURITY_POLICY",
        "MIDDLEWARE",
        "DATABASES",
        "CHANNEL_LAYERS",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "from-the-environment-" + "x" * 40,
            "ALLOWED_HOSTS": "cocon.example.gouv.fr",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_cookies_are_secure_http_only_and_same_site():
    """Session, CSRF and the participants' device cookie (which follows SECURE_COOKIES)."""
    values = production_settings()
    assert values["SECURE_COOKIES"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000


def test_secrets_and_services_come_from_the_environment_only():
    """Nothing secret is written in the settings: the key, the database and Redis
    addresses are the environment's, and no development fallback exists with DEBUG off."""
    values = production_settings(
        DATABASE_URL="postgres://cocon:s3cret@db.internal:5432/cocon",
        REDIS_URL="redis://redis.internal:6379/0",
    )
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == "from-the-environment-" + "x" * 40
    database = values["DATABASES"]["default"]
    assert (database["HOST"], database["PASSWORD"]) == ("db.internal", "s3cret")
    layer = values["CHANNEL_LAYERS"]["default"]["CONFIG"]["hosts"][0]["address"]
    assert layer == "redis://redis.internal:6379/0"
    source = (ROOT / "config" / "settings.py").read_text()
    assert "s3cret" not in source and "redis.internal" not in source
    # The one literal key is the development one, and only with DEBUG on.
    assert source.count("insecure-development-key") == 1
    assert 'if DEBUG else ""' in source


def test_the_content_security_policy_is_on_in_production():
    values = production_settings()
    assert "csp.middleware.CSPMiddleware" in values["MIDDLEWARE"]
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


def test_compose_takes_every_secret_from_the_environment():
    """docker-compose.yml names its secrets and refuses to start without them."""
    compose = (ROOT / "docker-compose.yml").read_text()
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD"):
        for line in compose.splitlines():
            if line.strip().startswith(f"{name}:") or f":${{{name}" in line:
                assert f"${{{name}:?" in line, line
