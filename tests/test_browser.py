"""Baked projects driven by a real headless Chromium.

One project per transport (header, cookie, and both for Swagger UI's bearer
flow) is baked and served once for the module, on http://localhost:<port>.
The browser app is a page served on a second origin, another port of
localhost, listed in DJANGO_CORS_ALLOWED_ORIGINS (and so in
WEBAUTHN_ORIGINS); a third origin, not listed, plays a site that must read
nothing and whose passkey answers are refused. A small static server in a
thread serves both pages. Passkeys come from a DevTools virtual
authenticator. The default bake is also served as production
serves it, by `make serve` behind a (pretend) TLS proxy, to see its admin and
its API docs styled by the static files it serves itself.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest

from tests.servers import SERVE_ENV, make_serve, migrate_with_user, serving

# Each project is baked and served once: the module runs on one xdist worker
# (tests/conftest.py, SERVER_MODULES).
pytestmark = [pytest.mark.slow, pytest.mark.server]

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

# The README's fetch flows, with every body the page reads kept in `seen`.
APP_PAGE = """<!doctype html>
<title>App</title>
<script>
const API = "%(api)s/api/auth";
const seen = [];
let access = null, refresh = null, csrfToken = null;

async function read(response) {
  const text = await response.text();
  seen.push(text);
  return {status: response.status, body: text ? JSON.parse(text) : null};
}

// Header transport
const postJson = (path, body) => fetch(`${API}${path}`, {
  method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
});
async function bearerLogIn(username, password) {
  const answer = await read(await postJson("/token/", {username, password}));
  ({access, refresh} = answer.body);
  return answer;
}
async function bearerRefresh() {
  const answer = await read(await postJson("/token/refresh/", {refresh}));
  if (answer.status === 200) {
    access = answer.body.access;
    refresh = answer.body.refresh ?? refresh;
  }
  return answer;
}
async function bearerApi(path) {
  const send = () => fetch(`${API}${path}`, {headers: {Authorization: `Bearer ${access}`}});
  let response = await send();
  if (response.status === 401 && (await bearerRefresh()).status === 200) response = await send();
  return read(response);
}
const bearerLogOut = async () => read(await postJson("/logout/", {refresh}));

// Cookie transport
const send = (path, method = "GET", body) => fetch(`${API}${path}`, {
  method, credentials: "include",
  headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken},
  body: body === undefined ? undefined : JSON.stringify(body),
});
async function cookieLogIn(username, password) {
  csrfToken = (await read(await fetch(`${API}/csrf/`, {credentials: "include"}))).body.csrf_token;
  return read(await send("/token/", "POST", {username, password}));
}
async function cookieApi(path) {
  let response = await send(path);
  if (response.status === 401 && (await send("/token/refresh/", "POST")).ok) {
    response = await send(path);
  }
  return read(response);
}
const cookieLogOut = async () => read(await send("/logout/", "POST"));

// Passkeys, through either transport's POST: the README's create() and get() calls
const bearerPost = (path, body = {}) => fetch(`${API}${path}`, {
  method: "POST",
  headers: {"Content-Type": "application/json", ...(access && {Authorization: `Bearer ${access}`})},
  body: JSON.stringify(body),
});
const cookiePost = (path, body = {}) => send(path, "POST", body);
async function addPasskey(post, name) {
  const options = (await read(await post("/passkeys/register/options/"))).body;
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
  });
  return read(await post("/passkeys/register/", {credential: credential.toJSON(), name}));
}
async function passkeyAnswer(options) {
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
  });
  return credential.toJSON();
}
async function signInWithPasskey(post) {
  const options = (await read(await post("/passkeys/login/options/"))).body;
  return read(await post("/passkeys/login/", {credential: await passkeyAnswer(options)}));
}
async function passkeyAsSecondStep(post, mfaToken) {
  const options = (await read(await post("/passkeys/login/options/"))).body;
  const credential = await passkeyAnswer(options);
  return read(await post("/mfa/verify/", {mfa_token: mfaToken, credential}));
}
async function bearerSignInWithPasskey() {
  const answer = await signInWithPasskey(bearerPost);
  ({access, refresh} = answer.body);
  return answer;
}
</script>
"""

# What a page manages to read from the API, sending cookies if `credentials` says so.
PROBE = """async ([api, credentials, username, password]) => {
  const attempts = [
    () => fetch(`${api}/api/auth/csrf/`, {credentials}),
    () => fetch(`${api}/api/auth/me/`, {credentials}),
    () => fetch(`${api}/api/auth/token/`, {
      method: "POST", credentials,
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({username, password}),
    }),
  ];
  const read = [];
  for (const attempt of attempts) {
    try { read.push(await (await attempt()).text()); } catch (error) { /* blocked */ }
  }
  return read;
}"""

ATTACKER_PAGE = """<!doctype html>
<title>Not the API</title>
<form method="post" action="{target}">
  <input name="username" value="attacker"><input name="password" value="x">
  <button id="go">Win a prize</button>
