"""Multi-factor sign-in: TOTP (real RFC 6238 codes from pyotp) and recovery codes.

Sign-in with MFA on is two steps: the password earns an ``mfa_token`` and no
session; the token and a code open it. The clock is frozen and moved, never
waited for; a TOTP code works once, so tests that need two move a step on.
"""

from functools import partial

import pytest
from django.conf import settings
from django.test import Client
from freezegun import freeze_time
from rest_framework.test import APIClient

from accounts.emails import password_reset_link
{%- if cookiecutter.token_storage != "header" %}
from jwt_auth.cookies import ACCESS_COOKIE, REFRESH_COOKIE
{%- endif %}
from mfa import factors, limits, signals
from mfa.models import MFAChallenge, RecoveryCode, TOTPDevice

from .helpers import (
    NEW_PASSWORD,
    PASSWORD,
    at_once,
    authenticate,
{%- if cookiecutter.token_storage != "header" %}
    browser_client,
{%- endif %}
    claims_of,
    confirm_reset,
    log_in,
    me,
    me_status,
    refresh_with,
    second_step,
    start_login,
    tokens_from,
    totp_code,
    turn_on_mfa,
)

pytestmark = pytest.mark.django_db

MFA = "/api/auth/mfa/"
TOTP = "/api/auth/mfa/totp/"
CONFIRM = "/api/auth/mfa/totp/confirm/"
RECOVERY_CODES = "/api/auth/mfa/recovery-codes/"
REAUTHENTICATE = "/api/auth/reauthenticate/"
NOON = "2026-01-01 12:00:00"
NOON_EPOCH = 1767268800
STEP = 30


@pytest.fixture
def secret_and_codes(user):
    return turn_on_mfa(user)


@pytest.fixture
def secret(secret_and_codes):
    return secret_and_codes[0]


@pytest.fixture
def recovery_codes(secret_and_codes):
    return secret_and_codes[1]


def assert_no_tokens(response):
    """Neither token in the body nor in a cookie."""
    body = response.json()
    assert "access" not in body
    assert "refresh" not in body
{%- if cookiecutter.token_storage != "header" %}
    assert ACCESS_COOKIE not in response.cookies
    assert REFRESH_COOKIE not in response.cookies
{%- endif %}


def sign_in_with_code(client, code, username="alice"):
    return second_step(client, start_login(client, username), code)


# Enrolment


def test_an_authenticator_is_enrolled_then_confirmed_with_its_code(api_client, user, tokens):
    authenticate(api_client, tokens["access"])

    started = api_client.post(TOTP)
    before = api_client.get(MFA).json()
    enrolment = started.json()
    confirmed = api_client.post(CONFIRM, {"code": totp_code(enrolment["secret"])})

    assert started.status_code == 201
    assert enrolment["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={enrolment['secret']}" in enrolment["otpauth_uri"]
    assert enrolment["qr_svg"].startswith("<svg")
    assert before == {"totp": False, "recovery_codes_left": 0{% if cookiecutter.passkeys %}, "passkeys": 0{% endif %}}
    assert confirmed.status_code == 200
    codes = confirmed.json()["recovery_codes"]
    assert len(set(codes)) == 10
    assert api_client.get(MFA).json() == {"totp": True, "recovery_codes_left": 10{% if cookiecutter.passkeys %}, "passkeys": 0{% endif %}}


def test_the_recovery_codes_are_stored_as_digests_only(api_client, user, recovery_codes):
    stored = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))

    assert len(stored) == 10
    assert not any(code.replace("-", "") in digest for code in recovery_codes for digest in stored)


