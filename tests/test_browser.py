"""A cookie-mode project driven by a real headless Chromium.

The page is served on the API's own origin (Playwright answers for one URL
of the running server), so its fetch calls are same-origin, as an SPA's
would be. A second origin plays the attacker's site.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.variants import run_step

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERNAME = "browser-user"
PASSWORD = "a-long-browser-passphrase"

SPA_PAGE = """<!doctype html>
<title>SPA</title>
<script>
let csrfToken = null;
async function call(path, method = "GET", body) {
  const headers = {"Content-Type": "application/json"};
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {status: response.status, body: await response.text()};
}
async function prepare() {
  csrfToken = (await (await fetch("/api/auth/csrf/")).json()).csrf_token;
}
</script>
"""

ATTACKER_PAGE = """<!doctype html>
<title>Not the API</title>
<form method="post" action="{target}">
  <input name="username" value="attacker"><input name="password" value="x">
  <button id="go">Win a prize</button>
</form>
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"runserver exited:\n{log.read_text()}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            connection.request("GET", "/api/auth/csrf/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise AssertionError(f"runserver did not answer within 30 s:\n{log.read_text()}")


@pytest.fixture
def chromium_path() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def cookie_api(bake, tmp_path) -> Iterator[str]:
    """A baked cookie-mode project, migrated, with one user, served on localhost."""
    project: Path = bake(token_storage="cookie")
    python = sys.executable
    env = {"DJANGO_DEBUG": "true"}
    run_step(project, "storage=cookie", "migrate", [python, "manage.py", "migrate", "-v0"], env)
    run_step(
        project,
        "storage=cookie",
        "createsuperuser",
        [python, "manage.py", "createsuperuser", "--noinput"],
        {
            **env,
            "DJANGO_SUPERUSER_USERNAME": USERNAME,
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
            "DJANGO_SUPERUSER_EMAIL": "browser@example.com",
        },
    )
    port = free_port()
    log = tmp_path / "runserver.log"
    with (
        log.open("wb") as output,
        subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=project,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        ) as server,
    ):
        try:
            wait_until_serving(port, server, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()


def test_an_spa_logs_in_refreshes_and_logs_out_without_seeing_a_token(chromium_path, cookie_api):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.route(
            f"{cookie_api}/spa/",
            lambda route: route.fulfill(body=SPA_PAGE, content_type="text/html"),
        )
        page.goto(f"{cookie_api}/spa/")
        page.evaluate("prepare()")

        login = page.evaluate(
            "([u, p]) => call('/api/auth/token/', 'POST', {username: u, password: p})",
            [USERNAME, PASSWORD],
        )
        assert login["status"] == 200
        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        access, refresh = cookies["access_token"], cookies["refresh_token"]
        assert access["httpOnly"]
        assert refresh["httpOnly"]
        assert access["sameSite"] == refresh["sameSite"] == "Lax"
        assert refresh["path"] == "/api/auth/"
        for token in (access["value"], refresh["value"]):
            assert token not in login["body"]
            assert token not in page.evaluate("document.cookie")
        assert "eyJ" not in page.evaluate("document.cookie")

        me = page.evaluate("call('/api/auth/me/')")
        assert me["status"] == 200
        assert json.loads(me["body"])["username"] == USERNAME

        refreshed = page.evaluate("call('/api/auth/token/refresh/', 'POST')")
        assert refreshed["status"] == 200
        assert "eyJ" not in refreshed["body"]
        new_access = {c["name"]: c for c in context.cookies()}["access_token"]["value"]
        assert new_access != access["value"]
        assert page.evaluate("call('/api/auth/me/')")["status"] == 200

        logout = page.evaluate("call('/api/auth/logout/', 'POST')")
        assert logout["status"] == 204
        assert "access_token" not in {cookie["name"] for cookie in context.cookies()}
        assert page.evaluate("call('/api/auth/me/')")["status"] == 401
        browser.close()


def test_a_cross_site_form_post_is_refused(chromium_path, cookie_api):
    from playwright.sync_api import sync_playwright

    port = cookie_api.rsplit(":", 1)[1]
    attacker = f"http://localhost:{port}/prize/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(
            f"{cookie_api}/spa/",
            lambda route: route.fulfill(body=SPA_PAGE, content_type="text/html"),
        )
        page.goto(f"{cookie_api}/spa/")
        page.evaluate("prepare()")
        login = page.evaluate(
            "([u, p]) => call('/api/auth/token/', 'POST', {username: u, password: p})",
            [USERNAME, PASSWORD],
        )
        assert login["status"] == 200

        target = f"{cookie_api}/api/auth/logout/"
        page.route(
            attacker,
            lambda route: route.fulfill(
                body=ATTACKER_PAGE.format(target=target), content_type="text/html"
            ),
        )
        page.goto(attacker)
        with page.expect_response(target) as forged:
            page.click("#go")
        assert forged.value.status == 403

        page.goto(f"{cookie_api}/spa/")
        assert page.evaluate("call('/api/auth/me/')")["status"] == 200
        browser.close()
