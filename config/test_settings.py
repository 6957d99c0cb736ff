"""Settings for the test suite: the real settings, with a throw-away secret key.

Databases and channel layer still come from DATABASE_URL / REDIS_URL, which `make test`
points at a real PostgreSQL and Redis started for the run.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from config.settings import *  # noqa: F403

# Connections opened by consumer threads close after each call, so the test database
# can be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The test client speaks plain HTTP: no redirect to HTTPS (tests/test_settings_deploy.py
# checks the production values).
SECURE_SSL_REDIRECT = False
