"""Production settings pass Django's deployment checklist with no warning, and keep
secrets in the environment: run `manage.py check --deploy` as production would."""

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
