{%- set mandatory = cookiecutter.email_verification == "mandatory" -%}
"""Verified addresses: links that work once, changes that wait for them, no enumeration.

Mail goes through a real SMTP server on the loopback (the ``mailbox`` fixture),
and the tests read the messages that arrive there.
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from freezegun import freeze_time
from rest_framework.test import APIClient, APIRequestFactory

from email_verification import addresses
from email_verification.models import EmailVerification
from email_verification.tokens import Claim, verification_link
from email_verification.views import ResendView

from .helpers import PASSWORD, authenticate, log_in, me, text_of

pytestmark = pytest.mark.django_db

User = get_user_model()
VERIFY = "/api/auth/email/verify/"
RESEND = "/api/auth/email/verify/resend/"
VERIFY_URL = "https://app.example.com/verify?uid={uid}&token={token}"
LINK = re.compile(r"https://app\.example\.com/verify\?\S+")


@pytest.fixture(autouse=True)
def verify_url(settings):
    settings.EMAIL_VERIFY_URL = VERIFY_URL


@pytest.fixture
def bob():
    """An account whose address is not proved yet, as registration leaves it."""
    bob = User.objects.create_user(username="bob", email="bob@example.com", password=PASSWORD)
    EmailVerification.objects.create(user=bob, verified=False)
    return bob


def link_for(user, address=None):
    user = User.objects.get(pk=user.pk)
    return verification_link(Claim(user, addresses.state_of(user), address or user.email))


def follow(client, link):
    query = parse_qs(urlsplit(link).query)
    return client.post(VERIFY, {"uid": query["uid"][0], "token": query["token"][0]})


def link_in(message):
    return LINK.search(text_of(message))[0]


def change_email(client, email, username="alice"):
    authenticate(client, log_in(client, username)["access"])
    return client.patch("/api/auth/me/", {"email": email})


def verified(user):
    return addresses.state_of(User.objects.get(pk=user.pk)).verified


def log_in_status(username):
    response = APIClient().post("/api/auth/token/", {"username": username, "password": PASSWORD})
    return response.status_code
{%- if cookiecutter.user_registration %}


def register(client, email="bob@example.com", username="bob"):
    return client.post(
        "/api/auth/register/",
        {"username": username, "email": email, "password": "a-long-unusual-passphrase"},
    )


def test_registration_sends_a_link_that_proves_the_address(api_client, mailbox):
    response = register(api_client, "Bob@Example.com")

    assert response.status_code == 201
    [message] = mailbox.to("Bob@Example.com")
    assert message["Subject"] == "Confirm your email address"
    bob = User.objects.get(username="bob")
    assert not verified(bob)
    assert follow(api_client, link_in(message)).status_code == 204
    assert verified(bob)


def test_a_taken_address_gets_the_answer_of_a_free_one_and_its_owner_a_notice(
    api_client, user, mailbox
):
    taken = register(api_client, "ALICE@example.com", username="mallory")
    free = register(api_client, "carol@example.com", username="carol")

    assert (taken.status_code, set(taken.json())) == (free.status_code, set(free.json()))
    assert taken.json() == {"username": "mallory", "email": "ALICE@example.com"}
    assert not User.objects.filter(username="mallory").exists()
    [notice] = mailbox.to("alice@example.com")
    assert notice["Subject"] == "Someone tried to use your email address"
    assert "register a new account" in text_of(notice)
    assert not LINK.search(text_of(notice))
    assert [message["Subject"] for message in mailbox.to("carol@example.com")] == [
        "Confirm your email address"
    ]


def test_a_taken_username_is_still_a_400_naming_it(api_client, user):
    response = register(api_client, "someone@example.com", username="alice")

    assert response.status_code == 400
    assert set(response.json()) == {"username"}
{%- endif %}
{%- if mandatory %}


def test_the_right_password_of_an_unproved_address_is_a_403_with_no_token(bob):
    response = APIClient().post("/api/auth/token/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"
    assert not response.cookies
    assert {"access", "refresh"}.isdisjoint(response.json())
    assert not bob.login_sessions.exists()


def test_a_wrong_password_of_an_unproved_address_gets_the_usual_401(bob):
    response = APIClient().post("/api/auth/token/", {"username": "bob", "password": "wrong"})

    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


def test_the_login_works_once_the_address_is_proved(api_client, bob):
    assert follow(api_client, link_for(bob)).status_code == 204

    assert log_in_status("bob") == 200
{%- else %}


def test_an_unproved_address_signs_in_and_me_says_so(api_client, bob):
    access = log_in(api_client, "bob")["access"]

    assert me(APIClient(), access).json()["email_verified"] is False
    assert follow(api_client, link_for(bob)).status_code == 204
    assert me(APIClient(), access).json()["email_verified"] is True
{%- endif %}


def test_users_made_by_createsuperuser_count_as_verified(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser", "--noinput", username="admin", email="admin@example.com", verbosity=0
    )

    assert verified(User.objects.get(username="admin"))
    assert log_in_status("admin") == 200


def test_a_link_works_once(api_client, bob):
    link = link_for(bob)

    assert follow(api_client, link).status_code == 204
    again = follow(api_client, link)
    assert again.status_code == 400
    assert again.json()["token"] == ["The link is invalid, expired or already used."]


def test_a_link_expires(api_client, bob):
    with freeze_time("2030-01-01 12:00") as clock:
        link = link_for(bob)
        clock.tick(timedelta(hours=settings.EMAIL_VERIFY_TIMEOUT_HOURS, seconds=1))

        response = follow(api_client, link)

    assert response.status_code == 400
    assert "token" in response.json()
    assert not verified(bob)


def test_another_users_token_proves_nothing(api_client, bob):
    carol = User.objects.create_user("carol", "carol@example.com", PASSWORD)
    EmailVerification.objects.create(user=carol, verified=False)
    bobs = parse_qs(urlsplit(link_for(bob)).query)
    carols = parse_qs(urlsplit(link_for(carol)).query)

    response = api_client.post(VERIFY, {"uid": carols["uid"][0], "token": bobs["token"][0]})

    assert response.status_code == 400
    assert not verified(carol)
    assert not verified(bob)


@pytest.mark.parametrize(
    "body",
    [
        {"uid": "Mg", "token": "not-a-token"},
        {"uid": "not-base64!", "token": "abc-123"},
        {"uid": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "token": "abc-123"},
        {"uid": "w4k", "token": "zzzzzzzzzzzzzzzzzzzz-123"},
        {"uid": "Mg", "token": "x" * 100_000},
        {"uid": "M" * 100_000, "token": "abc-123"},
        {"uid": ["Mg"], "token": {"a": 1}},
        {"token": "abc-123"},
    ],
    ids=[
        "bad token",
        "bad uid",
        "no such user",
        "bad timestamp",
        "huge token",
        "huge uid",
        "wrong types",
        "no uid",
    ],
)
def test_a_bad_link_is_a_json_400_naming_the_field(api_client, bob, body):
    response = api_client.post(VERIFY, body)

    assert response.status_code == 400
    assert set(response.json()) & {"uid", "token"}
    assert not verified(bob)


def test_resend_answers_the_same_for_any_address_and_mails_only_an_unproved_one(
    api_client, bob, user, mailbox
):
    answers = [
        api_client.post(RESEND, {"email": email})
        for email in ("BOB@example.com", "alice@example.com", "nobody@example.com")
    ]

    assert {(answer.status_code, answer.content) for answer in answers} == {
        (202, answers[0].content)
    }
    [message] = mailbox.messages()
    assert message["To"] == "bob@example.com"
    assert follow(api_client, link_in(message)).status_code == 204


def test_resend_looks_for_the_address_only_after_the_answer_has_gone(bob, monkeypatch):
    looked_for = []
    monkeypatch.setattr(addresses, "resend", looked_for.append)
    request = APIRequestFactory().post(RESEND, {"email": "bob@example.com"}, format="json")

    response = ResendView.as_view()(request)
    before = list(looked_for)
    response.close()  # what the server does once the answer is sent

    assert response.status_code == 202
    assert before == []
    assert looked_for == ["bob@example.com"]


def test_a_resend_without_a_valid_address_names_the_field(api_client):
    response = api_client.post(RESEND, {"email": "not-an-address"})

    assert response.status_code == 400
    assert "email" in response.json()


def test_a_change_waits_for_the_new_address_and_tells_the_old_one(api_client, user, mailbox):
    response = change_email(api_client, "new@example.com")

    assert response.status_code == 202
    assert response.json() == {"pending_email": "new@example.com"}
    user.refresh_from_db()
    assert user.email == "alice@example.com"
    assert me(api_client, log_in(api_client)["access"]).json()["pending_email"] == "new@example.com"
    [requested] = mailbox.to("alice@example.com")
    assert requested["Subject"] == "A change of your email address was requested"
    [message] = mailbox.to("new@example.com")

    assert follow(APIClient(), link_in(message)).status_code == 204

    user.refresh_from_db()
    assert user.email == "new@example.com"
    changed = mailbox.to("alice@example.com")[-1]
    assert changed["Subject"] == "Your email address was changed"
    assert "new@example.com" in text_of(changed)
    assert not LINK.search(text_of(changed))
    assert me(api_client, log_in(api_client)["access"]).json()["pending_email"] is None


def test_a_change_to_a_taken_address_answers_the_same_and_never_completes(
    api_client, user, mailbox
):
    User.objects.create_user("carol", "carol@example.com", PASSWORD)

    taken = change_email(api_client, "CAROL@example.com")
    free = change_email(api_client, "free@example.com")

    assert taken.status_code == free.status_code == 202
    assert taken.json() == {"pending_email": "CAROL@example.com"}
    [notice] = mailbox.to("carol@example.com")
    assert "change the address of another account" in text_of(notice)
    assert not LINK.search(text_of(notice))
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_a_new_change_voids_the_link_of_the_one_before(api_client, user):
    change_email(api_client, "first@example.com")
    first = link_for(user, "first@example.com")
    change_email(api_client, "second@example.com")

    assert follow(api_client, first).status_code == 400
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_the_current_address_cancels_a_pending_change(api_client, user):
    change_email(api_client, "new@example.com")
    link = link_for(user, "new@example.com")

    assert change_email(api_client, "alice@example.com").status_code == 200
    assert me(api_client, log_in(api_client)["access"]).json()["pending_email"] is None
    assert follow(api_client, link).status_code == 400


def test_a_change_link_fails_if_another_account_took_the_address_meanwhile(api_client, user):
    change_email(api_client, "new@example.com")
    link = link_for(user, "new@example.com")
    User.objects.create_user("carol", "new@example.com", PASSWORD)

    assert follow(api_client, link).status_code == 400
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_an_address_the_account_has_in_another_case_is_saved_at_once(api_client, user):
    response = change_email(api_client, "Alice@Example.com")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "Alice@Example.com"


def test_an_empty_address_is_a_400(api_client, user):
    response = change_email(api_client, "")

    assert response.status_code == 400
    assert "email" in response.json()
{%- if cookiecutter.throttling %}


def allowed(scope):
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


def test_resend_is_limited_per_address_from_every_client(bob):
    statuses = [
        APIClient(REMOTE_ADDR=f"198.51.100.{number}")
        .post(RESEND, {"email": "BOB@example.com" if number % 2 else "bob@example.com"})
        .status_code
        for number in range(allowed("email_address") + 1)
    ]
    other = APIClient(REMOTE_ADDR="198.51.100.99").post(RESEND, {"email": "carol@example.com"})

    assert statuses == [202] * allowed("email_address") + [429]
    assert other.status_code == 202


def test_resend_is_limited_per_client():
    client = APIClient(REMOTE_ADDR="198.51.100.1")
    statuses = [
        client.post(RESEND, {"email": f"someone{number}@example.com"}).status_code
        for number in range(allowed("email_verify") + 1)
    ]

    assert statuses == [202] * allowed("email_verify") + [429]
{%- endif %}