def test_a_second_enrolment_replaces_the_pending_authenticator(api_client, user, tokens):
    authenticate(api_client, tokens["access"])
    first = api_client.post(TOTP).json()["secret"]
    second = api_client.post(TOTP).json()["secret"]

    stale = api_client.post(CONFIRM, {"code": totp_code(first)})
    fresh = api_client.post(CONFIRM, {"code": totp_code(second)})

    assert stale.status_code == 400
    assert "code" in stale.json()
    assert fresh.status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_confirmation_code_leaves_mfa_off(api_client, user, tokens):
    authenticate(api_client, tokens["access"])
    enrolment = api_client.post(TOTP).json()
    wrong = "000000" if totp_code(enrolment["secret"]) != "000000" else "111111"

    response = api_client.post(CONFIRM, {"code": wrong})

    assert response.status_code == 400
    assert response.json() == {"code": ["The code is not correct."]}
    assert api_client.get(MFA).json()["totp"] is False


@pytest.mark.parametrize("code", ["abcdef", "1234567", "", None, ["123456"]])
def test_a_confirmation_code_that_is_no_code_is_a_400_naming_it(api_client, user, tokens, code):
    authenticate(api_client, tokens["access"])
    api_client.post(TOTP)

    response = api_client.post(CONFIRM, {"code": code}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["code"]
    assert not factors.has_mfa(user)


def test_confirming_without_an_enrolment_is_a_400(api_client, user, tokens):
    authenticate(api_client, tokens["access"])

    response = api_client.post(CONFIRM, {"code": "123456"})

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_turning_mfa_off_removes_the_authenticator_and_the_codes(api_client, user, secret):
    tokens = tokens_from(sign_in_with_code(api_client, totp_code(secret)))
    authenticate(api_client, tokens["access"])

    response = api_client.delete(TOTP)

    assert response.status_code == 204
    assert api_client.get(MFA).json() == {"totp": False, "recovery_codes_left": 0{% if cookiecutter.passkeys %}, "passkeys": 0{% endif %}}
    assert log_in(APIClient())["access"]


def test_new_recovery_codes_replace_the_old_set(api_client, user, secret, recovery_codes):
    tokens = tokens_from(sign_in_with_code(api_client, totp_code(secret)))
    authenticate(api_client, tokens["access"])

    response = api_client.post(RECOVERY_CODES)

    assert response.status_code == 200
    new_codes = response.json()["recovery_codes"]
    assert len(new_codes) == 10
    assert sign_in_with_code(APIClient(), recovery_codes[0]).status_code == 400
    assert sign_in_with_code(APIClient(), new_codes[0]).status_code == 200


def test_new_recovery_codes_need_mfa_on(api_client, user, tokens):
    authenticate(api_client, tokens["access"])

    response = api_client.post(RECOVERY_CODES)

    assert response.status_code == 400
    assert RecoveryCode.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", TOTP), ("delete", TOTP), ("post", CONFIRM), ("post", RECOVERY_CODES)],
)
def test_changing_factors_needs_a_recent_sign_in(api_client, user, method, path):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        clock.tick(settings.JWT_REAUTH_MAX_AGE_SECONDS + 1)
        authenticate(api_client, tokens["access"])
        response = getattr(api_client, method)(path, {"code": "123456"})

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    assert TOTPDevice.objects.count() == 0


def test_the_mfa_endpoints_need_a_signed_in_user(api_client, user):
    assert api_client.get(MFA).status_code == 401
    assert api_client.post(TOTP).status_code == 401


# Sign-in


def test_a_right_password_with_mfa_on_gives_a_challenge_and_no_tokens(api_client, user, secret):
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert body["mfa_required"] is True
    assert body["methods"] == ["totp", "recovery_code"]
    assert body["mfa_token"]
    assert_no_tokens(response)
    assert user.login_sessions.count() == 0


def test_a_wrong_password_answers_the_same_with_mfa_on_or_off(api_client, user, django_user_model):
    django_user_model.objects.create_user(username="bob", password=PASSWORD)
    turn_on_mfa(user)

    answers = [
        api_client.post("/api/auth/token/", {"username": name, "password": "wrong"})
        for name in ("alice", "bob")
    ]

    with_mfa, without_mfa = ((answer.status_code, answer.json()) for answer in answers)
    assert with_mfa == without_mfa
    assert with_mfa[0] == 401
    assert MFAChallenge.objects.count() == 0
{%- if cookiecutter.token_storage != "header" %}


