"""Settings for the test suite: the real settings, with a throw-away secret key.

Databases and channel layer still come from DATABASE_URL / REDIS_URL, which `make test`
points at a real PostgreSQL and Redis started for the run.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from config.settings import *  # noqa: F403
