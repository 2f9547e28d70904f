"""Outages for real: the services of a served project stop, hang and come back.

A Redis variant runs against its own throwaway redis-server (never the
machine's shared one), which is stopped, frozen and started again. A
PostgreSQL variant reaches the machine's PostgreSQL through a forwarder on a
port of its own: while the forwarder is stopped, nothing listens there and
every connection is refused. Through it all clients get a 503 with
Retry-After within a few seconds, never a 500; the log says what failed; and
service resumes by itself when the server is back.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from tests import servers
from tests.servers import free_port, migrate_with_user, serving, throwaway_database
from tests.steps import BIN

pytestmark = [pytest.mark.slow, pytest.mark.server]

USERNAME = "outage-user"
PASSWORD = "a-long-outage-passphrase"
CREDENTIALS = {"username": USERNAME, "password": PASSWORD}
# Generous: "within about a second" on a loaded machine.
OUTAGE_SECONDS = 5
RECOVERY_SECONDS = 15
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    # Many logins in a row: only the outages are under test.
    "THROTTLE_LOGIN_RATE": "1000/minute",
}
GUNICORN = [str(BIN / "gunicorn"), "config.wsgi", "--config", "gunicorn.conf.py"]


def exchange(
    port: int, method: str, path: str, body: Any = None, token: str | None = None
) -> tuple[int, str | None, Any]:
    """Send one request (an outage may take its time); return the status, Retry-After and body."""
    status, headers, answer = servers.exchange(port, method, path, body, token, timeout=30)
    return status, headers.get("Retry-After"), answer


def assert_unavailable_quickly(port: int, method: str, path: str, body: Any = None) -> None:
    started = time.monotonic()
    status, retry_after, answer = exchange(port, method, path, body)
    elapsed = time.monotonic() - started

    assert (status, answer["code"]) == (503, "service_unavailable"), answer
    assert int(retry_after) > 0
    assert elapsed < OUTAGE_SECONDS


def log_in_once_back(port: int) -> dict[str, str]:
    """Log in as soon as the service is back; fail if it does not come back."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while True:
        status, _, answer = exchange(port, "POST", "/api/auth/token/", CREDENTIALS)
        if status == 200:
            return answer
        assert status == 503, answer
        assert time.monotonic() < deadline, "the service did not come back"
        time.sleep(0.2)


class ThrowawayRedis:
    """A redis-server of this test's own, on a free port, that can stop, freeze and restart."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def answers(self) -> bool:
        with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16) == b"+PONG\r\n"
        return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server cannot stop
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def freeze(self) -> None:
        """Hang: connections are taken (by the kernel) and never answered."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def throwaway_redis(tmp_path) -> Iterator[ThrowawayRedis]:
    redis = ThrowawayRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def test_redis_stopped_frozen_and_restarted(bake_for_the_run, throwaway_redis, tmp_path):
    project = bake_for_the_run(cache="redis")
    env = {**PRODUCTION, "REDIS_URL": f"redis://127.0.0.1:{throwaway_redis.port}/0"}
    migrate_with_user(project, "cache=redis", env, USERNAME, PASSWORD)
    log = tmp_path / "gunicorn.log"

    with serving([*GUNICORN, "--bind", "127.0.0.1:{port}"], project, env, log) as port:
        access = log_in_once_back(port)["access"]

        throwaway_redis.stop()
        assert_unavailable_quickly(port, "POST", "/api/auth/token/", CREDENTIALS)
        # The limits that only ration capacity let a signed-in client through.
        assert exchange(port, "GET", "/api/auth/me/", token=access)[0] == 200
        status, _, ready = exchange(port, "GET", "/readyz")
        assert (status, ready["down"]) == (503, ["cache"])
        assert exchange(port, "GET", "/healthz")[0] == 200

        throwaway_redis.start()
        log_in_once_back(port)

        throwaway_redis.freeze()
        assert_unavailable_quickly(port, "POST", "/api/auth/token/", CREDENTIALS)
        throwaway_redis.thaw()
        log_in_once_back(port)

    text = log.read_text()
    assert "The cache is unavailable (POST /api/auth/token/)" in text
    assert "The 'user' rate limit is not applied: the cache is unavailable" in text
    assert "Internal Server Error" not in text


class Forwarder:
    """A port of its own that passes connections on to ``target``; refused while stopped."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.port = free_port()
        self.target = target
        self.running = threading.Event()
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.1)
        self.running.set()
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener: socket.socket) -> None:
        with listener:
            while self.running.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                upstream = socket.create_connection(self.target)
                self.sockets += [client, upstream]
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)

    def stop(self) -> None:
        """Refuse new connections and cut the open ones, as a server going down does."""
        self.running.clear()
        time.sleep(0.2)  # the listener closes
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()


@pytest.fixture
def database() -> Iterator[str]:
    with throwaway_database() as name:
        yield name


def test_postgresql_refusing_connections_then_back(bake_for_the_run, database, tmp_path):
    project = bake_for_the_run(database="postgresql", cache="database")
    migrate_with_user(
        project, "db=postgresql", {"DATABASE_URL": f"postgres:///{database}"}, USERNAME, PASSWORD
    )
    forwarder = Forwarder(("127.0.0.1", 5432))
    env = {**PRODUCTION, "DATABASE_URL": f"postgres://127.0.0.1:{forwarder.port}/{database}"}
    log = tmp_path / "gunicorn.log"

    with serving([*GUNICORN, "--bind", "127.0.0.1:{port}"], project, env, log) as port:
        # Nothing listens at the database's address: every connection is refused.
        assert_unavailable_quickly(port, "POST", "/api/auth/token/", CREDENTIALS)
        status, _, ready = exchange(port, "GET", "/readyz")
        assert (status, ready["down"]) == (503, ["database", "cache"])
        assert exchange(port, "GET", "/healthz")[0] == 200

        forwarder.start()
        access = log_in_once_back(port)["access"]
        assert exchange(port, "GET", "/readyz")[0] == 200

        forwarder.stop()  # the worker's open connection is cut too
        assert_unavailable_quickly(port, "POST", "/api/auth/token/", CREDENTIALS)
        forwarder.start()
        log_in_once_back(port)
        assert exchange(port, "GET", "/api/auth/me/", token=access)[0] == 200
        forwarder.stop()

    text = log.read_text()
    assert "The database is unavailable (POST /api/auth/token/)" in text
    assert "Internal Server Error" not in text
