"""Tokens in HttpOnly cookies, with CSRF checks on every unsafe request."""

from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from freezegun import freeze_time
from rest_framework.test import APIClient

from jwt_auth.cookies import ACCESS_COOKIE, REFRESH_COOKIE, refresh_cookie_path

from .helpers import PASSWORD, PRODUCTION, browser_client, fresh_settings

pytestmark = pytest.mark.django_db

CREDENTIALS = {"username": "alice", "password": PASSWORD}


def set_cookies(response):
    """Parse the Set-Cookie header lines that Django's WSGI handler would send."""
    jar = SimpleCookie()
    for morsel in response.cookies.values():
        jar.load(morsel.output(header=""))
    return jar


@pytest.fixture
def browser():
    return browser_client()


@pytest.fixture
def logged_in(browser, user):
    response = browser.post("/api/auth/token/", CREDENTIALS)
    assert response.status_code == 200, response.content
    return browser


def test_csrf_endpoint_sets_the_csrf_cookie(api_client):
    response = api_client.get("/api/auth/csrf/")

    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME in set_cookies(response)


@freeze_time()
def test_login_sets_httponly_cookies_that_live_as_long_as_the_tokens(browser, user):
    cookies = set_cookies(browser.post("/api/auth/token/", CREDENTIALS))

    lifetimes = {
        ACCESS_COOKIE: settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"],
        REFRESH_COOKIE: settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"],
    }
    for name, lifetime in lifetimes.items():
        assert cookies[name]["httponly"] is True
        assert cookies[name]["samesite"] == "Lax"
        assert int(cookies[name]["max-age"]) == lifetime.total_seconds()
    assert cookies[ACCESS_COOKIE]["path"] == "/"
    assert cookies[REFRESH_COOKIE]["path"] == refresh_cookie_path()


def test_login_puts_no_token_in_the_body(browser, user):
    response = browser.post("/api/auth/token/", CREDENTIALS)

    body = response.content.decode()
    assert response.cookies[ACCESS_COOKIE].value not in body
    assert response.cookies[REFRESH_COOKIE].value not in body
    assert set(response.json()) == {"access_expires", "refresh_expires"}


def test_the_refresh_cookie_is_scoped_to_the_auth_endpoints():
    path = refresh_cookie_path()

    assert reverse("token_refresh").startswith(path)
    assert reverse("logout").startswith(path)
    assert not reverse("schema").startswith(path)
    assert not reverse("admin:index").startswith(path)


