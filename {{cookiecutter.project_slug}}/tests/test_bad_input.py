"""No input is a 5xx: deep JSON, scalar bodies, malformed claims; every error page is JSON."""

import json

import pytest
from django.test import Client
from django.urls import get_resolver
from rest_framework_simplejwt.state import token_backend

from .helpers import PASSWORD, authenticate, log_in, logout_with, me, refresh_with

pytestmark = pytest.mark.django_db

DEEP_JSON = "[" * 100_000 + "]" * 100_000
BODY_ENDPOINTS = [
    "/api/auth/token/",
{%- if cookiecutter.token_storage != "cookie" %}
    "/api/auth/token/refresh/",
{%- endif %}
    "/api/auth/token/verify/",
{%- if cookiecutter.token_storage != "cookie" %}
    "/api/auth/logout/",
{%- endif %}
{%- if cookiecutter.user_registration %}
    "/api/auth/register/",
{%- endif %}
]


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
def test_deeply_nested_json_is_a_parse_error_not_a_500(api_client, path):
    response = api_client.post(path, DEEP_JSON, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
{%- if cookiecutter.token_storage == "cookie" %}


@pytest.mark.parametrize("path", ["/api/auth/token/refresh/", "/api/auth/logout/"])
def test_deeply_nested_json_where_only_cookies_count_is_no_5xx(api_client, path):
    response = api_client.post(path, DEEP_JSON, content_type="application/json")

    assert response.status_code < 500
{%- endif %}


def test_deeply_nested_json_in_an_authenticated_patch_is_a_parse_error(api_client, tokens):
    authenticate(api_client, tokens["access"])

    response = api_client.patch("/api/auth/me/", DEEP_JSON, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
{%- if cookiecutter.token_storage != "cookie" %}


@pytest.mark.parametrize("path", ["/api/auth/token/refresh/", "/api/auth/logout/"])
@pytest.mark.parametrize("body", ["42", "null", "true", '"refresh"', "[]"])
def test_a_json_body_that_is_no_object_is_a_400(api_client, path, body):
    response = api_client.post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
{%- endif %}


def signed(token, **claims):
    """``token`` with ``claims`` changed, signed with this project's own key."""
    payload = {**token_backend.decode(token), **claims}
    return token_backend.encode(payload)


MALFORMED_CLAIMS = [
    {"user_id": [1]},
    {"user_id": {"id": 1}},
    {"user_id": "not-a-number"},
    {"user_id": True},
    {"user_id": 10**30},
    {"exp": "9999999999"},
    {"exp": [9999999999]},
    {"exp": 1e20},
    {"session_end": "tomorrow"},
    {"jti": "j" * 300},
    {"jti": "a\x00b"},
    {"jti": 42},
]


def test_a_signed_access_token_with_a_malformed_claim_is_401(api_client, tokens):
    for claims in MALFORMED_CLAIMS:
        assert me(api_client, signed(tokens["access"], **claims)).status_code == 401, claims


def test_a_signed_refresh_token_with_a_malformed_claim_is_401(api_client, tokens):
    for claims in MALFORMED_CLAIMS:
        response = refresh_with(api_client, signed(tokens["refresh"], **claims))

        assert response.status_code == 401, claims


def test_verify_of_a_token_with_a_malformed_claim_is_401(api_client, tokens):
    for claims in MALFORMED_CLAIMS:
        for token in tokens.values():
            forged = signed(token, **claims)

            response = api_client.post("/api/auth/token/verify/", {"token": forged})

            assert response.status_code == 401, claims


@pytest.mark.parametrize("claims", MALFORMED_CLAIMS, ids=str)
def test_logout_with_a_malformed_claim_is_no_5xx(api_client, tokens, claims):
    """Each claim on a session of its own: one logout that works ends the session."""
    response = logout_with(api_client, signed(tokens["refresh"], **claims))

    assert response.status_code in (204, 401)


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "bad_request"), (403, "permission_denied"), (404, "not_found"), (500, "server_error")],
)
def test_djangos_own_error_pages_are_json(rf, status, code):
    handler = get_resolver().resolve_error_handler(status)
    arguments = {} if status == 500 else {"exception": Exception()}

    response = handler(rf.get("/"), **arguments)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["code"] == code


def test_the_admins_csrf_failure_is_json(user):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("CSRF Failed:")


def test_the_admins_own_pages_stay_html():
    response = Client().get("/admin/login/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_login_still_works_after_bad_input(api_client, user):
    api_client.post("/api/auth/token/", DEEP_JSON, content_type="application/json")

    assert log_in(api_client)["access"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/auth/token/", {"username": "alice", "password": 12345678}, "password"),
        ("/api/auth/token/verify/", {"token": 123}, "token"),
        ("/api/auth/password/reset/", {"email": 5}, "email"),
        ("/api/auth/password/reset/confirm/", {"uid": 1, "token": "x", "new_password": "y"}, "uid"),
{%- if cookiecutter.email_verification != "none" %}
        ("/api/auth/email/verify/", {"uid": 1, "token": "x"}, "uid"),
        ("/api/auth/email/verify/resend/", {"email": 5}, "email"),
{%- endif %}
{%- if cookiecutter.mfa %}
        ("/api/auth/mfa/verify/", {"mfa_token": 1, "code": "123456"}, "mfa_token"),
        ("/api/auth/mfa/verify/", {"mfa_token": "x", "code": 123456}, "code"),
{%- endif %}
    ],
)
def test_a_number_where_a_string_belongs_is_a_400_naming_the_field(api_client, path, body, field):
    response = api_client.post(path, body)

    assert response.status_code == 400
    assert field in response.json()
{%- if cookiecutter.mfa or cookiecutter.passkeys %}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
{%- if cookiecutter.mfa %}
        ("/api/auth/mfa/totp/confirm/", {"code": 123456}, "code"),
{%- endif %}
{%- if cookiecutter.passkeys %}
        ("/api/auth/passkeys/register/", {"credential": {}, "name": 5}, "name"),
{%- endif %}
    ],
)
def test_a_signed_in_number_where_a_string_belongs_is_a_400_naming_the_field(
    api_client, tokens, path, body, field
):
    authenticate(api_client, tokens["access"])

    response = api_client.post(path, body)

    assert response.status_code == 400
    assert field in response.json()
{%- endif %}


def test_me_refuses_a_number_for_a_name(api_client, tokens):
    authenticate(api_client, tokens["access"])

    response = api_client.patch("/api/auth/me/", {"first_name": 42})

    assert response.status_code == 400
    assert "first_name" in response.json()
