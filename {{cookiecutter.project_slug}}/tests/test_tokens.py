"""The token endpoints: login, me, refresh, verify and logout."""
{%- if cookiecutter.rotate_refresh_tokens %}

import threading
from functools import partial
{%- endif %}

import pytest
from django.conf import settings
from freezegun import freeze_time
{%- if cookiecutter.rotate_refresh_tokens %}
from rest_framework.test import APIClient
{%- endif %}
from rest_framework_simplejwt.settings import api_settings
{%- if cookiecutter.rotate_refresh_tokens %}
from rest_framework_simplejwt.state import token_backend

from jwt_auth.serializers import TokenRefreshSerializer
{%- endif %}

from .helpers import (
    PASSWORD,
{%- if cookiecutter.rotate_refresh_tokens %}
    at_once,
{%- endif %}
    log_in,
    logout_with,
    me,
    me_status,
    refresh_with,
    tokens_from,
)

pytestmark = pytest.mark.django_db


def test_login_hands_out_an_access_and_a_refresh_token(api_client, user):
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert all(tokens_from(response).values())
    assert "no-store" in response["Cache-Control"]


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
    response = me(api_client, tokens["access"])

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_me_without_a_token_is_401(api_client):
    response = api_client.get("/api/auth/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_me_with_garbage_is_401(api_client):
    assert me_status(api_client, "not.a.token") == 401


def test_a_refresh_token_is_not_an_access_token(api_client, tokens):
    assert me_status(api_client, tokens["refresh"]) == 401


def test_refresh_hands_out_a_working_access_token(api_client, tokens):
    response = refresh_with(api_client, tokens["refresh"])

    assert response.status_code == 200
    assert me_status(api_client, tokens_from(response)["access"]) == 200


def test_an_access_token_is_not_a_refresh_token(api_client, tokens):
    assert refresh_with(api_client, tokens["access"]).status_code == 401


def test_an_expired_refresh_token_is_401(api_client, user):
    with freeze_time() as clock:
        refresh = log_in(api_client)["refresh"]
        clock.tick(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds() + 1)

        assert refresh_with(api_client, refresh).status_code == 401


def test_the_configured_rotation_is_the_one_chosen():
    assert api_settings.ROTATE_REFRESH_TOKENS is {{ "True" if cookiecutter.rotate_refresh_tokens else "False" }}
    assert api_settings.BLACKLIST_AFTER_ROTATION is api_settings.ROTATE_REFRESH_TOKENS
{%- if cookiecutter.rotate_refresh_tokens %}


def test_with_rotation_a_refresh_token_works_once(api_client, tokens):
    first = refresh_with(api_client, tokens["refresh"])
    rotated = tokens_from(first)["refresh"]
    second = refresh_with(api_client, tokens["refresh"])

    assert first.status_code == 200
    assert rotated not in (None, tokens["refresh"])
    assert second.status_code == 401
    assert refresh_with(api_client, rotated).status_code == 200


def test_verify_refuses_a_refresh_token_used_up_by_rotation(api_client, tokens):
    """The session is still open: only the blacklist can tell this token is spent."""
    assert refresh_with(api_client, tokens["refresh"]).status_code == 200

    verify = api_client.post("/api/auth/token/verify/", {"token": tokens["refresh"]})

    assert verify.status_code == 401


@pytest.mark.django_db(transaction=True)
def test_a_refresh_token_sent_twice_at_once_works_once(user, monkeypatch):
    """Both requests pass every check before either uses the token up: the insert decides.

    The two are made to meet at that point, so the race happens on every run.
    """
    refresh = log_in(APIClient())["refresh"]
    both_checked = threading.Barrier(2, timeout=10)
    use_up = TokenRefreshSerializer.use_up

    def use_up_together(self, token):
        both_checked.wait()
        return use_up(self, token)

    monkeypatch.setattr(TokenRefreshSerializer, "use_up", use_up_together)

    answers = at_once(*(partial(refresh_with, APIClient(), refresh) for _ in range(2)))

    assert sorted(answer.status_code for answer in answers) == [200, 401]


def test_rotation_never_extends_the_session_past_its_end(api_client, user, settings):
    settings.JWT_SESSION_IDLE = settings.JWT_SESSION_LIFETIME  # the absolute end alone
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()
    with freeze_time() as clock:
        first = log_in(api_client)["refresh"]
        clock.tick(lifetime / 2)
        rotated = tokens_from(refresh_with(api_client, first))["refresh"]
        clock.tick(lifetime / 2 + 1)

        assert refresh_with(api_client, rotated).status_code == 401
    expiry = [token_backend.decode(token, verify=False)["exp"] for token in (first, rotated)]
    assert expiry[0] == expiry[1]


def test_a_longer_session_lifetime_lets_an_active_client_refresh_until_it_ends(
    api_client, user, settings
):
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    settings.JWT_SESSION_LIFETIME = settings.JWT_SESSION_IDLE = 2 * lifetime
    with freeze_time() as clock:
        refresh = log_in(api_client)["refresh"]
        for _ in range(2):
            clock.tick(0.75 * lifetime)
            response = refresh_with(api_client, refresh)
            assert response.status_code == 200
            refresh = tokens_from(response)["refresh"]
        clock.tick(0.6 * lifetime)

        assert refresh_with(api_client, refresh).status_code == 401
{%- else %}


def test_without_rotation_a_refresh_token_works_until_it_expires(api_client, tokens):
    responses = [refresh_with(api_client, tokens["refresh"]) for _ in range(2)]

    assert [response.status_code for response in responses] == [200, 200]
    assert tokens_from(responses[0])["refresh"] is None
{%- endif %}


def test_refresh_for_a_deleted_user_is_401(api_client, tokens, user):
    user.delete()

    assert refresh_with(api_client, tokens["refresh"]).status_code == 401


def test_refresh_for_a_deactivated_user_is_401(api_client, tokens, user):
    user.is_active = False
    user.save()

    assert refresh_with(api_client, tokens["refresh"]).status_code == 401


def test_a_new_password_ends_every_session(api_client, tokens, user):
    user.set_password("another-long-passphrase")
    user.save()

    assert me_status(api_client, tokens["access"]) == 401
    assert refresh_with(api_client, tokens["refresh"]).status_code == 401


def test_verify_accepts_a_valid_token(api_client, tokens):
    response = api_client.post("/api/auth/token/verify/", {"token": tokens["access"]})

    assert response.status_code == 200


def test_verify_refuses_garbage(api_client):
    response = api_client.post("/api/auth/token/verify/", {"token": "garbage"})

    assert response.status_code == 401


def verify_statuses(client, tokens):
    return [
        client.post("/api/auth/token/verify/", {"token": token}).status_code
        for token in (tokens["access"], tokens["refresh"])
    ]


def test_verify_refuses_the_tokens_of_a_deleted_user(api_client, tokens, user):
    user.delete()

    assert verify_statuses(api_client, tokens) == [401, 401]


def test_verify_refuses_the_tokens_of_a_deactivated_user(api_client, tokens, user):
    user.is_active = False
    user.save()

    assert verify_statuses(api_client, tokens) == [401, 401]


def test_verify_refuses_tokens_issued_before_a_password_change(api_client, tokens, user):
    user.set_password("another-long-passphrase")
    user.save()

    assert verify_statuses(api_client, tokens) == [401, 401]


def test_an_authenticated_answer_is_private_and_never_stored(api_client, tokens):
    response = me(api_client, tokens["access"])

    assert response.status_code == 200
    assert {"private", "no-store"} <= set(map(str.strip, response["Cache-Control"].split(",")))
{%- if cookiecutter.token_storage != "header" %}
    assert "Cookie" in map(str.strip, response["Vary"].split(","))
{%- endif %}


def test_logout_blacklists_the_refresh_token(api_client, tokens):
    assert logout_with(api_client, tokens["refresh"]).status_code == 204

    assert refresh_with(api_client, tokens["refresh"]).status_code == 401
    verify = api_client.post("/api/auth/token/verify/", {"token": tokens["refresh"]})
    assert verify.status_code == 401
{%- if cookiecutter.token_storage != "cookie" %}


def test_logout_with_an_invalid_token_is_401(api_client):
    response = api_client.post("/api/auth/logout/", {"refresh": "garbage"})

    assert response.status_code == 401
{%- endif %}