def test_a_browser_gets_the_token_cookies_only_at_the_second_step(user, secret):
    browser = browser_client()
    first = browser.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    second = second_step(browser, first.json()["mfa_token"], totp_code(secret))

    assert_no_tokens(first)
    assert second.status_code == 200
    assert {ACCESS_COOKIE, REFRESH_COOKIE} <= set(second.cookies)
    assert set(second.json()) == {"access_expires", "refresh_expires"}
    assert second.cookies[ACCESS_COOKIE]["httponly"]


def test_the_second_step_is_csrf_checked_as_login_is(user, secret):
    browser = browser_client()
    mfa_token = browser.post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}
    ).json()["mfa_token"]
    browser.credentials(HTTP_X_CSRFTOKEN="not-the-token")

    response = second_step(browser, mfa_token, totp_code(secret))

    assert response.status_code == 403
    assert ACCESS_COOKIE not in response.cookies
{%- endif %}


def test_the_second_step_with_a_totp_code_opens_the_session(api_client, user, secret):
    with freeze_time(NOON) as clock:
        mfa_token = start_login(api_client)
        clock.tick(40)
        response = second_step(api_client, mfa_token, totp_code(secret))
        tokens = tokens_from(response)
        signed_in = me_status(APIClient(), tokens["access"])

    assert response.status_code == 200
    assert signed_in == 200
    assert user.login_sessions.count() == 1
    # The session's credential was proved at the second step.
    assert claims_of(tokens["access"])["auth_time"] == NOON_EPOCH + 40
    assert claims_of(tokens["refresh"])["auth_time"] == NOON_EPOCH + 40


def test_refresh_keeps_the_auth_time_of_the_second_step(api_client, user, secret):
    with freeze_time(NOON) as clock:
        tokens = tokens_from(sign_in_with_code(api_client, totp_code(secret)))
        clock.tick(600)
        refreshed = tokens_from(refresh_with(api_client, tokens["refresh"]))

    assert claims_of(refreshed["access"])["auth_time"] == NOON_EPOCH


def test_the_second_step_accepts_a_recovery_code_once(api_client, user, recovery_codes):
    first = sign_in_with_code(api_client, recovery_codes[3])
    again = sign_in_with_code(APIClient(), recovery_codes[3])

    assert first.status_code == 200
    assert tokens_from(first)["access"]
    assert again.status_code == 400
    assert again.json() == {"code": ["The code is not correct."]}
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 9


def test_a_recovery_code_is_read_without_dashes_spaces_or_case(api_client, user, recovery_codes):
    typed = recovery_codes[0].replace("-", " ").upper()

    assert sign_in_with_code(api_client, typed).status_code == 200


def test_a_totp_code_works_once(api_client, user, secret):
    with freeze_time(NOON):
        code = totp_code(secret)
        first = sign_in_with_code(api_client, code)
        replay = sign_in_with_code(APIClient(), code)

    assert first.status_code == 200
    assert replay.status_code == 400
    assert "code" in replay.json()


def test_an_earlier_code_is_refused_once_a_later_one_was_used(api_client, user, secret):
    with freeze_time(NOON) as clock:
        earlier = totp_code(secret)
        clock.tick(STEP)
        assert sign_in_with_code(api_client, totp_code(secret)).status_code == 200

        response = sign_in_with_code(APIClient(), earlier)

    assert response.status_code == 400


@pytest.mark.parametrize("steps", [-1, 1])
def test_one_step_of_clock_drift_is_accepted(api_client, user, secret, steps):
    with freeze_time(NOON):
        response = sign_in_with_code(api_client, totp_code(secret, steps))

    assert response.status_code == 200