</form>
"""


class PageHandler(http.server.BaseHTTPRequestHandler):
    """Answer every GET with the server's one page."""

    def do_GET(self):
        body = self.server.page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class PageServer(http.server.ThreadingHTTPServer):
    """A static page on its own origin, http://localhost:<port>."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PageHandler)
        self.origin = f"http://localhost:{self.server_address[1]}"
        self.page = ""


def page_server() -> Iterator[PageServer]:
    with PageServer() as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server
        server.shutdown()


@pytest.fixture(scope="module")
def app_server() -> Iterator[PageServer]:
    """The browser app's origin, the one DJANGO_CORS_ALLOWED_ORIGINS lists."""
    yield from page_server()


@pytest.fixture(scope="module")
def unlisted_server() -> Iterator[PageServer]:
    yield from page_server()


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(chromium) -> Iterator:
    context = chromium.new_context()
    yield context
    context.close()


def serve_variant(
    cookies_session, tmp_path_factory, app_origin: str, storage: str
) -> Iterator[str]:
    """Bake ``storage``, migrate it, add a user; serve it on localhost for the module."""
    result = cookies_session.bake(extra_context={"token_storage": storage})
    assert result.exit_code == 0, result.exception
    project = Path(result.project_path)
    env = {
        "DJANGO_DEBUG": "true",
        "DJANGO_CORS_ALLOWED_ORIGINS": app_origin,
        "THROTTLE_LOGIN_RATE": "100/minute",
    }
    migrate_with_user(project, f"storage={storage}", env, USERNAME, PASSWORD)
    command = [sys.executable, "manage.py", "runserver", "localhost:{port}", "--noreload"]
    log = tmp_path_factory.mktemp(storage) / "runserver.log"
    with serving(command, project, env, log) as port:
        yield f"http://localhost:{port}"


@pytest.fixture(scope="module")
def header_api(cookies_session, tmp_path_factory, app_server) -> Iterator[str]:
    yield from serve_variant(cookies_session, tmp_path_factory, app_server.origin, "header")


@pytest.fixture(scope="module")
def cookie_api(cookies_session, tmp_path_factory, app_server) -> Iterator[str]:
    yield from serve_variant(cookies_session, tmp_path_factory, app_server.origin, "cookie")


@pytest.fixture(scope="module")
def both_api(cookies_session, tmp_path_factory, app_server) -> Iterator[str]:
    yield from serve_variant(cookies_session, tmp_path_factory, app_server.origin, "both")


@pytest.fixture(scope="module")
def production_api(cookies_session, tmp_path_factory) -> Iterator[str]:
    """The default bake under `make serve`, behind one proxy that terminates TLS."""
    result = cookies_session.bake()
    assert result.exit_code == 0, result.exception
    logs = tmp_path_factory.mktemp("production")
    env = {**SERVE_ENV, "NUM_PROXIES": "1"}
    with serving(make_serve(logs), Path(result.project_path), env, logs / "log") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def behind_the_proxy(chromium) -> Iterator:
    """A browser whose requests reach the project as the proxy passes them on: https."""
    context = chromium.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
    yield context
    context.close()


