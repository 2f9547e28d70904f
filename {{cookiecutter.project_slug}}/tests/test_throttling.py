"""Each sensitive endpoint has its own rate; going over it is a 429, even in a burst."""

from functools import partial

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from .helpers import PASSWORD, at_once, authenticate, log_in, wait_for_mail

pytestmark = pytest.mark.django_db

LOGIN = "/api/auth/token/"


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


def test_ipv6_clients_in_one_64_share_a_limit(api_client, user):
    credentials = {"username": "alice", "password": "wrong"}
    for number in range(allowed_requests("login")):
        api_client.post("/api/auth/token/", credentials, REMOTE_ADDR=f"2001:db8:0:1::{number + 1}")

    same_network = api_client.post(
        "/api/auth/token/", credentials, REMOTE_ADDR="2001:db8:0:1:ffff::9"
    )
    other_network = api_client.post("/api/auth/token/", credentials, REMOTE_ADDR="2001:db8:0:2::1")

    assert_throttled(same_network)
    assert other_network.status_code == 401


def test_the_ipv6_prefix_length_is_a_setting(api_client, user, settings):
    settings.THROTTLE_IPV6_PREFIX = 48
    credentials = {"username": "alice", "password": "wrong"}
    for number in range(allowed_requests("login")):
        api_client.post("/api/auth/token/", credentials, REMOTE_ADDR=f"2001:db8:0:{number}::1")

    assert_throttled(api_client.post("/api/auth/token/", credentials, REMOTE_ADDR="2001:db8::9"))


def test_ipv4_clients_count_each_address_apart(api_client, user):
    credentials = {"username": "alice", "password": "wrong"}
    for _ in range(allowed_requests("login")):
        api_client.post("/api/auth/token/", credentials, REMOTE_ADDR="192.0.2.1")

    other = api_client.post("/api/auth/token/", credentials, REMOTE_ADDR="192.0.2.2")

    assert other.status_code == 401