@pytest.mark.parametrize("steps", [-2, 2])
def test_two_steps_of_drift_are_refused(api_client, user, secret, steps):
    with freeze_time(NOON):
        response = sign_in_with_code(api_client, totp_code(secret, steps))

    assert response.status_code == 400


def test_spaces_inside_a_code_are_ignored(api_client, user, secret):
    code = totp_code(secret)

    response = sign_in_with_code(api_client, f"{code[:3]} {code[3:]}")

    assert response.status_code == 200


@pytest.mark.parametrize("code", ["12a456", "1234567", "", "   ", "12345", 123456, None, "x" * 65])
def test_a_code_that_is_no_code_is_a_400_naming_the_field(api_client, user, secret, code):
    mfa_token = start_login(api_client)

    response = api_client.post(
        "/api/auth/mfa/verify/", {"mfa_token": mfa_token, "code": code}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["code"]


@pytest.mark.parametrize(
    "body",
    [{}, {"code": "123456"}, {"mfa_token": "x"}, ["x"], "scalar", {"mfa_token": "x" * 10_000}],
)
def test_a_malformed_second_step_is_a_400(api_client, user, body):
    response = api_client.post("/api/auth/mfa/verify/", body, format="json")

    assert response.status_code == 400


@pytest.mark.parametrize("mfa_token", ["not-a-token", "", "x" * 129, "ö" * 20])
def test_a_foreign_or_malformed_mfa_token_is_a_400_naming_it(api_client, user, secret, mfa_token):
    response = second_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 400
    assert list(response.json()) == ["mfa_token"]


def test_an_mfa_token_works_once(api_client, user, secret, recovery_codes):
    mfa_token = start_login(api_client)
    assert second_step(api_client, mfa_token, totp_code(secret)).status_code == 200

    again = second_step(APIClient(), mfa_token, recovery_codes[0])

    assert again.status_code == 400
    assert list(again.json()) == ["mfa_token"]
    assert user.login_sessions.count() == 1


def test_an_mfa_token_expires_after_five_minutes(api_client, user, secret):
    with freeze_time(NOON) as clock:
        mfa_token = start_login(api_client)
        clock.tick(5 * 60 + 1)
        response = second_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 400
    assert list(response.json()) == ["mfa_token"]


def test_an_mfa_token_of_a_deactivated_user_is_refused(api_client, user, secret):
    mfa_token = start_login(api_client)
    user.is_active = False
    user.save()

    assert second_step(api_client, mfa_token, totp_code(secret)).status_code == 400


def test_an_mfa_token_opens_nothing_but_the_second_step(api_client, user, secret):
    mfa_token = start_login(api_client)

    assert me_status(APIClient(), mfa_token) == 401
    assert refresh_with(APIClient(), mfa_token).status_code == 401
    assert api_client.post("/api/auth/token/verify/", {"token": mfa_token}).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_one_mfa_token_sent_twice_at_once_signs_in_once(user):
    _secret, codes = turn_on_mfa(user)
    mfa_token = start_login(APIClient())

    answers = at_once(*(partial(second_step, APIClient(), mfa_token, code) for code in codes[:2]))

    assert sorted(answer.status_code for answer in answers) == [200, 400]
    assert user.login_sessions.count() == 1


# Wrong codes are limited, whatever the project's rate limits.


def wrong_code(secret):
    return "000000" if totp_code(secret) != "000000" else "111111"


def test_wrong_codes_are_limited_per_mfa_token(api_client, user, secret):
    with freeze_time(NOON):
        mfa_token = start_login(api_client)
        for _ in range(limits.WRONG_CODES_PER_MINUTE):
            assert second_step(api_client, mfa_token, wrong_code(secret)).status_code == 400

        response = second_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= limits.WINDOW_SECONDS
    assert user.login_sessions.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_wrong_codes_gets_exactly_the_limit_of_checks(user, secret):
    """Twelve wrong codes at once for one sign-in, each from its own address.

    Each code takes its place in both counts (the account's, the sign-in's)
    before it is checked, so no more than the limit are checked, whatever the
    order of the threads; where the two counts interleave, fewer may be.
    """
    attempts = 2 * limits.WRONG_CODES_PER_MINUTE + 2
    clients = [APIClient(REMOTE_ADDR=f"198.51.100.{number}") for number in range(attempts)]

    with freeze_time(NOON):
        mfa_token = start_login(APIClient())
        guesses = (
            partial(second_step, client, mfa_token, wrong_code(secret)) for client in clients
        )
        statuses = [answer.status_code for answer in at_once(*guesses)]

    checked = statuses.count(400)
    assert checked <= limits.WRONG_CODES_PER_MINUTE
    assert statuses.count(429) == attempts - checked


def test_wrong_codes_are_limited_per_account_across_logins(api_client, user, secret):
    with freeze_time(NOON) as clock:
        for number in range(limits.WRONG_CODES_PER_MINUTE):
            client = APIClient(REMOTE_ADDR=f"192.0.2.{number}")  # within the login rate
            second_step(client, start_login(client), wrong_code(secret))
        limited = sign_in_with_code(api_client, totp_code(secret))
        clock.tick(limits.WINDOW_SECONDS)
        later = sign_in_with_code(api_client, totp_code(secret))

    assert limited.status_code == 429
    assert later.status_code == 200
{%- if cookiecutter.throttling %}


def test_wrong_codes_count_toward_the_accounts_failed_logins(api_client, user, secret, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_account": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    mfa_token = start_login(api_client)
    for _ in range(2):
        second_step(api_client, mfa_token, wrong_code(secret))

    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )

    assert response.status_code == 429
{%- endif %}


# Re-authentication


def sign_in_and_go_stale(client, clock, secret):
    tokens = tokens_from(sign_in_with_code(client, totp_code(secret)))
    clock.tick(settings.JWT_REAUTH_MAX_AGE_SECONDS + STEP)
    authenticate(client, tokens["access"])
    return tokens


def test_reauthentication_with_mfa_on_needs_a_code(api_client, user, secret):
    with freeze_time(NOON) as clock:
        sign_in_and_go_stale(api_client, clock, secret)
        response = api_client.post(REAUTHENTICATE, {"password": PASSWORD})

    assert response.status_code == 400
    assert list(response.json()) == ["code"]


def test_reauthentication_with_password_and_code_renews_auth_time(api_client, user, secret):
    with freeze_time(NOON) as clock:
        tokens = sign_in_and_go_stale(api_client, clock, secret)
        response = api_client.post(
            REAUTHENTICATE, {"password": PASSWORD, "code": totp_code(secret)}
        )
        renewed = tokens_from(response)
        authenticate(api_client, renewed["access"])
        turned_off = api_client.delete(TOTP)

    assert response.status_code == 200
    assert claims_of(renewed["refresh"])["sid"] == claims_of(tokens["refresh"])["sid"]
    assert claims_of(renewed["access"])["auth_time"] > claims_of(tokens["access"])["auth_time"]
    assert turned_off.status_code == 204


def test_reauthentication_with_a_wrong_code_is_a_400(api_client, user, secret):
    with freeze_time(NOON) as clock:
        sign_in_and_go_stale(api_client, clock, secret)
        response = api_client.post(
            REAUTHENTICATE, {"password": PASSWORD, "code": wrong_code(secret)}
        )

    assert response.status_code == 400
    assert response.json() == {"code": ["The code is not correct."]}


def test_reauthentication_accepts_a_recovery_code(api_client, user, secret, recovery_codes):
    with freeze_time(NOON) as clock:
        sign_in_and_go_stale(api_client, clock, secret)
        response = api_client.post(
            REAUTHENTICATE, {"password": PASSWORD, "code": recovery_codes[0]}
        )

    assert response.status_code == 200


# No other path skips the factor.


def test_a_password_reset_keeps_mfa_on_and_signs_nobody_in(api_client, user, secret):
    reset = confirm_reset(api_client, password_reset_link(user))
    login = api_client.post("/api/auth/token/", {"username": "alice", "password": NEW_PASSWORD})

    assert reset.status_code == 204
    assert reset.content == b""
    assert login.json()["mfa_required"] is True
    assert_no_tokens(login)


@pytest.fixture
def staff(user):
    user.is_staff = True
    user.save()
    return user


def admin_login(client, code=""):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "alice", "password": PASSWORD, "code": code, "next": "/admin/"},
    )


