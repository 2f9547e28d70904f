"""Each sensitive endpoint has its own rate; going over it is a 429, even in a burst."""

import threading

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from .conftest import PASSWORD, close_thread_connections

pytestmark = pytest.mark.django_db


def allowed_requests(scope):
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    return int(rate.split("/")[0])


def assert_throttled(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_login_is_throttled_with_retry_after(api_client, user):
    credentials = {"username": "alice", "password": "wrong"}
    for _ in range(allowed_requests("login")):
        assert api_client.post("/api/auth/token/", credentials).status_code != 429

    assert_throttled(api_client.post("/api/auth/token/", credentials))


def test_a_throttled_client_cannot_log_in_even_with_the_right_password(api_client, user):
    for _ in range(allowed_requests("login")):
        api_client.post("/api/auth/token/", {"username": "alice", "password": "wrong"})

    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert_throttled(response)


def test_a_forged_x_forwarded_for_does_not_reset_the_limit(api_client, user):
    credentials = {"username": "alice", "password": "wrong"}
    for number in range(allowed_requests("login")):
        api_client.post("/api/auth/token/", credentials, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    assert_throttled(
        api_client.post("/api/auth/token/", credentials, HTTP_X_FORWARDED_FOR="10.9.9.9")
    )


def test_behind_a_configured_proxy_each_client_address_counts_apart(api_client, user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    credentials = {"username": "alice", "password": "wrong"}
    for _ in range(allowed_requests("login")):
        api_client.post("/api/auth/token/", credentials, HTTP_X_FORWARDED_FOR="203.0.113.1")

    throttled = api_client.post("/api/auth/token/", credentials, HTTP_X_FORWARDED_FOR="203.0.113.1")
    other = api_client.post("/api/auth/token/", credentials, HTTP_X_FORWARDED_FOR="203.0.113.2")

    assert_throttled(throttled)
    assert other.status_code == 401


def test_the_admin_login_form_shares_the_login_limit(client, user):
    for _ in range(allowed_requests("login") - 1):
        client.post("/admin/login/", {"username": "alice", "password": "wrong"})
    api_attempt = client.post(
        "/api/auth/token/",
        {"username": "alice", "password": "wrong"},
        content_type="application/json",
    )

    response = client.post("/admin/login/", {"username": "alice", "password": "wrong"})

    assert api_attempt.status_code == 401
    assert_throttled(response)


def test_refresh_has_its_own_limit(api_client, user):
    for _ in range(allowed_requests("refresh")):
        assert api_client.post("/api/auth/token/refresh/", {"refresh": "x"}).status_code != 429

    assert_throttled(api_client.post("/api/auth/token/refresh/", {"refresh": "x"}))
    login = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})
    assert login.status_code == 200
{%- if cookiecutter.user_registration %}


def test_registration_has_its_own_limit(api_client):
    for number in range(allowed_requests("register")):
        api_client.post("/api/auth/register/", {"username": f"user{number}", "password": "x"})

    response = api_client.post("/api/auth/register/", {"username": "late", "password": "x"})

    assert_throttled(response)
{%- endif %}


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_logins_lets_exactly_the_rate_through(user):
    """Forty wrong passwords at once: exactly the login rate reaches the password check."""
    attempts = 40
    start = threading.Barrier(attempts)
    statuses = []

    def attempt():
        start.wait()
        try:
            response = APIClient().post(
                "/api/auth/token/", {"username": "alice", "password": "wrong"}
            )
            statuses.append(response.status_code)
        finally:
            close_thread_connections()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(401) == allowed_requests("login")
    assert statuses.count(429) == attempts - allowed_requests("login")
