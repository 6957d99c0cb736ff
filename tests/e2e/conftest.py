"""Browser tests: a real Daphne process on the test database and Redis, driven by
Debian's Chromium through Playwright.

These run in their own pytest invocation (`pytest -m e2e`): sync Playwright keeps an
event loop running in the test thread, which would break the asyncio tests.
"""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _empty_channel_layer() -> None:
    """Overrides the suite's fixture. Sync Playwright keeps an event loop running in the
    test thread, and the layer holds connection pools of event loops that earlier
    server-side actions (tests.e2e.helpers.on_server) created and closed: empty Redis
    itself, with a plain client, rather than through the layer."""
    cache.clear()
    if settings.REDIS_URL:
        redis.Redis.from_url(settings.REDIS_URL).flushdb()
    else:
        worker = threading.Thread(target=lambda: asyncio.run(get_channel_layer().flush()))
        worker.start()
        worker.join()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture(scope="session")
def live_url(django_db_setup: None) -> Iterator[str]:
    """A real Daphne serving the app on the test database (what production runs)."""
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.test_settings",
        DATABASE_URL=database_url(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="false",
        DEBUG="false",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = open(ROOT / ".e2e-daphne.log", "w")  # noqa: SIM115 — closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "--websocket-max-message-size",
            "1048576",
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((ROOT / ".e2e-daphne.log").read_text()) from None
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("Daphne did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