def test_the_admin_asks_staff_with_mfa_for_the_code(staff, secret):
    client = Client()

    without = admin_login(client)
    wrong = admin_login(client, wrong_code(secret))
    shut_out = client.get("/admin/")
    right = admin_login(client, totp_code(secret))

    assert without.status_code == 200
    assert b"Enter the code of your authenticator app" in without.content
    assert b'name="code"' in without.content
    assert wrong.status_code == 200
    assert shut_out.status_code == 302
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_takes_a_recovery_code_once(staff, recovery_codes):
    assert admin_login(Client(), recovery_codes[0]).status_code == 302
    assert admin_login(Client(), recovery_codes[0]).status_code == 200


def test_an_authenticator_removed_in_the_admin_turns_mfa_off_as_the_api_does(
    admin_client, user, recovery_codes
):
    heard = []

    def receiver(user, **kwargs):
        heard.append(user)

    signals.mfa_disabled.connect(receiver)
    try:
        device = TOTPDevice.objects.get(user=user)
        response = admin_client.post(f"/admin/mfa/totpdevice/{device.pk}/delete/", {"post": "yes"})
    finally:
        signals.mfa_disabled.disconnect(receiver)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert heard == [user]  # the notice and the security event hear it


def test_the_admin_lets_staff_without_mfa_in_with_the_password(staff):
    assert admin_login(Client()).status_code == 302


