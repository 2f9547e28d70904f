"""An outage of the database or the cache is a 503 with Retry-After, never a 500.

The services are really out of reach: an address where nothing listens, or
a server that takes the connection and never answers.
"""
{%- if cookiecutter.cache == "redis" and cookiecutter.throttling %}

import socket
import time
{%- endif %}

import pytest
from django.db import OperationalError, connection
from django.test import Client
{%- if cookiecutter.cache == "redis" and cookiecutter.throttling %}
from rest_framework.test import APIClient
{%- endif %}

from security_events.models import SecurityEvent

from .helpers import PASSWORD
{%- if cookiecutter.cache == "redis" and cookiecutter.throttling %}, authenticate, refresh_with
{%- elif cookiecutter.cache == "redis" %}, refresh_with, tokens_from
{%- endif %}


@pytest.fixture
def database_out_of_reach(django_db_blocker):
    """The project's database connection, pointed where no database answers."""
{%- if cookiecutter.database == "postgresql" %}
    out_of_reach = {"HOST": "127.0.0.1", "PORT": "9"}  # port 9: nothing listens
{%- else %}
    out_of_reach = {"NAME": "/no/such/folder/db.sqlite3"}
{%- endif %}
    with django_db_blocker.unblock():
        reachable = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(out_of_reach)
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.update(reachable)


def assert_unavailable(response, service):
    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0
    assert response.json() == {
        "detail": f"The {service} is unavailable; try again shortly.",
        "code": "service_unavailable",
    }


def test_a_database_out_of_reach_is_a_503_never_a_500(database_out_of_reach, caplog):
    # Errors are answered as a server answers them, not raised into the test.
    client = Client(raise_request_exception=False)
    credentials = {"username": "alice", "password": "wrong"}

    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "database" in ready.json()["down"]
    assert_unavailable(
        client.post("/api/auth/token/", credentials, content_type="application/json"),
        "database",
    )
    assert_unavailable(client.post("/admin/login/", credentials), "database")  # a page for people
    assert "The database is unavailable (POST /api/auth/token/)" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("password", [PASSWORD, "wrong"], ids=["login", "failed login"])
def test_a_security_event_the_database_cannot_store_is_a_503_never_a_500(
    user, monkeypatch, password
):
    # The database fails between the credentials' check and the event's row.
    def database_gone(**fields):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SecurityEvent.objects, "create", database_gone)
    client = Client(raise_request_exception=False)

    response = client.post(
        "/api/auth/token/",
        {"username": "alice", "password": password},
        content_type="application/json",
    )

    assert_unavailable(response, "database")


{%- if cookiecutter.cache == "redis" %}


def dead_redis(settings, port=9):
    """Point the cache at a Redis that is not there (port 9: nothing listens)."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
{%- if cookiecutter.throttling %}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/auth/token/", {"username": "alice", "password": PASSWORD}),
{%- if cookiecutter.user_registration %}
        ("/api/auth/register/", {"username": "bob", "email": "b@x.org", "password": PASSWORD}),
{%- endif %}
        ("/api/auth/password/reset/", {"email": "alice@example.com"}),
    ],
)
def test_limits_that_guard_credentials_refuse_while_redis_is_down(
    api_client, user, settings, path, body
):
    dead_redis(settings)

    response = api_client.post(path, body)

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_a_password_change_is_refused_while_redis_is_down(api_client, tokens, settings):
    dead_redis(settings)
    authenticate(api_client, tokens["access"])

    response = api_client.post(
        "/api/auth/password/change/", {"old_password": PASSWORD, "new_password": "x" * 20}
    )

    assert response.status_code == 503


@pytest.mark.django_db
def test_signed_in_clients_keep_working_while_redis_is_down(api_client, tokens, settings, caplog):
    dead_redis(settings)
    authenticate(api_client, tokens["access"])

    assert api_client.get("/api/auth/me/").status_code == 200
    assert refresh_with(APIClient(), tokens["refresh"]).status_code == 200
    assert "The 'user' rate limit is not applied: the cache is unavailable" in caplog.text
    assert "The 'refresh' rate limit is not applied" in caplog.text


@pytest.fixture
def silent_server():
    """The port of a server that takes connections and never answers: a hung Redis."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.mark.django_db
def test_a_redis_that_hangs_is_a_503_within_a_second_or_so(
    api_client, user, settings, silent_server
):
    dead_redis(settings, port=silent_server)

    started = time.monotonic()
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 503
    assert time.monotonic() - started < 5
{%- else %}


@pytest.mark.django_db
def test_without_rate_limits_an_outage_of_redis_changes_nothing(api_client, user, settings):
    dead_redis(settings)

    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert refresh_with(api_client, tokens_from(response)["refresh"]).status_code == 200
{%- endif %}
{%- endif %}
