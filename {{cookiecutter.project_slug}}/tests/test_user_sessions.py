"""Sessions a user sees and ends; idle, replayed and surplus sessions that end themselves.

Every rule runs through the helpers, so in the transport this project uses
(in cookie mode, ``current`` comes from the access cookie's token). The
clock is frozen and moved, never waited for.
"""

import uuid

import pytest
from django.conf import settings
from freezegun import freeze_time
from rest_framework.test import APIClient

from accounts.models import User
from jwt_auth import revocation
from jwt_auth.models import EndReason, LoginSession
from jwt_auth.sessions import SessionsView

from .helpers import (
    PASSWORD,
    authenticate,
    claims_of,
    log_in,
    me_status,
    past_the_lag,
    refresh_with,
    tokens_from,
)

pytestmark = pytest.mark.django_db

SESSIONS = "/api/auth/sessions/"


def log_in_from(client, address, agent, username="alice"):
    """Log in as a device at ``address`` whose browser says ``agent``."""
    response = client.post(
        "/api/auth/token/",
        {"username": username, "password": PASSWORD},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )
    assert response.status_code == 200, response.content
    return tokens_from(response)


def list_sessions(client, access):
    authenticate(client, access)
    response = client.get(SESSIONS)
    assert response.status_code == 200, response.content
    return response.json()


def end(client, access, session_id=None):
    """DELETE one session, or with no id every other one."""
    authenticate(client, access)
    return client.delete(SESSIONS if session_id is None else f"{SESSIONS}{session_id}/")


def claims_sid(token):
    return claims_of(token)["sid"]


def session_of(token):
    return LoginSession.objects.get(pk=claims_sid(token))


def refused_after_the_lag(clock, client, access):
    past_the_lag(clock)
    return me_status(client, access) == 401


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(
        username="bob", email="bob@example.com", password=PASSWORD
    )


def test_the_list_shows_each_open_session_newest_first_and_marks_this_one(api_client, user):
    with freeze_time("2026-03-01 09:00:00") as clock:
        phone = log_in_from(api_client, "203.0.113.7", "Phone/1.0")
        clock.tick(60)
        laptop = log_in_from(api_client, "2001:db8::5", "Laptop/2.0")

        listed = list_sessions(api_client, phone["access"])

    assert [row["id"] for row in listed] == [
        claims_sid(laptop["access"]),
        claims_sid(phone["access"]),
    ]
    assert listed[1] == {
        "id": claims_sid(phone["access"]),
        "created": "2026-03-01T09:00:00Z",
        "last_used": "2026-03-01T09:00:00Z",
        "ip": "203.0.113.7",
        "user_agent": "Phone/1.0",
        "current": True,
    }
    assert (listed[0]["ip"], listed[0]["user_agent"], listed[0]["current"]) == (
        "2001:db8::5",
        "Laptop/2.0",
        False,
    )


def test_a_long_user_agent_is_kept_to_256_characters(api_client, user):
    tokens = log_in_from(api_client, "203.0.113.7", "x" * 1000)

    [session] = list_sessions(api_client, tokens["access"])

    assert session["user_agent"] == "x" * 256


def test_last_used_moves_at_refresh_and_not_at_each_request(api_client, user):
    with freeze_time("2026-03-01 09:00:00") as clock:
        tokens = log_in(api_client)
        clock.tick(300)
        assert me_status(api_client, tokens["access"]) == 200
        assert session_of(tokens["access"]).last_used.isoformat() == "2026-03-01T09:00:00+00:00"

        refresh_with(api_client, tokens["refresh"])

    assert session_of(tokens["access"]).last_used.isoformat() == "2026-03-01T09:05:00+00:00"


def test_a_new_sign_in_in_the_same_session_counts_as_use(api_client, user):
    with freeze_time("2026-03-01 09:00:00") as clock:
        tokens = log_in(api_client)
        clock.tick(600)
        authenticate(api_client, tokens["access"])

        response = api_client.post("/api/auth/reauthenticate/", {"password": PASSWORD})

    assert response.status_code == 200
    assert session_of(tokens["access"]).last_used.isoformat() == "2026-03-01T09:10:00+00:00"


