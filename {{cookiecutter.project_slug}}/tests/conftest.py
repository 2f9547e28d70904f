import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from rest_framework.test import APIClient
{%- if cookiecutter.token_storage == "cookie" %}

from jwt_auth.cookies import ACCESS_COOKIE, REFRESH_COOKIE
{%- endif %}

PASSWORD = "correct-horse-battery-staple"
BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "api.example.com",
{%- if cookiecutter.throttling and cookiecutter.cache == "locmem" %}
    "CACHE_URL": "dbcache://cache_table",
{%- endif %}
}


def manage(*args, **env):
    """Run manage.py in a fresh process with ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash with MD5 in tests; test_settings.py checks the production list."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Give each test its own cache keys, so throttle counts never carry over."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        username="alice", email="alice@example.com", password=PASSWORD
    )


def log_in(client, username="alice", password=PASSWORD):
    """Log in through the API and return the token pair."""
    response = client.post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
{%- if cookiecutter.token_storage == "cookie" %}
    return {
        "access": response.cookies[ACCESS_COOKIE].value,
        "refresh": response.cookies[REFRESH_COOKIE].value,
    }
{%- else %}
    return response.json()
{%- endif %}


@pytest.fixture
def tokens(api_client, user):
    return log_in(api_client, user.username)
{%- if cookiecutter.token_storage != "cookie" %}


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
{%- endif %}


def me_status(client, access):
    """The status of GET /api/auth/me/ with ``access`` sent as clients send it."""
{%- if cookiecutter.token_storage == "cookie" %}
    client.cookies[ACCESS_COOKIE] = access
    return client.get("/api/auth/me/").status_code
{%- else %}
    return client.get("/api/auth/me/", **bearer(access)).status_code
{%- endif %}