def open_page(context, server: PageServer, html: str):
    server.page = html
    page = context.new_page()
    page.goto(f"{server.origin}/")
    return page


def open_app(context, app_server: PageServer, api: str):
    return open_page(context, app_server, APP_PAGE % {"api": api})


def test_an_app_on_another_origin_runs_the_bearer_flow(context, app_server, header_api):
    page = open_app(context, app_server, header_api)

    login = page.evaluate("([u, p]) => bearerLogIn(u, p)", [USERNAME, PASSWORD])
    assert login["status"] == 200
    assert set(login["body"]) == {"access", "refresh"}
    me = page.evaluate("bearerApi('/me/')")
    assert me == {"status": 200, "body": me["body"]}
    assert me["body"]["username"] == USERNAME

    page.evaluate("access = 'expired'")  # the next call is a 401, then refresh and retry
    assert page.evaluate("bearerApi('/me/')")["status"] == 200
    assert page.evaluate("access") != "expired"

    assert page.evaluate("bearerLogOut()")["status"] == 204
    assert page.evaluate("bearerRefresh()")["status"] == 401


def test_an_app_on_another_origin_runs_the_cookie_flow_without_seeing_a_token(
    context, app_server, cookie_api
):
    page = open_app(context, app_server, cookie_api)

    login = page.evaluate("([u, p]) => cookieLogIn(u, p)", [USERNAME, PASSWORD])
    assert login["status"] == 200
    assert set(login["body"]) == {"access_expires", "refresh_expires"}
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    access, refresh = cookies["access_token"], cookies["refresh_token"]
    assert access["httpOnly"]
    assert refresh["httpOnly"]
    assert access["sameSite"] == refresh["sameSite"] == "Lax"
    assert refresh["path"] == "/api/auth/"
    me = page.evaluate("cookieApi('/me/')")
    assert me["status"] == 200
    assert me["body"]["username"] == USERNAME

    context.clear_cookies(name="access_token")  # the next call is a 401, then refresh and retry
    assert page.evaluate("cookieApi('/me/')")["status"] == 200
    tokens = [c["value"] for c in context.cookies() if c["name"].endswith("_token")]
    assert len(tokens) == 2

    assert page.evaluate("cookieLogOut()")["status"] == 204
    assert page.evaluate("cookieApi('/me/')")["status"] == 401
    readable = [*page.evaluate("seen"), page.evaluate("document.cookie")]
    for token in [access["value"], refresh["value"], *tokens]:
        assert not [text for text in readable if token in text]
    assert not [text for text in readable if "eyJ" in text]


@pytest.mark.parametrize(
    ("api", "credentials"), [("header_api", "omit"), ("cookie_api", "include")]
)
def test_a_page_on_an_unlisted_origin_reads_no_answer(
    context, app_server, unlisted_server, api, credentials, request
):
    origin = request.getfixturevalue(api)
    probe = [origin, credentials, USERNAME, PASSWORD]

    assert (
        open_page(context, unlisted_server, "<title>Elsewhere</title>").evaluate(PROBE, probe) == []
    )
    assert (
        len(open_app(context, app_server, origin).evaluate(PROBE, probe)) == 3
    )  # the listed one reads


def test_a_cross_site_form_post_is_refused(context, app_server, cookie_api):
    target = f"{cookie_api}/api/auth/logout/"
    attacker = f"http://127.0.0.1:{urlsplit(cookie_api).port}/prize/"
    page = open_app(context, app_server, cookie_api)
    assert page.evaluate("([u, p]) => cookieLogIn(u, p)", [USERNAME, PASSWORD])["status"] == 200

    page = context.new_page()
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
    page = open_app(context, app_server, cookie_api)
    page.evaluate("csrfToken = 'unused-by-get'")
    assert page.evaluate("cookieApi('/me/')")["status"] == 200