@pytest.fixture
def account_limit(settings):
    """A small per-account limit, so a test needs few requests to reach it."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_account": "3/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return 3


def fail_logins(client, username, count, first_address=1):
    """Fail ``count`` logins as ``username``, each from another address."""
    for number in range(first_address, first_address + count):
        response = client.post(
            "/api/auth/token/",
            {"username": username, "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        assert response.status_code == 401


def test_the_configured_account_limit_is_the_one_chosen():
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login_account"]

    assert rate == {% if cookiecutter.login_account_throttle_rate %}"{{ cookiecutter.login_account_throttle_rate }}"{% else %}None{% endif %}


def test_too_many_failed_logins_lock_the_account_from_every_address(
    api_client, user, account_limit
):
    fail_logins(api_client, "alice", account_limit)

    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert_throttled(response)


@pytest.mark.parametrize("spelling", ["ALICE", "\uff21\uff4c\uff49\uff43\uff45"])  # fullwidth too
def test_the_account_limit_counts_every_spelling_that_logs_in(
    api_client, user, account_limit, spelling
):
    fail_logins(api_client, spelling, account_limit)

    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert_throttled(response)


def test_successful_logins_do_not_count_against_the_account(api_client, user, account_limit):
    for number in range(account_limit + 1):
        response = api_client.post(
            "/api/auth/token/",
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR=f"198.51.100.{number}",
        )

        assert response.status_code == 200


def test_the_account_limit_looks_the_same_for_an_unknown_account(api_client, user, account_limit):
    answers = []
    for username in ("alice", "nobody"):
        fail_logins(api_client, username, account_limit)
        answers.append(
            api_client.post(
                "/api/auth/token/",
                {"username": username, "password": "wrong"},
                REMOTE_ADDR="203.0.113.7",
            )
        )

    for response in answers:
        assert_throttled(response)
    assert [set(response.json()) for response in answers] == [{"detail", "code"}] * 2


@pytest.mark.parametrize(
    "spelling",
    ["alice ", " alice", "alice\t", "\nalice", "alice\u00a0", "\u00a0ALICE"],
    ids=["trailing space", "leading space", "tab", "newline", "no-break space", "nbsp and case"],
)
def test_whitespace_around_a_name_counts_against_its_account(
    api_client, user, account_limit, spelling
):
    fail_logins(api_client, "alice", account_limit)

    response = api_client.post(
        "/api/auth/token/", {"username": spelling, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert_throttled(response)


def test_a_locked_account_stays_locked_in_the_admin_with_a_padded_name(
    api_client, django_user_model, account_limit
):
    django_user_model.objects.create_superuser("bob", "bob@example.com", PASSWORD)
    fail_logins(api_client, "bob", account_limit)

    response = Client(REMOTE_ADDR="203.0.113.9").post(
        "/admin/login/", {"username": "bob ", "password": PASSWORD}
    )

    assert_throttled(response)


@pytest.mark.parametrize("username", [12345, 12345.0, True, ["alice"], {"name": "alice"}])
def test_a_username_that_is_not_a_string_is_400_naming_it(api_client, username):
    response = api_client.post("/api/auth/token/", {"username": username, "password": PASSWORD})

    assert response.status_code == 400
    assert "username" in response.json()


def test_an_all_digit_username_counts_against_its_account(
    api_client, django_user_model, account_limit
):
    django_user_model.objects.create_user("12345", password=PASSWORD)
    fail_logins(api_client, "12345", account_limit)

    response = api_client.post(
        "/api/auth/token/", {"username": "12345", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert_throttled(response)


def test_the_owner_signs_in_from_a_known_client_while_the_account_is_attacked(user, account_limit):
    owner = APIClient(REMOTE_ADDR="192.0.2.10")
    log_in(owner)  # earlier: the owner's client gets its device cookie
    fail_logins(APIClient(), "alice", account_limit)
    for number in range(account_limit * 2):  # the attack goes on
        APIClient(REMOTE_ADDR=f"198.51.100.{number + 100}").post(
            "/api/auth/token/", {"username": "alice", "password": "wrong"}
        )

    from_elsewhere = APIClient(REMOTE_ADDR="203.0.113.7").post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}
    )
    owner_again = owner.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert_throttled(from_elsewhere)
    assert owner_again.status_code == 200


def test_a_known_client_has_its_own_limit_of_failed_logins(user, account_limit):
    owner = APIClient(REMOTE_ADDR="192.0.2.10")
    log_in(owner)
    for _ in range(account_limit):
        owner.post("/api/auth/token/", {"username": "alice", "password": "wrong"})

    response = owner.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert_throttled(response)


def test_a_device_cookie_of_another_account_is_no_allowance(
    api_client, user, django_user_model, account_limit
):
    django_user_model.objects.create_user("mallory", password=PASSWORD)
    attacker = APIClient()
    log_in(attacker, "mallory")  # a valid device cookie, for mallory
    fail_logins(api_client, "alice", account_limit)

    response = attacker.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert_throttled(response)


def test_a_forged_device_cookie_is_no_allowance(api_client, user, account_limit, settings):
    fail_logins(api_client, "alice", account_limit)
    api_client.cookies[settings.DEVICE_COOKIE_NAME] = "forged:value"

    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert_throttled(response)


def test_the_admin_gives_a_device_cookie_too(user, account_limit, settings):
    user.is_staff = True
    user.save()
    owner = Client(REMOTE_ADDR="192.0.2.10")
    owner.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    fail_logins(APIClient(), "alice", account_limit)

    response = owner.post("/admin/login/", {"username": "alice", "password": PASSWORD})

    assert settings.DEVICE_COOKIE_NAME in owner.cookies
    assert response.status_code == 302


def test_an_empty_account_rate_turns_the_account_limit_off(api_client, user, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_account": None}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    fail_logins(api_client, "alice", allowed_requests("login") * 3)


def test_the_admin_login_form_shares_the_account_limit(api_client, user, account_limit):
    fail_logins(api_client, "alice", account_limit - 1)
    admin_failure = Client(REMOTE_ADDR="203.0.113.8").post(
        "/admin/login/", {"username": "alice", "password": "wrong"}
    )

    response = Client(REMOTE_ADDR="203.0.113.9").post(
        "/admin/login/", {"username": "alice", "password": PASSWORD}
    )

    assert admin_failure.status_code == 200
    assert_throttled(response)


def test_refresh_has_its_own_limit(api_client, user):
    for _ in range(allowed_requests("refresh")):
        assert api_client.post("/api/auth/token/refresh/", {"refresh": "x"}).status_code != 429

    assert_throttled(api_client.post("/api/auth/token/refresh/", {"refresh": "x"}))
    login = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})
    assert login.status_code == 200


def test_password_change_has_its_own_limit(api_client, user):
    authenticate(api_client, log_in(api_client)["access"])
    attempt = {"old_password": "wrong", "new_password": "a-brand-new-passphrase"}
    for _ in range(allowed_requests("password_change")):
        assert api_client.post("/api/auth/password/change/", attempt).status_code == 400

    assert_throttled(api_client.post("/api/auth/password/change/", attempt))


def test_reset_emails_to_one_address_are_limited_across_clients(user, mailoutbox):
    allowed = allowed_requests("password_reset")
    answers = [
        APIClient(REMOTE_ADDR=f"198.51.100.{number}").post(
            "/api/auth/password/reset/", {"email": "ALICE@example.com"}
        )
        for number in range(allowed + 3)
    ]
    wait_for_mail()

    assert {response.status_code for response in answers} == {202}
    assert len({response.content for response in answers}) == 1
    assert len(mailoutbox) == allowed


def test_password_reset_has_its_own_limit(api_client, user):
    for _ in range(allowed_requests("password_reset")):
        response = api_client.post("/api/auth/password/reset/", {"email": "bob@example.com"})
        assert response.status_code == 202

    assert_throttled(api_client.post("/api/auth/password/reset/", {"email": "bob@example.com"}))
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
def test_a_burst_against_one_account_gets_exactly_its_limit_of_password_checks(user, account_limit):
    """Twenty-four guesses at once, each from its own address: the account limit holds."""
    attempts = 24
    credentials = {"username": "alice", "password": "wrong"}
    guesses = (
        partial(APIClient(REMOTE_ADDR=f"198.51.100.{number}").post, LOGIN, credentials)
        for number in range(attempts)
    )

    statuses = [answer.status_code for answer in at_once(*guesses)]

    assert statuses.count(401) == account_limit
    assert statuses.count(429) == attempts - account_limit


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_logins_lets_exactly_the_rate_through(user):
    """Forty wrong passwords at once: exactly the login rate reaches the password check.

    The throttles' clock stands still (conftest.py), so the burst cannot straddle two windows.
    """
    attempts = 40
    credentials = {"username": "alice", "password": "wrong"}
    guesses = (partial(APIClient().post, LOGIN, credentials) for _ in range(attempts))

    statuses = [answer.status_code for answer in at_once(*guesses)]

    assert statuses.count(401) == allowed_requests("login")
    assert statuses.count(429) == attempts - allowed_requests("login")
