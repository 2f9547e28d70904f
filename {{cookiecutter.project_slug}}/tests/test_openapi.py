{%- set cookies = cookiecutter.token_storage != "header" -%}
{%- set body = cookiecutter.token_storage != "cookie" -%}
"""The OpenAPI description is true to every answer the API gives.

schemathesis sends requests generated from /api/schema/ to the project's own
WSGI application, authenticated with a real {% if body %}access token{% endif %}{% if body and cookies %} or {% endif %}{% if cookies %}access cookie{% endif %}, and checks
each answer against the description: its status code, headers (429's
Retry-After among them) and body; any 5xx fails. Requests that break the
description (a number where it says string, a string too long) must be
refused with a 4xx: the API accepts no more than the description allows. The whole token flow then
runs with real credentials, so every success answer is checked as well.
"""

import json
{%- if cookies %}
import secrets
from http.cookies import SimpleCookie
{%- endif %}
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
{%- if cookies %}
from django.conf import settings as django_settings
{%- endif %}
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.emails import password_reset_link
from config.wsgi import application
{%- if cookiecutter.email_verification != "none" %}
from email_verification import addresses
from email_verification.tokens import Claim, verification_link
{%- endif %}
from jwt_auth import revocation
{%- if cookies %}
from jwt_auth.cookies import ACCESS_COOKIE, REFRESH_COOKIE
{%- endif %}

{% if cookiecutter.passkeys -%}
from .authenticator import ORIGIN, RP_ID, Authenticator
{% endif -%}
from .helpers import PASSWORD, wait_for_mail

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
TRANSPORTS = [{% if body %}"bearer"{% endif %}{% if body and cookies %}, {% endif %}{% if cookies %}"cookie"{% endif %}]

