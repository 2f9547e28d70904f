"""Run a baked project's server in the background for a test, on a free port."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.steps import BIN, run_step

STARTUP_SECONDS = 30
# What a project needs set for `make serve` beyond its generated .env: its host
# name, and the pages of the app that its emails link to (check --deploy
# refuses http://localhost).
SERVE_ENV = {
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "PASSWORD_RESET_URL": "https://app.example.com/reset-password?uid={uid}&token={token}",
    "EMAIL_VERIFY_URL": "https://app.example.com/verify-email?uid={uid}&token={token}",
    # Not needed, but one worker answers these tests and starts in a third of the time.
    "WEB_CONCURRENCY": "1",
}


def make_serve(tmp_path: Path) -> list[str]:
    """`make serve` on ``{port}``, with the shared virtualenv as the one make would install.

    It runs as a user's make does, not as a sub-make of the template's `make
    test`: that one's MAKEFLAGS would hand it its command-line variables
    (`make test PYTHON=...` would set the baked Makefile's PYTHON).
    """
    installed = tmp_path / "installed"
    installed.touch()
    own_make = ["env", "-u", "MAKEFLAGS", "-u", "MFLAGS", "-u", "MAKELEVEL", "make"]
    return [*own_make, "serve", "PORT={port}", f"VENV={BIN.parent}", f"INSTALLED={installed}"]


# Migrate, then add the superuser that DJANGO_SUPERUSER_* name: one Django start, not two.
SET_UP = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', verbosity=0); call_command('createsuperuser', interactive=False)"
)


def migrate_with_user(
    project: Path, name: str, env: Mapping[str, str], username: str, password: str
) -> None:
    """Migrate the project's database and create one user to log in with."""
    run_step(
        project,
        name,
        "migrate and createsuperuser",
        [sys.executable, "-c", SET_UP],
        {
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SUPERUSER_USERNAME": username,
            "DJANGO_SUPERUSER_PASSWORD": password,
            "DJANGO_SUPERUSER_EMAIL": f"{username}@example.com",
        },
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def exchange(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, http.client.HTTPMessage, Any]:
    """Send one JSON request to 127.0.0.1:``port``; return the status, headers and JSON body."""
    headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = None if body is None else json.dumps(body)
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, response.headers, json.loads(content) if content else {}
    finally:
        connection.close()


def request(port: int, method: str, path: str, *args: Any, **kwargs: Any) -> tuple[int, Any]:
    """As ``exchange``: the status and the JSON body."""
    status, _, body = exchange(port, method, path, *args, **kwargs)
    return status, body


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new PostgreSQL database for the block (its name), dropped after it."""
    name = f"throwaway_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)


@contextmanager
def serving(
    command: Sequence[str], project: Path, env: Mapping[str, str], log: Path
) -> Iterator[int]:
    """Start ``command`` (with ``{port}`` in it) in ``project``; yield the port once it answers.

    The command runs in its own process group, all of which is stopped at the
    end: `make serve` leaves gunicorn running if only make is stopped.
    """
    port = free_port()
    with (
        log.open("wb") as output,
        subprocess.Popen(
            [part.format(port=port) for part in command],
            cwd=project,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ) as server,
    ):
        try:
            wait_until_serving(port, server, log)
            yield port
        finally:
            os.killpg(server.pid, signal.SIGTERM)


def wait_until_serving(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    """Return once the server answers its liveness probe, /healthz (it touches nothing)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited:\n{log.read_text()}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise AssertionError(
        f"the server did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}"
    )