def test_swagger_ui_renders_with_every_other_host_blocked(context, header_api):
    api_host = urlsplit(header_api).netloc
    elsewhere = []

    def only_the_api(route):
        if urlsplit(route.request.url).netloc == api_host:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page = context.new_page()
    page.route("**/*", only_the_api)
    page.goto(f"{header_api}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)

    assert elsewhere == []
    assert page.locator(".opblock-summary-path", has_text="/api/auth/token/").count() >= 1
    schema = json.loads(page.evaluate("JSON.stringify(ui.specSelectors.specJson().toJS())"))
    assert "jwtAuth" in schema["components"]["securitySchemes"]


def try_it_out(page, method: str, path: str, body: str | None = None) -> tuple[int, str]:
    """Run one operation through Swagger UI's "Try it out"; return the status and the body."""
    operation = page.locator(f".opblock-{method}").filter(
        has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
    )
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    if body is not None:
        operation.locator("textarea.body-param__text").fill(body)
    operation.locator(".execute").click()
    response = operation.locator(".live-responses-table .response")
    response.wait_for()
    status = int(response.locator(".response-col_status").inner_text().strip())
    return status, response.locator(".response-col_description pre").first.inner_text()


def test_swagger_ui_try_it_out_runs_the_bearer_flow_in_both_mode(context, both_api):
    """Swagger UI holds the CSRF cookie yet sends no X-CSRFToken: login answers with JSON."""
    page = context.new_page()
    page.goto(f"{both_api}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")

    credentials = json.dumps({"username": USERNAME, "password": PASSWORD})
    status, body = try_it_out(page, "post", "/api/auth/token/", credentials)
    assert status == 200
    page.evaluate("access => ui.preauthorizeApiKey('jwtAuth', access)", json.loads(body)["access"])
    status, body = try_it_out(page, "get", "/api/auth/me/")

    assert status == 200
    assert json.loads(body)["username"] == USERNAME


def add_virtual_authenticator(context, page) -> None:
    """Give ``page``'s tab a platform authenticator, as DevTools emulates one.

    It keeps discoverable passkeys and verifies the user at once, as a
    fingerprint would; it stays with the tab when the tab navigates.
    """
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def open_app_with_a_passkey(context, app_server: PageServer, api: str, log_in: str, post: str):
    """The app, signed in with the password, after registering a passkey."""
    page = open_app(context, app_server, api)
    add_virtual_authenticator(context, page)
    assert page.evaluate(f"([u, p]) => {log_in}(u, p)", [USERNAME, PASSWORD])["status"] == 200
    added = page.evaluate(f"addPasskey({post}, 'Chromium')")
    assert added["status"] == 201, added
    assert set(added["body"]) == {"id", "name", "created"}
    return page


def test_an_app_signs_in_with_a_passkey_alone_in_the_bearer_flow(context, app_server, header_api):
    page = open_app_with_a_passkey(context, app_server, header_api, "bearerLogIn", "bearerPost")
    assert page.evaluate("bearerLogOut()")["status"] == 204
    page.evaluate("access = refresh = null")

    login = page.evaluate("bearerSignInWithPasskey()")

    assert login["status"] == 200
    assert set(login["body"]) == {"access", "refresh"}
    me = page.evaluate("bearerApi('/me/')")
    assert me["status"] == 200
    assert me["body"]["username"] == USERNAME


def test_an_app_signs_in_with_a_passkey_alone_in_the_cookie_flow_without_seeing_a_token(
    context, app_server, cookie_api
):
    page = open_app_with_a_passkey(context, app_server, cookie_api, "cookieLogIn", "cookiePost")
    assert page.evaluate("cookieLogOut()")["status"] == 204
    assert page.evaluate("cookieApi('/me/')")["status"] == 401

    login = page.evaluate("signInWithPasskey(cookiePost)")

    assert login["status"] == 200
    assert set(login["body"]) == {"access_expires", "refresh_expires"}
    me = page.evaluate("cookieApi('/me/')")
    assert me["status"] == 200
    assert me["body"]["username"] == USERNAME
    tokens = [c["value"] for c in context.cookies() if c["name"].endswith("_token")]
    assert len(tokens) == 2
    readable = [*page.evaluate("seen"), page.evaluate("document.cookie")]
    for token in tokens:
        assert not [text for text in readable if token in text]
    assert not [text for text in readable if "eyJ" in text]


def test_an_app_uses_a_passkey_as_the_second_step_after_a_password(context, app_server, header_api):
    page = open_app_with_a_passkey(context, app_server, header_api, "bearerLogIn", "bearerPost")
    started = page.evaluate("bearerPost('/mfa/totp/').then(read)")
    code = pyotp.TOTP(started["body"]["secret"]).now()
    confirmed = page.evaluate("code => bearerPost('/mfa/totp/confirm/', {code}).then(read)", code)
    assert confirmed["status"] == 200

    try:
        first = page.evaluate(
            "([u, p]) => postJson('/token/', {username: u, password: p}).then(read)",
            [USERNAME, PASSWORD],
        )
        second = page.evaluate(
            "t => passkeyAsSecondStep(bearerPost, t)", first["body"]["mfa_token"]
        )
    finally:
        # The module's other tests sign this user in with the password alone: MFA off
        # again, with the token of the sign-in that turned it on, whatever happened.
        turned_off = page.evaluate(
            "() => fetch(`${API}/mfa/totp/`, {method: 'DELETE', "
            "headers: {Authorization: `Bearer ${access}`}}).then(r => r.status)"
        )

    assert first["body"]["methods"] == ["totp", "recovery_code", "passkey"]
    assert second["status"] == 200, second
    assert set(second["body"]) == {"access", "refresh"}
    assert turned_off == 204


def test_a_passkey_used_on_an_unlisted_origin_is_refused(
    context, app_server, unlisted_server, header_api
):
    """The same passkey, RP ID and browser: only the page's origin differs."""
    page = open_app_with_a_passkey(context, app_server, header_api, "bearerLogIn", "bearerPost")
    unlisted_server.page = APP_PAGE % {"api": header_api}
    page.goto(f"{unlisted_server.origin}/")  # the same tab keeps its authenticator
    options = page.request.post(f"{header_api}/api/auth/passkeys/login/options/").json()

    credential = page.evaluate("passkeyAnswer", options)
    refused = page.request.post(
        f"{header_api}/api/auth/passkeys/login/", data={"credential": credential}
    )

    assert refused.status == 400
    assert refused.json()["code"] == "origin_not_allowed"


# A style that the page's stylesheets set, and that an unstyled page does not have.
BACKGROUND = "selector => getComputedStyle(document.querySelector(selector)).backgroundColor"
UNSTYLED = "rgba(0, 0, 0, 0)"


def stylesheets_of(page, url: str) -> list:
    """Open ``url`` in ``page``; return the responses for its stylesheets."""
    sheets = []
    page.on(
        "response",
        lambda response: (
            sheets.append(response) if response.request.resource_type == "stylesheet" else None
        ),
    )
    page.goto(url)
    return sheets


def assert_served_for_a_year(sheets: list) -> None:
    """Each stylesheet found, compressed, and cached for good under its hashed name."""
    assert sheets
    for sheet in sheets:
        assert sheet.status == 200, sheet.url
        headers = sheet.headers
        assert headers["cache-control"] == "max-age=315360000, public, immutable", sheet.url
        assert headers.get("content-encoding") == "gzip", sheet.url


def test_the_admin_is_styled_under_make_serve(behind_the_proxy, production_api):
    page = behind_the_proxy.new_page()
    sheets = stylesheets_of(page, f"{production_api}/admin/login/")

    assert_served_for_a_year(sheets)
    assert page.evaluate(BACKGROUND, "#header") not in (UNSTYLED, "")
    unstyled = behind_the_proxy.new_page()
    unstyled.route("**/*.css", lambda route: route.abort())
    unstyled.goto(f"{production_api}/admin/login/")
    assert unstyled.evaluate(BACKGROUND, "#header") == UNSTYLED


def test_the_api_docs_are_styled_under_make_serve(behind_the_proxy, production_api):
    page = behind_the_proxy.new_page()
    sheets = stylesheets_of(page, f"{production_api}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)  # its scripts ran

    assert_served_for_a_year(sheets)
    assert page.evaluate(BACKGROUND, ".opblock-post .opblock-summary-method") != UNSTYLED
