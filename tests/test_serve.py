"""The default bake serves in production mode as it is: `make serve`, nothing to set.

Nothing beyond the generated .env and DJANGO_ALLOWED_HOSTS: the deploy checks
pass (the default cache is a database table every worker shares), the cache
table is created, the database migrated, and gunicorn answers.
"""

from __future__ import annotations

import http.client
import sqlite3

import pytest

from tests.servers import serving
from tests.steps import BIN

pytestmark = pytest.mark.slow


def test_make_serve_serves_the_default_bake(bake, tmp_path):
    project = bake()
    # The shared virtualenv stands in for the one `make` would install from the lock.
    installed = tmp_path / "installed"
    installed.touch()
    command = ["make", "serve", "PORT={port}", f"VENV={BIN.parent}", f"INSTALLED={installed}"]

    with serving(command, project, {"DJANGO_ALLOWED_HOSTS": "127.0.0.1"}, tmp_path / "log") as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/schema/")
        response = connection.getresponse()
        connection.close()

    log = (tmp_path / "log").read_text()
    assert "System check identified no issues" in log
    assert "Booting worker" in log
    # Production mode: plain http is sent to https.
    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{port}/api/schema/"
    with sqlite3.connect(project / "db.sqlite3") as database:
        tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master")}
    assert {"django_cache", "accounts_user"} <= tables
