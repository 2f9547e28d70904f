"""A cookie-mode project driven by a real headless Chromium.

The page is served on the API's own origin (Playwright answers for one URL
of the running server), so its fetch calls are same-origin, as an SPA's
would be. A second origin plays the attacker's site.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import migrate_with_user, serving

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
    env = {"DJANGO_DEBUG": "true"}
    migrate_with_user(project, "storage=cookie", env, USERNAME, PASSWORD)
    command = [sys.executable, "manage.py", "runserver", "127.0.0.1:{port}", "--noreload"]
    with serving(command, project, env, tmp_path / "runserver.log") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def browser_context(chromium_path) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser.new_context()
        browser.close()


def open_spa_and_log_in(context, origin: str):
    """Open the SPA page on the API's origin and log in; return the page and the response."""
    page = context.new_page()
    page.route(
        f"{origin}/spa/", lambda route: route.fulfill(body=SPA_PAGE, content_type="text/html")
    )
    page.goto(f"{origin}/spa/")
    page.evaluate("prepare()")
    login = page.evaluate(
        "([u, p]) => call('/api/auth/token/', 'POST', {username: u, password: p})",
        [USERNAME, PASSWORD],
    )
    assert login["status"] == 200
    return page, login


def test_an_spa_logs_in_refreshes_and_logs_out_without_seeing_a_token(browser_context, cookie_api):
    context = browser_context
    page, login = open_spa_and_log_in(context, cookie_api)

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


def test_a_cross_site_form_post_is_refused(browser_context, cookie_api):
    page, _login = open_spa_and_log_in(browser_context, cookie_api)
    port = cookie_api.rsplit(":", 1)[1]
    attacker = f"http://localhost:{port}/prize/"
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
