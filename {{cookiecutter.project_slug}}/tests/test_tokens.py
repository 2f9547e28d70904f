"""The token endpoints: login, me, refresh, verify and logout."""
{%- if cookiecutter.rotate_refresh_tokens %}

import threading
{%- endif %}

import pytest
{%- if cookiecutter.rotate_refresh_tokens %}
from django.db import connection
from rest_framework.test import APIClient
{%- endif %}
from rest_framework_simplejwt.settings import api_settings

from .conftest import PASSWORD, bearer

pytestmark = pytest.mark.django_db


def test_login_returns_an_access_and_a_refresh_token(api_client, user):
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_login_with_a_wrong_password_is_401(api_client, user):
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": "wrong"})

    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


def test_login_of_an_inactive_user_is_401(api_client, user):
    user.is_active = False
    user.save()

    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 401


def test_login_without_a_password_names_the_field(api_client):
    response = api_client.post("/api/auth/token/", {"username": "alice"})

    assert response.status_code == 400
    assert "password" in response.json()


def test_me_with_an_access_token_returns_the_user(api_client, tokens):
    response = api_client.get("/api/auth/me/", **bearer(tokens["access"]))

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_me_without_a_token_is_401(api_client):
    response = api_client.get("/api/auth/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_me_with_garbage_is_401(api_client):
    response = api_client.get("/api/auth/me/", **bearer("not.a.token"))

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_refresh_token_is_not_an_access_token(api_client, tokens):
    response = api_client.get("/api/auth/me/", **bearer(tokens["refresh"]))

    assert response.status_code == 401


def test_refresh_returns_a_working_access_token(api_client, tokens):
    response = api_client.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]})

    assert response.status_code == 200
    me = api_client.get("/api/auth/me/", **bearer(response.json()["access"]))
    assert me.status_code == 200


def test_access_token_is_not_a_refresh_token(api_client, tokens):
    response = api_client.post("/api/auth/token/refresh/", {"refresh": tokens["access"]})

    assert response.status_code == 401


def test_the_configured_rotation_is_the_one_chosen():
    assert api_settings.ROTATE_REFRESH_TOKENS is {{ "True" if cookiecutter.rotate_refresh_tokens else "False" }}
    assert api_settings.BLACKLIST_AFTER_ROTATION is api_settings.ROTATE_REFRESH_TOKENS


{%- if cookiecutter.rotate_refresh_tokens %}


def test_with_rotation_a_refresh_token_works_once(api_client, tokens):
    first = api_client.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]})
    second = api_client.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]})

    assert first.status_code == 200
    assert first.json()["refresh"] != tokens["refresh"]
    assert second.status_code == 401
    rotated = api_client.post("/api/auth/token/refresh/", {"refresh": first.json()["refresh"]})
    assert rotated.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_refresh_token_sent_twice_at_once_works_once(user):
    refresh = (
        APIClient()
        .post("/api/auth/token/", {"username": "alice", "password": PASSWORD})
        .json()["refresh"]
    )
    start = threading.Barrier(2)
    statuses = []

    def refresh_now():
        start.wait()
        try:
            response = APIClient().post("/api/auth/token/refresh/", {"refresh": refresh})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 401]
{%- else %}


def test_without_rotation_a_refresh_token_works_until_it_expires(api_client, tokens):
    responses = [
        api_client.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]})
        for _ in range(2)
    ]

    assert [response.status_code for response in responses] == [200, 200]
    assert "refresh" not in responses[0].json()
{%- endif %}


def test_refresh_for_a_deleted_user_is_401(api_client, tokens, user):
    user.delete()

    response = api_client.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]})

    assert response.status_code == 401


def test_verify_accepts_a_valid_token(api_client, tokens):
    response = api_client.post("/api/auth/token/verify/", {"token": tokens["access"]})

    assert response.status_code == 200


def test_verify_refuses_garbage(api_client):
    response = api_client.post("/api/auth/token/verify/", {"token": "garbage"})

    assert response.status_code == 401


def test_logout_blacklists_the_refresh_token(api_client, tokens):
    logout = api_client.post("/api/auth/logout/", {"refresh": tokens["refresh"]})

    assert logout.status_code == 204
    refresh = api_client.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert refresh.status_code == 401
    verify = api_client.post("/api/auth/token/verify/", {"token": tokens["refresh"]})
    assert verify.status_code == 401


def test_logout_with_an_invalid_token_is_401(api_client):
    response = api_client.post("/api/auth/logout/", {"refresh": "garbage"})

    assert response.status_code == 401
