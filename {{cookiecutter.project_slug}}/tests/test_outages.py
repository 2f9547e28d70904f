"""An outage of the database or the cache is a 503 with Retry-After, never a 500.

The services are really out of reach: an address where nothing listens, or
a server that takes the connection and never answers.
"""

import json
import os
{%- if cookiecutter.cache == "redis" and cookiecutter.throttling %}
import socket
import time
{%- endif %}
{%- if cookiecutter.cache == "redis" %}

import pytest
{%- endif %}
{%- if cookiecutter.cache == "redis" and cookiecutter.throttling %}
from rest_framework.test import APIClient

from .conftest import PASSWORD, PRODUCTION, authenticate, python, refresh_with
{%- elif cookiecutter.cache == "redis" %}

from .conftest import PASSWORD, PRODUCTION, python, refresh_with, tokens_from
{%- else %}

from .conftest import PRODUCTION, python
{%- endif %}

# Requests sent in a fresh process, whose settings name a database out of reach.
REQUESTS = """
import json, sys
import django
django.setup()
from django.test import Client
# Answered as a server answers an error, instead of raised into this script.
client = Client(raise_request_exception=False, HTTP_HOST="api.example.com")
answers = []
for path, body in json.loads(sys.argv[1]):
    if body is None:
        response = client.get(path, secure=True)
    elif path.startswith("/api/"):
        response = client.post(path, body, content_type="application/json", secure=True)
    else:
        response = client.post(path, body, secure=True)  # a form, as the admin's
    answers.append([response.status_code, response.get("Retry-After"), response.content.decode()])
print(json.dumps(answers))
"""


def answers_with_the_database_at(url, requests):
    """Status, Retry-After and body of each of ``requests`` (path, form or None)."""
    environment = {
        **os.environ,
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
    }
    result = python("-c", REQUESTS, json.dumps(requests), environment=environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def assert_unavailable(answer, service):
    status, retry_after, body = answer
    assert status == 503, body
    assert int(retry_after) > 0
    assert json.loads(body) == {
        "detail": f"The {service} is unavailable; try again shortly.",
        "code": "service_unavailable",
    }


def test_a_database_out_of_reach_is_a_503_never_a_500():
{%- if cookiecutter.database == "postgresql" %}
    url = "postgres://nobody@127.0.0.1:9/nowhere"  # port 9: nothing listens
{%- else %}
    url = "sqlite:////no/such/folder/db.sqlite3"
{%- endif %}
    requests = [
        ["/healthz", None],
        ["/readyz", None],
        ["/api/auth/token/", {"username": "alice", "password": "wrong"}],
        ["/admin/login/", {"username": "alice", "password": "wrong"}],
    ]

    answers, log = answers_with_the_database_at(url, requests)

    healthz, readyz, api_login, admin_login = answers
    assert healthz[0] == 200
    assert readyz[0] == 503
    assert "database" in json.loads(readyz[2])["down"]
    assert_unavailable(api_login, "database")
    assert_unavailable(admin_login, "database")  # a page for people, not the API
    assert "The database is unavailable (POST /api/auth/token/)" in log
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