def test_the_access_cookie_authenticates(logged_in):
    response = logged_in.get("/api/auth/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_without_cookies_me_is_401(browser):
    assert browser.get("/api/auth/me/").status_code == 401


def test_a_login_with_a_wrong_csrf_token_is_403(browser, user):
    browser.credentials(HTTP_X_CSRFTOKEN="a" * 32)

    response = browser.post("/api/auth/token/", CREDENTIALS)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert ACCESS_COOKIE not in response.cookies
{%- if cookiecutter.token_storage == "cookie" %}


def test_login_without_the_csrf_header_is_403(browser, user):
    browser.credentials()

    response = browser.post("/api/auth/token/", CREDENTIALS)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert ACCESS_COOKIE not in response.cookies


def test_login_without_any_csrf_token_is_403(user):
    response = APIClient(enforce_csrf_checks=True).post("/api/auth/token/", CREDENTIALS)

    assert response.status_code == 403
{%- endif %}


def test_a_cross_site_form_post_is_refused(user):
    client = APIClient(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32

    response = client.post(
        "/api/auth/token/",
        "username=alice&password=x",
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN="https://evil.example",
    )

{%- if cookiecutter.token_storage == "cookie" %}
    assert response.status_code == 403
{%- else %}
    # A form sends no X-CSRFToken, so this is no cookie login at all.
    assert response.status_code == 415
{%- endif %}
    assert ACCESS_COOKIE not in response.cookies


def test_an_unsafe_request_authenticated_by_cookie_needs_the_csrf_header(logged_in):
    logged_in.credentials()

    response = logged_in.patch("/api/auth/me/", {"first_name": "Eve"})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_unsafe_request_with_the_csrf_header_goes_through(logged_in):
    response = logged_in.patch("/api/auth/me/", {"first_name": "Alice"})

    assert response.status_code == 200
    assert response.json()["first_name"] == "Alice"


def test_a_safe_request_needs_no_csrf_header(logged_in):
    logged_in.credentials()

    assert logged_in.get("/api/auth/me/").status_code == 200


def test_refresh_reads_the_refresh_cookie_and_sets_a_new_access_cookie(logged_in):
    old_access = logged_in.cookies[ACCESS_COOKIE].value

    response = logged_in.post("/api/auth/token/refresh/")

    assert response.status_code == 200
    assert response.cookies[ACCESS_COOKIE].value != old_access
    assert "access" not in response.json()
    assert logged_in.get("/api/auth/me/").status_code == 200


def test_refresh_without_a_refresh_cookie_is_401(browser):
    assert browser.post("/api/auth/token/refresh/").status_code == 401

{%- if cookiecutter.token_storage == "cookie" %}


def test_refresh_without_a_csrf_token_is_403(logged_in):
    logged_in.credentials()

    assert logged_in.post("/api/auth/token/refresh/").status_code == 403
{%- else %}


def test_refresh_without_the_csrf_header_never_reads_the_refresh_cookie(logged_in):
    logged_in.credentials()

    response = logged_in.post("/api/auth/token/refresh/")

    assert response.status_code == 400
    assert response.json() == {"refresh": ["This field is required."]}
    assert ACCESS_COOKIE not in response.cookies
{%- endif %}

{%- if cookiecutter.rotate_refresh_tokens %}


def test_a_rotated_refresh_cookie_works_once(logged_in):
    old_refresh = logged_in.cookies[REFRESH_COOKIE].value

    first = logged_in.post("/api/auth/token/refresh/")
    new_refresh = first.cookies[REFRESH_COOKIE].value
    logged_in.cookies[REFRESH_COOKIE] = old_refresh
    second = logged_in.post("/api/auth/token/refresh/")

    assert first.status_code == 200
    assert new_refresh != old_refresh
    assert second.status_code == 401


def test_a_rotated_refresh_cookie_expires_when_the_session_does(browser, user, settings):
    settings.JWT_SESSION_IDLE = settings.JWT_SESSION_LIFETIME  # the absolute end alone
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    with freeze_time() as clock:
        login = browser.post("/api/auth/token/", CREDENTIALS)
        clock.tick(lifetime / 2)

        response = browser.post("/api/auth/token/refresh/")

    assert int(set_cookies(response)[REFRESH_COOKIE]["max-age"]) == (lifetime / 2).total_seconds()
    assert response.json()["refresh_expires"] == login.json()["refresh_expires"]
{%- endif %}


def test_logout_blacklists_the_refresh_token_and_deletes_both_cookies(logged_in):
    old_refresh = logged_in.cookies[REFRESH_COOKIE].value

    response = logged_in.post("/api/auth/logout/")

    assert response.status_code == 204
    cookies = set_cookies(response)
    assert cookies[ACCESS_COOKIE]["max-age"] == "0"
    assert cookies[ACCESS_COOKIE]["path"] == "/"
    assert cookies[REFRESH_COOKIE]["max-age"] == "0"
    assert cookies[REFRESH_COOKIE]["path"] == refresh_cookie_path()
    logged_in.cookies[REFRESH_COOKIE] = old_refresh
    assert logged_in.post("/api/auth/token/refresh/").status_code == 401


def test_logout_works_with_an_expired_access_cookie(browser, user):
    with freeze_time() as clock:
        browser.post("/api/auth/token/", CREDENTIALS)
        clock.tick(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() + 1)
        assert browser.get("/api/auth/me/").status_code == 401

        response = browser.post("/api/auth/logout/")

    assert response.status_code == 204
    assert response.cookies[ACCESS_COOKIE].value == ""

{%- if cookiecutter.token_storage == "cookie" %}


def test_logout_without_a_csrf_token_is_403(logged_in):
    logged_in.credentials()

    assert logged_in.post("/api/auth/logout/").status_code == 403
{%- else %}


def test_logout_without_the_csrf_header_leaves_the_cookies_alone(logged_in):
    logged_in.credentials()

    response = logged_in.post("/api/auth/logout/")

    assert response.status_code == 400
    assert ACCESS_COOKIE not in response.cookies
    assert logged_in.get("/api/auth/me/").status_code == 200
{%- endif %}


def test_a_garbage_access_cookie_never_blocks_login(browser, user):
    browser.cookies[ACCESS_COOKIE] = "garbage"

    assert browser.post("/api/auth/token/", CREDENTIALS).status_code == 200


def test_cookies_are_secure_when_configured(browser, user, settings):
    settings.JWT_COOKIE_SECURE = True

    cookies = set_cookies(browser.post("/api/auth/token/", CREDENTIALS))

    assert cookies[ACCESS_COOKIE]["secure"] is True
    assert cookies[REFRESH_COOKIE]["secure"] is True


def test_samesite_none_cookies_are_secure(browser, user, settings):
    settings.JWT_COOKIE_SAMESITE = "None"
    settings.JWT_COOKIE_SECURE = True

    cookies = set_cookies(browser.post("/api/auth/token/", CREDENTIALS))

    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        assert cookies[name]["samesite"] == "None"
        assert cookies[name]["secure"] is True


def test_an_unknown_samesite_value_stops_the_start():
    refused = r"^JWT_COOKIE_SAMESITE must be Lax, Strict or None"

    with pytest.raises(ImproperlyConfigured, match=refused):
        fresh_settings(JWT_COOKIE_SAMESITE="Sometimes")


@pytest.mark.parametrize(("debug", "secure"), [("false", True), ("true", False)])
def test_cookies_are_secure_whenever_debug_is_off(debug, secure):
    assert fresh_settings(DJANGO_DEBUG=debug).JWT_COOKIE_SECURE is secure


@pytest.mark.parametrize(
    ("debug", "names"),
    [
        ("false", ("__Host-access_token", "__Secure-refresh_token", "__Host-csrftoken")),
        ("true", ("access_token", "refresh_token", "csrftoken")),
    ],
)
def test_token_and_csrf_cookies_are_prefixed_in_production(debug, names):
    """__Host- where the cookie is for the whole site, __Secure- where it has a path."""
    fresh = fresh_settings(**{**PRODUCTION, "DJANGO_DEBUG": debug})
    cookies = (fresh.JWT_ACCESS_COOKIE, fresh.JWT_REFRESH_COOKIE, fresh.CSRF_COOKIE_NAME)

    assert cookies == names


def test_with_a_cookie_domain_the_access_cookie_is_secure_prefixed():
    """__Host- forbids a Domain attribute; browsers would drop such a cookie."""
    production = {**PRODUCTION, "JWT_COOKIE_DOMAIN": "example.com"}

    assert fresh_settings(**production).JWT_ACCESS_COOKIE == "__Secure-access_token"


@freeze_time()
def test_the_access_cookie_meets_what_the_host_prefix_demands(browser, user, settings):
    """Secure outside DEBUG, Path=/ and no Domain: a browser keeps a __Host- cookie so set."""
    settings.JWT_COOKIE_SECURE = True

    cookie = browser.post("/api/auth/token/", CREDENTIALS).cookies[ACCESS_COOKIE]

    assert (cookie["secure"], cookie["path"], cookie["domain"]) == (True, "/", "")
{%- if cookiecutter.token_storage == "both" %}


def test_a_client_without_the_csrf_cookie_gets_json_tokens_and_no_cookies(api_client, user):
    response = api_client.post("/api/auth/token/", CREDENTIALS)

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert ACCESS_COOKIE not in response.cookies


def test_without_the_csrf_header_even_a_browser_gets_json_tokens(browser, user):
    """The X-CSRFToken header alone decides, as in Swagger UI's bearer flow."""
    browser.credentials()

    response = browser.post("/api/auth/token/", CREDENTIALS)

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert ACCESS_COOKIE not in response.cookies


@pytest.mark.parametrize("path", ["/api/auth/token/refresh/", "/api/auth/logout/"])
def test_a_refresh_token_in_the_body_is_used_without_the_csrf_header(api_client, tokens, path):
    response = api_client.post(path, {"refresh": tokens["refresh"]})

    assert response.status_code in (200, 204)
    assert ACCESS_COOKIE not in response.cookies


def test_a_browser_may_still_send_the_authorization_header(logged_in, tokens):
    logged_in.cookies.clear()

    response = logged_in.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    assert response.status_code == 200
{%- endif %}
