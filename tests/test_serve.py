"""The default bake serves in production mode as it is: `make serve`.

Nothing beyond the generated .env, DJANGO_ALLOWED_HOSTS and the pages the
emails link to (tests.servers.SERVE_ENV): the deploy checks pass (the default cache is a
database table every worker shares), the cache table is created, the
database migrated, the static files collected, and gunicorn answers without
a warning. (tests/test_browser.py sees the admin and the API docs styled.)
"""

from __future__ import annotations

import http.client
import sqlite3

import pytest

from tests.servers import SERVE_ENV, make_serve, request, serving

pytestmark = [pytest.mark.slow, pytest.mark.server]

FORGED = {"X-Forwarded-Proto": "https"}


def test_make_serve_serves_the_default_bake(bake, tmp_path):
    project = bake()

    with serving(make_serve(tmp_path), project, SERVE_ENV, tmp_path / "log") as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        # No proxy (NUM_PROXIES=0): a client's claim to https changes nothing.
        connection.request("GET", "/admin/login/", headers=FORGED)
        page = connection.getresponse()
        connection.close()
        login = request(port, "POST", "/api/auth/token/", {"username": "a"}, headers=FORGED)
        health = [request(port, "GET", path)[0] for path in ("/healthz", "/readyz")]

    log = (tmp_path / "log").read_text()
    assert "System check identified no issues" in log
    assert "Booting worker" in log
    assert "Warning:" not in log  # Python's warnings, WhiteNoise's "No directory at" among them
    assert "[WARNING]" not in log  # gunicorn's
    assert (project / "staticfiles" / "staticfiles.json").is_file()
    # Production mode: pages for people are sent to https, the API refuses plain http.
    assert page.status == 301
    assert page.getheader("Location") == f"https://127.0.0.1:{port}/admin/login/"
    assert login[0] == 403
    assert login[1]["code"] == "https_required"
    assert health == [200, 200]  # probes come over plain http
    with sqlite3.connect(project / "db.sqlite3") as database:
        tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master")}
    assert {"django_cache", "accounts_user"} <= tables
