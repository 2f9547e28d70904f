{%- set cookies = cookiecutter.token_storage != "header" -%}
"""Browser apps on the origins of DJANGO_CORS_ALLOWED_ORIGINS may call the API; no other may."""

import pytest
from django.core.checks import run_checks
{%- if cookies %}
from django.test import override_settings
{%- endif %}

from .helpers import {% if cookies %}browser_client, {% endif %}fresh_settings
{%- if cookies %}
from .test_cookies import CREDENTIALS
{%- endif %}

APP = "https://app.example.com"
OTHER = "https://evil.example"


@pytest.fixture(autouse=True)
def allowed_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]


def preflight(client, origin, method="POST", headers="content-type"):
    return client.options(
        "/api/auth/token/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_the_origins_come_from_the_environment():
    fresh = fresh_settings(
        DJANGO_CORS_ALLOWED_ORIGINS="https://app.example.com,http://localhost:5173"
    )

    assert fresh.CORS_ALLOWED_ORIGINS == ["https://app.example.com", "http://localhost:5173"]


def test_an_origin_without_a_scheme_fails_the_system_checks(settings):
    settings.CORS_ALLOWED_ORIGINS = ["localhost:5173"]

    assert "corsheaders.E013" in [error.id for error in run_checks()]


def test_a_listed_origin_passes_the_preflight(client):
    response = preflight(client, APP)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    allowed = response["Access-Control-Allow-Headers"].split(", ")
{%- if cookiecutter.token_storage != "cookie" %}
    assert "authorization" in allowed
{%- else %}
    assert "authorization" not in allowed
{%- endif %}
{%- if cookies %}
    assert "x-csrftoken" in allowed
    assert response["Access-Control-Allow-Credentials"] == "true"
{%- else %}
    assert "x-csrftoken" not in allowed
    assert "Access-Control-Allow-Credentials" not in response
{%- endif %}


def test_an_unlisted_origin_gets_no_cors_headers(client):
    for response in (preflight(client, OTHER), client.get("/api/auth/me/", HTTP_ORIGIN=OTHER)):
        assert not [name for name in response.headers if name.lower().startswith("access-control")]


def test_cors_is_limited_to_the_api(client):
    response = client.get("/admin/login/", HTTP_ORIGIN=APP)

    assert "Access-Control-Allow-Origin" not in response
{%- if cookiecutter.throttling %}


def test_a_listed_origin_may_read_retry_after(client):
    response = client.get("/api/auth/me/", HTTP_ORIGIN=APP)

    assert response["Access-Control-Allow-Origin"] == APP
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
{%- endif %}
{%- if cookies %}


def test_the_allowed_origins_are_trusted_for_csrf():
    fresh = fresh_settings(DJANGO_CORS_ALLOWED_ORIGINS=APP)

    assert fresh.CSRF_TRUSTED_ORIGINS == [APP]


def test_the_csrf_trusted_origins_variable_wins():
    fresh = fresh_settings(
        DJANGO_CORS_ALLOWED_ORIGINS=APP, DJANGO_CSRF_TRUSTED_ORIGINS="https://admin.example.com"
    )

    assert fresh.CSRF_TRUSTED_ORIGINS == ["https://admin.example.com"]


@pytest.mark.django_db
@override_settings(CSRF_TRUSTED_ORIGINS=[APP])
def test_a_login_from_a_listed_origin_passes_the_csrf_check(user):
    browser = browser_client()
    response = browser.post("/api/auth/token/", CREDENTIALS, HTTP_ORIGIN=APP, secure=True)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP


@pytest.mark.django_db
def test_a_login_from_an_unlisted_origin_fails_the_csrf_check(user):
    browser = browser_client()
    response = browser.post("/api/auth/token/", CREDENTIALS, HTTP_ORIGIN=OTHER, secure=True)

    assert response.status_code == 403


def test_samesite_none_makes_the_token_and_csrf_cookies_secure_even_in_debug():
    fresh = fresh_settings(DJANGO_DEBUG="true", JWT_COOKIE_SAMESITE="None")

    assert fresh.JWT_COOKIE_SECURE is True
    assert fresh.CSRF_COOKIE_SECURE is True
    assert fresh.CSRF_COOKIE_SAMESITE == "None"
{%- endif %}
