"""Shared fixtures. Under `make test` the database is a real PostgreSQL and the channel
layer a real Redis (scripts/with-services.sh); COCON_REQUIRE_REAL_SERVICES makes the run
fail rather than quietly fall back to SQLite or the in-process layer."""

import os

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from ateliers import actions
from tests.factories import ChallengeFactory, UserFactory


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("COCON_REQUIRE_REAL_SERVICES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
        if "postgresql" not in engine or "channels_redis" not in backend:
            raise pytest.UsageError(
                f"real services required, got {engine} and {backend}: run `make test`"
            )


@pytest.fixture(autouse=True)
def _empty_channel_layer() -> None:
    """Each test starts with no leftover group memberships, queued messages or cached
    counters (the join-code throttle), and with a channel layer of its own: channels-redis
    keeps asyncio locks that belong to the event loop that first used them, so a lock a
    previous test's loop left held would refuse every later test's receive."""
    cache.clear()
    async_to_sync(get_channel_layer().flush)()
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _fresh_database_pool(request: pytest.FixtureRequest):
    """After a test that ran real sockets (a transactional test), the process's database
    pool is closed and starts afresh: each test's event loop brings its own threads, and
    connections they still held would otherwise pile up, test after test, until the pool
    (DB_POOL_MAX_SIZE) refuses every later test."""
    yield
    marker = request.node.get_closest_marker("django_db")
    connection = connections["default"]
    pooled = connection.alias in getattr(connection, "_connection_pools", {})
    if pooled and marker is not None and marker.kwargs.get("transaction"):
        connection.close()
        connection.close_pool()


@pytest.fixture
def facilitator(db):
    return UserFactory()


@pytest.fixture
def challenge(facilitator):
    return ChallengeFactory(leads=[facilitator])


@pytest.fixture
def workshop(facilitator, challenge):
    """A draft workshop with its first (ideation) activity, made the way the page makes it."""
    return actions.workshop_create(
        user=facilitator, challenge=challenge, title="Atelier test", prompt="Vos idées ?"
    )


@pytest.fixture
def live_workshop(facilitator, workshop):
    actions.workshop_start(user=facilitator, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    return workshop