def test_listing_the_sessions_is_one_query(
    api_client, user, django_assert_num_queries, monkeypatch
):
    # The rate limit counts in the cache, which may be the database: not the listing's cost.
    monkeypatch.setattr(SessionsView, "throttle_classes", ())
    for _ in range(3):
        tokens = log_in(api_client)
    authenticate(api_client, tokens["access"])
    assert api_client.get("/api/auth/me/").status_code == 200  # this process knows the user now

    with django_assert_num_queries(1):
        response = api_client.get(SESSIONS)

    assert len(response.json()) == 3


def test_user_a_never_sees_user_bs_sessions(api_client, user, bob):
    alice = log_in(api_client)
    log_in(APIClient(), "bob")

    listed = list_sessions(api_client, alice["access"])

    assert [row["id"] for row in listed] == [claims_sid(alice["access"])]


def test_ending_a_session_refuses_its_refresh_at_once_and_its_access_within_the_lag(
    api_client, user
):
    with freeze_time() as clock:
        laptop, phone = log_in(api_client), log_in(APIClient())
        assert me_status(APIClient(), phone["access"]) == 200

        response = end(api_client, laptop["access"], claims_sid(phone["access"]))

        assert response.status_code == 204
        assert refresh_with(APIClient(), phone["refresh"]).status_code == 401
        assert refused_after_the_lag(clock, APIClient(), phone["access"])
        assert me_status(APIClient(), laptop["access"]) == 200
    assert session_of(phone["access"]).end_reason == EndReason.ENDED_BY_USER


def test_a_user_may_end_the_session_they_use(api_client, user):
    tokens = log_in(api_client)

    assert end(api_client, tokens["access"], claims_sid(tokens["access"])).status_code == 204
    assert refresh_with(APIClient(), tokens["refresh"]).status_code == 401


def test_ending_every_other_session_keeps_this_one(api_client, user, bob):
    with freeze_time() as clock:
        this, other, another = log_in(api_client), log_in(APIClient()), log_in(APIClient())
        bobs = log_in(APIClient(), "bob")

        assert end(api_client, this["access"]).status_code == 204

        assert [row["id"] for row in list_sessions(api_client, this["access"])] == [
            claims_sid(this["access"])
        ]
        for tokens in (other, another):
            assert refresh_with(APIClient(), tokens["refresh"]).status_code == 401
            assert refused_after_the_lag(clock, APIClient(), tokens["access"])
        assert refresh_with(APIClient(), bobs["refresh"]).status_code == 200