# The description /api/schema/ serves, made here: a request at collection time
# would meet the throttles, whose counters need the database.
description = OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True))
schema = schemathesis.openapi.from_dict(json.loads(description))
schema.app = application
# Valid and invalid requests, a few per operation: fast enough for every `make test`.
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture(autouse=True)
def connection_kept_open():
    """Keep the test's database connection across requests, as Django's test client does."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def authenticated(case, transport, access):
    """``case``, authenticated with ``access`` the way ``transport`` sends it."""
{%- if body and cookies %}
    if transport == "bearer":
        case.headers["Authorization"] = f"Bearer {access}"
    else:
        case.headers.pop("Authorization", None)  # a made-up one would be read first
        with_csrf_token(case, {ACCESS_COOKIE: access})
{%- elif body %}
    case.headers["Authorization"] = f"Bearer {access}"
{%- else %}
    with_csrf_token(case, {ACCESS_COOKIE: access})
{%- endif %}
    return case
{%- if cookies %}


def with_csrf_token(case, cookies):
    """``case`` with ``cookies``, a CSRF cookie and the X-CSRFToken header that matches it."""
    token = secrets.token_hex(16)
    case.cookies = {**(case.cookies or {}), **cookies, django_settings.CSRF_COOKIE_NAME: token}
    case.headers["X-CSRFToken"] = token
    return case
{%- endif %}


@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_operation_answers_as_described(case, transport, user):
    # A login's token: it names the session that the login opened.
    access = str(revocation.open_session(user).access_token)

    authenticated(case, transport, access).call_and_validate(checks=CHECKS)
    # Mail is made in the background, with the random module: done before the next example.
    wait_for_mail()


def request(path, method="POST", body=None):
    """A request to ``path`` as the description defines it."""
    operation = schema[path][method]
    return operation.Case() if body is None else operation.Case(body=body)


def call(case):
    """Send ``case``; fail unless the answer matches the description."""
    return case.call_and_validate(checks=CHECKS)
{%- if cookies %}


def cookies_set_by(response):
    jar = SimpleCookie()
    for line in response.headers.get("set-cookie", []):
        jar.load(line)
    return {name: morsel.value for name, morsel in jar.items()}
{%- endif %}
{%- if body %}


@pytest.mark.django_db
def test_the_bearer_token_flow_answers_as_described(user):
    credentials = {"username": user.username, "password": PASSWORD}
    login = call(request("/api/auth/token/", body=credentials))
    tokens = login.json()

    assert login.status_code == 200
    verify = call(request("/api/auth/token/verify/", body={"token": tokens["access"]}))
    assert verify.status_code == 200
    me = call(authenticated(request("/api/auth/me/", "GET"), "bearer", tokens["access"]))
    assert me.status_code == 200
    refreshed = call(request("/api/auth/token/refresh/", body={"refresh": tokens["refresh"]}))
    assert refreshed.status_code == 200
    refresh = refreshed.json().get("refresh", tokens["refresh"])
    logout = call(request("/api/auth/logout/", body={"refresh": refresh}))
    assert logout.status_code == 204
    assert logout.content == b""
{%- endif %}
{%- if cookies %}


@pytest.mark.django_db
def test_the_cookie_flow_answers_as_described(user):
    credentials = {"username": user.username, "password": PASSWORD}
    login = call(with_csrf_token(request("/api/auth/token/", body=credentials), {}))
    jar = cookies_set_by(login)

    assert login.status_code == 200
    assert set(login.json()) == {"access_expires", "refresh_expires"}
    me = call(authenticated(request("/api/auth/me/", "GET"), "cookie", jar[ACCESS_COOKIE]))
    assert me.status_code == 200
    refreshed = call(with_csrf_token(request("/api/auth/token/refresh/"), jar))
    assert refreshed.status_code == 200
    assert "access" not in refreshed.json()
    jar.update(cookies_set_by(refreshed))
    logout = call(with_csrf_token(request("/api/auth/logout/"), jar))
    assert logout.status_code == 204
    assert logout.content == b""
    assert cookies_set_by(logout)[REFRESH_COOKIE] == ""
{%- endif %}


@pytest.mark.django_db
def test_the_password_flows_answer_as_described(user):
    """A password change (200 with fresh tokens), then a reset and its confirmation."""
    access = str(revocation.open_session(user).access_token)
    change = {"old_password": PASSWORD, "new_password": "a-new-long-passphrase"}
    change_request = request("/api/auth/password/change/", body=change)
    changed = call(authenticated(change_request, TRANSPORTS[0], access))
    assert changed.status_code == 200
    reset = call(request("/api/auth/password/reset/", body={"email": user.email}))
    assert reset.status_code == 202
    user.refresh_from_db()
    link = parse_qs(urlsplit(password_reset_link(user)).query)
    confirmation = {
        "uid": link["uid"][0],
        "token": link["token"][0],
        "new_password": "another-long-passphrase",
    }
    confirmed = call(request("/api/auth/password/reset/confirm/", body=confirmation))
    assert confirmed.status_code == 204

{%- if cookiecutter.passkeys %}


@pytest.mark.django_db
def test_the_passkey_flows_answer_as_described(user, settings):
    """Register a passkey, list and rename it, sign in with it, remove it."""
    settings.WEBAUTHN_RP_ID = RP_ID
    settings.WEBAUTHN_ORIGINS = [ORIGIN]
    authenticator = Authenticator()
    access = str(revocation.open_session(user).access_token)

    def signed_in(case):
        return authenticated(case, TRANSPORTS[0], access)

    options = call(signed_in(request("/api/auth/passkeys/register/options/"))).json()
    registration = {"credential": authenticator.create(options), "name": "Laptop"}
    created = call(signed_in(request("/api/auth/passkeys/register/", body=registration)))
    assert created.status_code == 201
    assert call(signed_in(request("/api/auth/passkeys/", "GET"))).status_code == 200
    one = schema["/api/auth/passkeys/{id}/"]
    rename = one["PATCH"].Case(path_parameters={"id": created.json()["id"]}, body={"name": "x"})
    assert call(signed_in(rename)).status_code == 200
    options = call(request("/api/auth/passkeys/login/options/")).json()
    assertion = {"credential": authenticator.get(options)}
{%- if cookiecutter.token_storage == "cookie" %}
    login = call(with_csrf_token(request("/api/auth/passkeys/login/", body=assertion), {}))
{%- else %}
    login = call(request("/api/auth/passkeys/login/", body=assertion))
{%- endif %}
    assert login.status_code == 200
    remove = one["DELETE"].Case(path_parameters={"id": created.json()["id"]})
    assert call(signed_in(remove)).status_code == 204
{%- endif %}

{%- if cookies %}


# Every path whose answer opens a session.
SIGN_IN_PATHS = [
    "/api/auth/token/",
{%- if cookiecutter.mfa %}
    "/api/auth/mfa/verify/",
{%- endif %}
{%- if cookiecutter.passkeys %}
    "/api/auth/passkeys/login/",
{%- endif %}
]


def test_the_csrf_header_and_the_cookies_set_are_described():
    paths = json.loads(description)["paths"]

    for path in SIGN_IN_PATHS:
        parameters = paths[path]["post"]["parameters"]
        headers = {parameter["name"] for parameter in parameters if parameter["in"] == "header"}
        assert "X-CSRFToken" in headers, path
    for path, method, status in [
        *((path, "post", "200") for path in SIGN_IN_PATHS),
        ("/api/auth/token/refresh/", "post", "200"),
        ("/api/auth/logout/", "post", "204"),
        ("/api/auth/password/change/", "post", "200"),
        ("/api/auth/csrf/", "get", "200"),
    ]:
        assert "Set-Cookie" in paths[path][method]["responses"][status]["headers"], path
{%- endif %}


{% if cookiecutter.email_verification != "none" -%}
@pytest.mark.django_db
def test_the_email_verification_flow_answers_as_described(user):
    """A change of address (202, pending), its link followed (204), a new link asked for (202)."""
    access = str(revocation.open_session(user).access_token)
    change_request = request("/api/auth/me/", "PATCH", body={"email": "new@example.com"})
    changed = call(authenticated(change_request, TRANSPORTS[0], access))
    assert changed.status_code == 202
    user.refresh_from_db()
    claim = Claim(user, addresses.state_of(user), "new@example.com")
    link = parse_qs(urlsplit(verification_link(claim)).query)
    proof = {"uid": link["uid"][0], "token": link["token"][0]}
    verified = call(request("/api/auth/email/verify/", body=proof))
    assert verified.status_code == 204
    resent = call(request("/api/auth/email/verify/resend/", body={"email": "new@example.com"}))
    assert resent.status_code == 202
    wait_for_mail()


{% endif -%}
def test_the_description_is_valid_openapi_without_a_warning(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
