"""Recent authentication: ``auth_time`` on every token, one rule for sensitive changes.

The clock is frozen and moved, never waited for.
"""

import pytest
from django.conf import settings
from freezegun import freeze_time

from jwt_auth import revocation

from .helpers import PASSWORD, authenticate, claims_of, log_in, me_status, refresh_with, tokens_from

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/api/auth/reauthenticate/"
NOON = "2026-01-01 12:00:00"
NOON_EPOCH = 1767268800
{%- if cookiecutter.email_verification != "none" %}
# A new address is pending until the link sent to it is followed (test_email_verification.py).
EMAIL_CHANGE_ACCEPTED = 202
{%- else %}
EMAIL_CHANGE_ACCEPTED = 200
{%- endif %}


def let_the_sign_in_go_stale(clock):
    clock.tick(settings.JWT_REAUTH_MAX_AGE_SECONDS + 1)


def change_email(client, access, email="new@example.com"):
    authenticate(client, access)
    return client.patch("/api/auth/me/", {"email": email})


def test_a_login_stamps_its_tokens_with_the_moment_the_password_was_proved(api_client, user):
    with freeze_time(NOON):
        tokens = log_in(api_client)

    assert claims_of(tokens["access"])["auth_time"] == NOON_EPOCH
    assert claims_of(tokens["refresh"])["auth_time"] == NOON_EPOCH


def test_refresh_keeps_the_moment_of_the_login(api_client, user):
    with freeze_time(NOON) as clock:
        tokens = log_in(api_client)
        clock.tick(600)
        refreshed = tokens_from(refresh_with(api_client, tokens["refresh"]))

    issued = [token for token in refreshed.values() if token]
    assert issued
    assert [claims_of(token)["auth_time"] for token in issued] == [NOON_EPOCH] * len(issued)


def test_a_new_email_right_after_a_login_is_accepted(api_client, user):
    tokens = log_in(api_client)

    response = change_email(api_client, tokens["access"])

    assert response.status_code == EMAIL_CHANGE_ACCEPTED
{%- if cookiecutter.email_verification == "none" %}
    user.refresh_from_db()
    assert user.email == "new@example.com"
{%- endif %}


def test_a_new_email_after_the_sign_in_went_stale_is_403_and_changes_nothing(api_client, user):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        let_the_sign_in_go_stale(clock)
        response = change_email(api_client, tokens["access"])

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_other_fields_need_no_recent_sign_in(api_client, user):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        let_the_sign_in_go_stale(clock)
        authenticate(api_client, tokens["access"])
        response = api_client.patch("/api/auth/me/", {"first_name": "Alice"})

    assert response.status_code == 200


def test_reauthentication_renews_auth_time_in_the_same_session(api_client, user):
    with freeze_time(NOON) as clock:
        tokens = log_in(api_client)
        let_the_sign_in_go_stale(clock)
        authenticate(api_client, tokens["access"])
        response = api_client.post(REAUTHENTICATE, {"password": PASSWORD})
        renewed = tokens_from(response)
        changed = change_email(api_client, renewed["access"])

    assert response.status_code == 200
    before, after = claims_of(tokens["refresh"]), claims_of(renewed["refresh"])
    assert after["sid"] == before["sid"]
    assert after["auth_time"] == NOON_EPOCH + settings.JWT_REAUTH_MAX_AGE_SECONDS + 1
    assert claims_of(renewed["access"])["auth_time"] == after["auth_time"]
    assert after["session_end"] == before["session_end"]  # the session's end does not move
    assert changed.status_code == EMAIL_CHANGE_ACCEPTED
    assert user.login_sessions.count() == 1


def test_a_wrong_password_is_a_400_naming_the_field(api_client, user, tokens):
    authenticate(api_client, tokens["access"])

    response = api_client.post(REAUTHENTICATE, {"password": "wrong"})

    assert response.status_code == 400
    assert response.json() == {"password": ["The password is not correct."]}


def test_a_password_with_a_space_added_is_not_the_password(api_client, user, tokens):
    authenticate(api_client, tokens["access"])

    response = api_client.post(REAUTHENTICATE, {"password": f" {PASSWORD} "})

    assert response.status_code == 400


@pytest.mark.parametrize("body", [{}, {"password": 12345678}, ["x"], {"password": ""}])
def test_a_malformed_body_is_a_400(api_client, user, tokens, body):
    authenticate(api_client, tokens["access"])

    response = api_client.post(REAUTHENTICATE, body, format="json")

    assert response.status_code == 400


def test_reauthentication_needs_a_signed_in_user(api_client, user):
    response = api_client.post(REAUTHENTICATE, {"password": PASSWORD})

    assert response.status_code == 401


def test_an_ended_session_cannot_be_renewed(api_client, user, tokens, settings):
    settings.JWT_REVOCATION_LAG_SECONDS = 0
    authenticate(api_client, tokens["access"])
    user.login_sessions.update(ended_at="2026-01-01T00:00:00Z")

    response = api_client.post(REAUTHENTICATE, {"password": PASSWORD})

    assert response.status_code == 401
    assert response.json()["code"] == "session_ended"


def test_a_token_without_auth_time_counts_as_stale(api_client, user):
    access = revocation.open_session(user).access_token
    del access["auth_time"]

    response = change_email(api_client, str(access))

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"


def test_a_token_with_a_malformed_auth_time_is_refused(api_client, user):
    access = revocation.open_session(user).access_token
    access["auth_time"] = "this morning"

    assert me_status(api_client, str(access)) == 401
{%- if cookiecutter.throttling %}


def test_wrong_passwords_count_toward_the_accounts_failed_logins(api_client, user, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_account": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    tokens = log_in(api_client)
    authenticate(api_client, tokens["access"])
    for _ in range(2):
        api_client.post(REAUTHENTICATE, {"password": "wrong"})

    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )

    assert response.status_code == 429


def test_over_the_accounts_limit_even_the_right_password_is_429(api_client, user, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_account": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    authenticate(api_client, log_in(api_client)["access"])
    for _ in range(2):
        api_client.post(REAUTHENTICATE, {"password": "wrong"})

    response = api_client.post(REAUTHENTICATE, {"password": PASSWORD})

    assert response.status_code == 429
    assert "Retry-After" in response
{%- endif %}
