"""Two servers of one PostgreSQL + Redis project behave as one API.

Each instance is gunicorn with two workers, in production mode, against the
same database and the same Redis: four processes that must agree on tokens,
on the blacklist, on ended sessions (a replayed refresh token's included) and
on the throttle counts.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from tests.matrix import COOKIECUTTER_JSON
from tests.servers import migrate_with_user, request, serving, throwaway_database
from tests.steps import BIN

# The two servers start once: the module runs on one xdist worker
# (tests/conftest.py, SERVER_MODULES).
pytestmark = [pytest.mark.slow, pytest.mark.server]

USERNAME = "twin-user"
PASSWORD = "a-long-twin-passphrase"
LOGIN_LIMIT = int(COOKIECUTTER_JSON["login_throttle_rate"].split("/")[0])
REVOCATION_LAG_SECONDS = 1


@pytest.fixture(scope="module")
def twin_servers(bake_for_the_run, tmp_path_factory) -> Iterator[tuple[int, int]]:
    """Two instances behind one (pretend) proxy: X-Forwarded-For names the client."""
    slug = f"twin_{uuid.uuid4().hex[:8]}"
    project = bake_for_the_run(project_slug=slug, database="postgresql", cache="redis")
    logs = tmp_path_factory.mktemp("twin-logs")
    with throwaway_database() as database, ExitStack() as stack:
        env = {
            "DATABASE_URL": f"postgres:///{database}",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "JWT_REVOCATION_LAG_SECONDS": str(REVOCATION_LAG_SECONDS),
            # Any later replay of a rotated-out refresh token ends its session.
            "JWT_REFRESH_REUSE_GRACE_SECONDS": "0",
            "NUM_PROXIES": "1",
            # Counted per day, the burst below cannot straddle two windows (but at midnight).
            "THROTTLE_LOGIN_RATE": f"{LOGIN_LIMIT}/day",
            # Only the per-client login limit is under test: failed logins per account are not.
            "THROTTLE_LOGIN_ACCOUNT_RATE": "",
        }
        migrate_with_user(project, slug, env, USERNAME, PASSWORD)
        command = [str(BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--bind"]
        a, b = (
            stack.enter_context(
                serving([*command, "127.0.0.1:{port}"], project, env, logs / f"{name}.log")
            )
            for name in ("a", "b")
        )
        yield a, b


def test_two_instances_share_tokens_sessions_and_throttle_counts(twin_servers):
    """Requests without X-Forwarded-For: the proxy's own address is the client."""
    a, b = twin_servers
    credentials = {"username": USERNAME, "password": PASSWORD}

    status, tokens = request(a, "POST", "/api/auth/token/", credentials)
    assert status == 200
    assert request(b, "GET", "/api/auth/me/", token=tokens["access"])[0] == 200

    assert request(a, "GET", "/api/auth/me/", token=tokens["access"])[0] == 200

    assert request(b, "POST", "/api/auth/logout/", {"refresh": tokens["refresh"]})[0] == 204
    assert request(a, "POST", "/api/auth/token/refresh/", {"refresh": tokens["refresh"]})[0] == 401
    time.sleep(REVOCATION_LAG_SECONDS + 0.2)
    for port in (a, b, a, b):
        assert request(port, "GET", "/api/auth/me/", token=tokens["access"])[0] == 401

    wrong = {"username": USERNAME, "password": "wrong"}
    statuses = [
        request((a, b)[attempt % 2], "POST", "/api/auth/token/", wrong)[0]
        for attempt in range(LOGIN_LIMIT - 1)
    ]
    assert 429 not in statuses
    assert request(b, "POST", "/api/auth/token/", wrong)[0] == 429
    assert request(a, "POST", "/api/auth/token/", credentials)[0] == 429


def test_a_burst_across_both_instances_lets_exactly_the_login_rate_through(twin_servers):
    a, b = twin_servers
    attempts = 40
    client = {"X-Forwarded-For": "198.51.100.7"}
    wrong = {"username": USERNAME, "password": "wrong"}

    def attempt(number: int) -> int:
        return request((a, b)[number % 2], "POST", "/api/auth/token/", wrong, headers=client)[0]

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = list(pool.map(attempt, range(attempts)))

    assert statuses.count(401) == LOGIN_LIMIT
    assert statuses.count(429) == attempts - LOGIN_LIMIT


def test_a_replayed_refresh_token_ends_its_session_on_both_instances(twin_servers):
    a, b = twin_servers
    client = {"X-Forwarded-For": "198.51.100.9"}
    credentials = {"username": USERNAME, "password": PASSWORD}
    refresh = "/api/auth/token/refresh/"

    stolen = request(a, "POST", "/api/auth/token/", credentials, headers=client)[1]
    status, newest = request(b, "POST", refresh, {"refresh": stolen["refresh"]}, headers=client)
    assert status == 200
    for port in (a, b, a, b):  # every worker learns the session is open
        assert request(port, "GET", "/api/auth/me/", token=newest["access"])[0] == 200

    status, replay = request(a, "POST", refresh, {"refresh": stolen["refresh"]}, headers=client)
    assert (status, replay["code"]) == (401, "token_reused")
    assert request(b, "POST", refresh, {"refresh": newest["refresh"]}, headers=client)[0] == 401
    time.sleep(REVOCATION_LAG_SECONDS + 0.2)
    for port in (a, b, a, b):
        assert request(port, "GET", "/api/auth/me/", token=newest["access"])[0] == 401