def test_the_admin_refuses_staff_who_must_have_mfa_but_have_none(staff, settings):
    settings.MFA_REQUIRED = "staff"

    response = admin_login(Client())

    assert response.status_code == 200
    assert b"must have MFA" in response.content


def test_the_me_endpoint_answers_after_the_second_step(api_client, user, secret):
    tokens = tokens_from(sign_in_with_code(api_client, totp_code(secret)))

    assert me(APIClient(), tokens["access"]).json()["username"] == "alice"


def test_each_change_and_each_second_step_is_announced_once(api_client, user):
    heard = []

    def receiver_for(name):
        def receiver(**kwargs):
            heard.append((name, kwargs.get("method")))

        return receiver

    names = ["mfa_enabled", "recovery_codes_renewed", "mfa_failed", "mfa_verified", "mfa_disabled"]
    receivers = {name: receiver_for(name) for name in names}  # kept: signals hold weak references
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver)
    try:
        with freeze_time(NOON) as clock:
            tokens = log_in(api_client)
            authenticate(api_client, tokens["access"])
            secret = api_client.post(TOTP).json()["secret"]
            api_client.post(CONFIRM, {"code": totp_code(secret)})
            api_client.post(RECOVERY_CODES)
            clock.tick(STEP)
            mfa_token = start_login(APIClient())
            second_step(APIClient(), mfa_token, wrong_code(secret))
            second_step(APIClient(), mfa_token, totp_code(secret))
            api_client.delete(TOTP)
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver)

    assert heard == [
        ("mfa_enabled", None),
        ("recovery_codes_renewed", None),
        ("mfa_failed", None),
        ("mfa_verified", "totp"),
        ("mfa_disabled", None),
    ]
