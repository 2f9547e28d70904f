"""Sessions that end: logout, deactivation, deletion and a new password.

Each ends the session's tokens, access tokens included, within
JWT_REVOCATION_LAG_SECONDS; until then a worker may answer from what it
learned. The clock is frozen and moved, never waited for.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from freezegun import freeze_time
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.tokens import AccessToken, UntypedToken

from .helpers import (
    PASSWORD,
    log_in,
    logout_with,
    me,
    me_status,
    past_the_lag,
    refresh_with,
    tokens_from,
)

pytestmark = pytest.mark.django_db


def test_every_token_of_a_login_carries_its_session(api_client, user):
    tokens = log_in(api_client)
    refreshed = tokens_from(refresh_with(api_client, tokens["refresh"]))

    [session] = user.login_sessions.all()
    issued = [*tokens.values(), *refreshed.values()]
    claims = [UntypedToken(token)["sid"] for token in issued if token]
    assert claims == [str(session.pk)] * len(claims)
    assert len(claims) >= 3
    assert session.ended_at is None


def test_logout_refuses_the_sessions_access_token_within_the_lag(api_client, user):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        assert me_status(api_client, tokens["access"]) == 200

        assert logout_with(api_client, tokens["refresh"]).status_code == 204
        past_the_lag(clock)
        response = me(api_client, tokens["access"])

    assert response.status_code == 401
    assert response.json()["code"] == "session_ended"


def test_with_no_lag_logout_refuses_the_access_token_at_once(api_client, user, settings):
    settings.JWT_REVOCATION_LAG_SECONDS = 0
    tokens = log_in(api_client)
    assert me_status(api_client, tokens["access"]) == 200

    logout_with(api_client, tokens["refresh"])

    assert me_status(api_client, tokens["access"]) == 401


def test_within_the_lag_a_worker_answers_from_what_it_learned(api_client, user):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        assert me_status(api_client, tokens["access"]) == 200
        logout_with(api_client, tokens["refresh"])
        clock.tick(settings.JWT_REVOCATION_LAG_SECONDS - 1)

        assert me_status(api_client, tokens["access"]) == 200


def test_logout_leaves_the_users_other_sessions_alone(api_client, user):
    phone, laptop = log_in(api_client), log_in(api_client)

    logout_with(api_client, phone["refresh"])

    with freeze_time() as clock:
        past_the_lag(clock)
        assert me_status(api_client, phone["access"]) == 401
        assert me_status(api_client, laptop["access"]) == 200


def test_the_refresh_and_verify_of_an_ended_session_are_refused_at_once(api_client, user):
    tokens = log_in(api_client)
    assert me_status(api_client, tokens["access"]) == 200

    logout_with(api_client, tokens["refresh"])

    assert refresh_with(api_client, tokens["refresh"]).status_code == 401
    verify = api_client.post("/api/auth/token/verify/", {"token": tokens["access"]})
    assert verify.status_code == 401


@pytest.mark.parametrize(
    ("change", "code"),
    [
        pytest.param(lambda user: user.delete(), "no_active_account", id="deleted"),
        pytest.param(
            lambda user: type(user).objects.filter(pk=user.pk).update(is_active=False),
            "no_active_account",
            id="deactivated",
        ),
        pytest.param(
            lambda user: (user.set_password("another-long-passphrase"), user.save()),
            "password_changed",
            id="new password",
        ),
    ],
)
def test_an_account_change_ends_every_session_within_the_lag(api_client, user, change, code):
    with freeze_time() as clock:
        first, second = log_in(api_client), log_in(api_client)
        assert me_status(api_client, first["access"]) == 200

        change(user)
        past_the_lag(clock)

        for tokens in (first, second):
            response = me(api_client, tokens["access"])
            assert response.status_code == 401
            assert response.json()["code"] == code
            assert refresh_with(api_client, tokens["refresh"]).status_code == 401


def test_a_known_token_is_not_verified_again_but_still_expires(api_client, user, monkeypatch):
    with freeze_time() as clock:
        access = log_in(api_client)["access"]
        assert me_status(api_client, access) == 200

        def no_decoding(*args, **kwargs):
            raise AssertionError("the signature of a known token was checked again")

        monkeypatch.setattr(TokenBackend, "decode", no_decoding)
        assert me_status(api_client, access) == 200

        clock.tick(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() + 1)
        assert me_status(api_client, access) == 401


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"user_id": [1]}, id="user id a list"),
        pytest.param({"user_id": {"id": 1}}, id="user id an object"),
        pytest.param({"user_id": "not-a-number"}, id="user id not a number"),
        pytest.param({"sid": None}, id="no session"),
        pytest.param({"sid": "not-a-uuid"}, id="session id not a uuid"),
    ],
)
def test_a_signed_token_with_a_malformed_claim_is_401(api_client, user, claims):
    token = AccessToken(log_in(api_client)["access"])
    for name, value in claims.items():
        token[name] = value

    response = me(api_client, str(token))

    assert response.status_code == 401
    assert "code" in response.json()


def test_me_shows_the_user_as_stored_now(api_client, user):
    access = log_in(api_client)["access"]
    assert me_status(api_client, access) == 200
    type(user).objects.filter(pk=user.pk).update(first_name="Ada")

    assert me(api_client, access).json()["first_name"] == "Ada"


def test_a_deleted_users_login_still_works_for_nobody(api_client, user):
    user.delete()

    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 401


def test_flushing_finished_sessions_keeps_their_tokens_refused(api_client, user):
    with freeze_time() as clock:
        log_in(api_client)
        lasts = settings.JWT_SESSION_LIFETIME + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
        clock.tick(lasts.total_seconds() + 1)
        ended, current = log_in(api_client), log_in(api_client)
        logout_with(api_client, ended["refresh"])

        call_command("flushexpiredsessions", stdout=io.StringIO())

        [kept] = user.login_sessions.all()
        assert str(kept.pk) == UntypedToken(current["access"])["sid"]
        assert me_status(api_client, ended["access"]) == 401
        assert me_status(api_client, current["access"]) == 200