def test_user_a_cannot_end_user_bs_session(api_client, user, bob):
    alice = log_in(api_client)
    bobs = log_in(APIClient(), "bob")

    response = end(api_client, alice["access"], claims_sid(bobs["access"]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert session_of(bobs["access"]).ended_at is None
    assert refresh_with(APIClient(), bobs["refresh"]).status_code == 200


@pytest.mark.parametrize(
    "session_id", [uuid.uuid4(), "not-a-uuid", "1", "0" * 300, "%F0%9F%92%A9", "%00"]
)
def test_an_unknown_or_malformed_session_id_is_404(api_client, tokens, session_id):
    response = end(api_client, tokens["access"], session_id)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_ended_session_cannot_be_ended_again(api_client, user):
    this, other = log_in(api_client), log_in(APIClient())
    assert end(api_client, this["access"], claims_sid(other["access"])).status_code == 204

    assert end(api_client, this["access"], claims_sid(other["access"])).status_code == 404


@pytest.mark.parametrize("body", ["[]", "null", '"x"', "{", '{"id": []}'])
def test_any_body_sent_with_an_ending_is_ignored_or_refused_never_a_500(api_client, user, body):
    this, other = log_in(api_client), log_in(APIClient())
    authenticate(api_client, this["access"])

    response = api_client.delete(
        f"{SESSIONS}{claims_sid(other['access'])}/", body, content_type="application/json"
    )

    assert response.status_code < 500
    assert response.status_code in (204, 400)


@pytest.mark.parametrize("one", [True, False], ids=["one", "all-others"])
def test_ending_sessions_needs_a_recent_sign_in(api_client, user, one):
    with freeze_time() as clock:
        this, other = log_in(api_client), log_in(APIClient())
        clock.tick(settings.JWT_REAUTH_MAX_AGE_SECONDS + 1)

        response = end(api_client, this["access"], claims_sid(other["access"]) if one else None)

        assert response.status_code == 403
        assert response.json()["code"] == "reauthentication_required"
        assert session_of(other["access"]).ended_at is None
        assert me_status(api_client, this["access"]) == 200  # listing needs none
{%- if cookiecutter.rotate_refresh_tokens %}


def test_a_refresh_token_replayed_after_the_grace_ends_its_whole_session(api_client, user):
    with freeze_time() as clock:
        stolen = log_in(api_client)
        newest = tokens_from(refresh_with(api_client, stolen["refresh"]))
        clock.tick(settings.JWT_REFRESH_REUSE_GRACE_SECONDS + 1)

        replay = refresh_with(APIClient(), stolen["refresh"])

        assert replay.status_code == 401
        assert replay.json()["code"] == "token_reused"
        refused = refresh_with(APIClient(), newest["refresh"])
        assert refused.status_code == 401
        assert refused.json()["code"] == "session_ended"
        assert refused_after_the_lag(clock, APIClient(), newest["access"])
        assert me_status(APIClient(), stolen["access"]) == 401
    assert session_of(stolen["access"]).end_reason == EndReason.REUSE


def test_a_replay_ends_only_its_own_session(api_client, user):
    other = log_in(APIClient())
    with freeze_time() as clock:
        stolen = log_in(api_client)
        refresh_with(api_client, stolen["refresh"])
        clock.tick(settings.JWT_REFRESH_REUSE_GRACE_SECONDS + 1)

        assert refresh_with(APIClient(), stolen["refresh"]).status_code == 401

    assert refresh_with(APIClient(), other["refresh"]).status_code == 200


def test_within_the_grace_a_replay_is_refused_but_the_session_goes_on(api_client, user):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        newest = tokens_from(refresh_with(api_client, tokens["refresh"]))
        clock.tick(settings.JWT_REFRESH_REUSE_GRACE_SECONDS)

        replay = refresh_with(APIClient(), tokens["refresh"])

        assert replay.status_code == 401
        assert replay.json()["code"] == "token_not_valid"
        assert refresh_with(APIClient(), newest["refresh"]).status_code == 200
    assert session_of(tokens["access"]).ended_at is None


def test_with_no_grace_any_later_replay_ends_the_session(api_client, user, settings):
    settings.JWT_REFRESH_REUSE_GRACE_SECONDS = 0
    with freeze_time() as clock:
        tokens = log_in(api_client)
        newest = tokens_from(refresh_with(api_client, tokens["refresh"]))
        clock.tick(1)

        assert refresh_with(APIClient(), tokens["refresh"]).json()["code"] == "token_reused"
        assert refresh_with(APIClient(), newest["refresh"]).status_code == 401


def test_an_expired_replayed_token_is_only_refused(api_client, user, settings):
    settings.JWT_SESSION_LIFETIME = settings.JWT_SESSION_IDLE = (
        3 * settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    )
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    with freeze_time() as clock:
        tokens = log_in(api_client)
        clock.tick(lifetime / 2)
        newest = tokens_from(refresh_with(api_client, tokens["refresh"]))
        clock.tick(lifetime * 0.75)

        assert refresh_with(APIClient(), tokens["refresh"]).json()["code"] == "token_not_valid"
        assert refresh_with(APIClient(), newest["refresh"]).status_code == 200
{%- endif %}


def test_a_session_not_refreshed_for_the_idle_limit_ends(api_client, user):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        clock.tick(settings.JWT_SESSION_IDLE.total_seconds() + 1)

        response = refresh_with(api_client, tokens["refresh"])

        assert response.status_code == 401
        assert response.json()["code"] == "session_idle"
        assert refresh_with(APIClient(), tokens["refresh"]).status_code == 401
    assert session_of(tokens["access"]).end_reason == EndReason.IDLE


def test_refreshing_within_the_idle_limit_keeps_the_session_going(api_client, user):
    idle = settings.JWT_SESSION_IDLE.total_seconds()
    with freeze_time() as clock:
        refresh = log_in(api_client)["refresh"]
        for _ in range(3):
            clock.tick(idle - 1)
            response = refresh_with(api_client, refresh)
            assert response.status_code == 200
            refresh = tokens_from(response)["refresh"] or refresh


def test_an_idle_session_leaves_the_list(api_client, user):
    with freeze_time() as clock:
        idle, active = log_in(APIClient()), log_in(api_client)
        clock.tick(settings.JWT_SESSION_IDLE.total_seconds() - 60)
        active = tokens_from(refresh_with(api_client, active["refresh"]))
        clock.tick(61)

        listed = list_sessions(api_client, active["access"])

    assert [row["id"] for row in listed] == [claims_sid(active["access"])]
    assert claims_sid(idle["access"]) != listed[0]["id"]


def test_at_the_limit_a_login_ends_the_least_recently_used_session(api_client, user, settings):
    settings.JWT_MAX_SESSIONS_PER_USER = 2
    with freeze_time() as clock:
        first, second = log_in(api_client), log_in(api_client)
        clock.tick(90)
        refresh_with(api_client, first["refresh"])  # the first is now the more recently used
        clock.tick(30)

        third = log_in(api_client)

        assert refresh_with(APIClient(), second["refresh"]).status_code == 401
        assert refused_after_the_lag(clock, APIClient(), second["access"])
    assert session_of(second["access"]).end_reason == EndReason.SESSION_LIMIT
    assert set(user.login_sessions.open().values_list("pk", flat=True)) == {
        uuid.UUID(claims_sid(first["access"])),
        uuid.UUID(claims_sid(third["access"])),
    }


def test_the_limit_counts_each_user_alone(api_client, user, bob, settings):
    settings.JWT_MAX_SESSIONS_PER_USER = 1
    alice = log_in(api_client)

    log_in(APIClient(), "bob")

    assert refresh_with(APIClient(), alice["refresh"]).status_code == 200


def test_a_limit_of_zero_keeps_every_session(api_client, user, settings):
    settings.JWT_MAX_SESSIONS_PER_USER = 0
    for _ in range(20):
        revocation.open_session(user)

    log_in(api_client)

    assert user.login_sessions.open().count() == 21


def test_deactivation_ends_the_sessions_for_good(api_client, user):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        user.is_active = False
        user.save()
        user.is_active = True
        user.save()

        assert refresh_with(api_client, tokens["refresh"]).status_code == 401
        assert refused_after_the_lag(clock, api_client, tokens["access"])
        assert me_status(APIClient(), log_in(APIClient())["access"]) == 200
    assert session_of(tokens["access"]).end_reason == EndReason.DEACTIVATION


def test_deactivation_in_the_admin_ends_the_sessions(client, user):
    tokens = log_in(APIClient())
    staff = User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    client.force_login(staff)

    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": "alice",
            "email": "alice@example.com",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302
    assert session_of(tokens["access"]).end_reason == EndReason.DEACTIVATION
    user.is_active = True
    user.save()
    assert refresh_with(APIClient(), tokens["refresh"]).status_code == 401


def test_other_saves_of_the_user_end_nothing(api_client, user):
    tokens = log_in(api_client)
    user.first_name = "Alice"
    user.save()

    assert refresh_with(api_client, tokens["refresh"]).status_code == 200


def test_a_new_password_ends_the_sessions_with_its_reason(api_client, user):
    tokens = log_in(api_client)
    user.set_password("another-long-passphrase")
    user.save()

    assert session_of(tokens["access"]).end_reason == EndReason.PASSWORD_CHANGE
    assert refresh_with(api_client, tokens["refresh"]).status_code == 401


def test_the_admins_session_ends_when_idle(client, user):
    staff = User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    with freeze_time() as clock:
        client.force_login(staff)
        assert client.get("/admin/").status_code == 200
        clock.tick(settings.JWT_SESSION_IDLE.total_seconds() - 60)
        assert client.get("/admin/").status_code == 200  # each request moves the end
        clock.tick(settings.JWT_SESSION_IDLE.total_seconds() + 1)

        assert client.get("/admin/").status_code == 302


def test_the_admins_session_ends_at_the_absolute_end_however_active(client, user, settings):
    settings.JWT_SESSION_LIFETIME = 4 * settings.JWT_SESSION_IDLE
    staff = User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    step = settings.JWT_SESSION_IDLE.total_seconds() - 60
    with freeze_time() as clock:
        client.force_login(staff)
        elapsed = 0
        while elapsed + step < settings.JWT_SESSION_LIFETIME.total_seconds():
            assert client.get("/admin/").status_code == 200
            clock.tick(step)
            elapsed += step
        clock.tick(step)

        assert client.get("/admin/").status_code == 302
