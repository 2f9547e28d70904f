"""Password change, and reset by email: sessions end, links work once, no enumeration."""

import re
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from freezegun import freeze_time
from rest_framework.test import APIClient, APIRequestFactory

from accounts.emails import mailer, password_reset_link
from accounts.views import PasswordResetView
{%- if cookiecutter.token_storage != "header" %}
from jwt_auth.cookies import ACCESS_COOKIE
{%- endif %}

from .helpers import (
    NEW_PASSWORD,
    PASSWORD,
    authenticate,
    confirm_reset,
    log_in,
    me_status,
    past_the_lag,
    refresh_with,
    tokens_from,
    wait_for_mail,
)

pytestmark = pytest.mark.django_db

RESET_URL = "https://app.example.com/reset?uid={uid}&token={token}"


def change_password(client, access, old_password=PASSWORD, new_password=NEW_PASSWORD):
    authenticate(client, access)
    return client.post(
        "/api/auth/password/change/",
        {"old_password": old_password, "new_password": new_password},
    )


def request_reset(client, email="alice@example.com"):
    return client.post("/api/auth/password/reset/", {"email": email})


def sent_emails():
    """The emails sent so far, once the background sender has handed them all over."""
    wait_for_mail()
    return mail.outbox


def link_in(message):
    return re.search(r"https://app\.example\.com/reset\?\S+", message.body)[0]


@pytest.fixture(autouse=True)
def reset_url(settings):
    settings.PASSWORD_RESET_URL = RESET_URL


def test_a_password_change_ends_other_sessions_and_gives_the_caller_fresh_tokens(api_client, user):
    other_session = log_in(APIClient())
    with freeze_time() as clock:
        response = change_password(api_client, log_in(api_client)["access"])
        fresh = tokens_from(response)

        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        # At once, although this worker saw the old password a moment ago.
        assert me_status(APIClient(), fresh["access"]) == 200
        assert refresh_with(APIClient(), other_session["refresh"]).status_code == 401
        past_the_lag(clock)
        assert me_status(APIClient(), other_session["access"]) == 401
        assert refresh_with(APIClient(), fresh["refresh"]).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


{%- if cookiecutter.token_storage != "header" %}


def test_a_browser_changes_its_password_only_with_the_csrf_token(user):
    browser = APIClient(enforce_csrf_checks=True)
    csrf_token = browser.get("/api/auth/csrf/").json()["csrf_token"]
    credentials = {"username": "alice", "password": PASSWORD}
    browser.post("/api/auth/token/", credentials, HTTP_X_CSRFTOKEN=csrf_token)
    change = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}

    forged = browser.post("/api/auth/password/change/", change)
    response = browser.post("/api/auth/password/change/", change, HTTP_X_CSRFTOKEN=csrf_token)

    assert forged.status_code == 403
    assert response.status_code == 200
    assert {"access", "refresh"}.isdisjoint(response.json())
    assert me_status(APIClient(), response.cookies[ACCESS_COOKIE].value) == 200
{%- endif %}


def test_a_wrong_old_password_is_a_400_naming_the_field(api_client, user, tokens):
    response = change_password(api_client, tokens["access"], old_password="not-my-password")

    assert response.status_code == 400
    assert "old_password" in response.json()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("new_password", ["short", "12345678901", "password", "alice@example.com"])
def test_a_weak_new_password_is_a_400_naming_the_field(api_client, user, tokens, new_password):
    response = change_password(api_client, tokens["access"], new_password=new_password)

    assert response.status_code == 400
    assert "new_password" in response.json()


def test_a_password_change_needs_a_signed_in_user(api_client):
    response = api_client.post(
        "/api/auth/password/change/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 401


def test_a_reset_link_sets_a_new_password_and_works_once(api_client, user):
    response = request_reset(api_client, "ALICE@Example.com")

    assert response.status_code == 202
    [message] = sent_emails()
    assert message.to == ["alice@example.com"]
    link = link_in(message)
    assert confirm_reset(api_client, link).status_code == 204
    assert log_in(APIClient(), password=NEW_PASSWORD)
    again = confirm_reset(api_client, link, new_password="yet-another-passphrase")
    assert again.status_code == 400
    assert "token" in again.json()


def test_a_reset_answers_the_same_whether_or_not_the_address_has_an_account(api_client, user):
    known = request_reset(api_client, "alice@example.com")
    unknown = request_reset(api_client, "nobody@example.com")

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert [message.to for message in sent_emails()] == [["alice@example.com"]]


def test_an_inactive_user_gets_no_reset_email(api_client, user):
    user.is_active = False
    user.save()

    assert request_reset(api_client).status_code == 202
    assert sent_emails() == []


def test_a_reset_ends_every_session(api_client, user, tokens):
    user.refresh_from_db()  # the login changed last_login, which the token covers
    with freeze_time() as clock:
        assert me_status(APIClient(), tokens["access"]) == 200
        assert confirm_reset(api_client, password_reset_link(user)).status_code == 204

        assert refresh_with(APIClient(), tokens["refresh"]).status_code == 401
        past_the_lag(clock)
        assert me_status(APIClient(), tokens["access"]) == 401


def test_a_reset_link_expires(api_client, user, settings):
    with freeze_time("2030-01-01 12:00") as clock:
        link = password_reset_link(user)
        clock.tick(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))

        response = confirm_reset(api_client, link)

    assert response.status_code == 400
    assert "token" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "uid=MQ&token=not-a-token",
        "uid=not-base64!&token=abc-123",
        "uid=OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5&token=abc-123",
        "uid=w4k&token=abc-123",
    ],
)
def test_a_forged_reset_link_is_a_400_naming_the_token(api_client, user, query):
    response = confirm_reset(api_client, f"https://app.example.com/reset?{query}")

    assert response.status_code == 400
    assert "token" in response.json()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_weak_password_in_a_reset_is_a_400_naming_the_field(api_client, user):
    response = confirm_reset(api_client, password_reset_link(user), new_password="12345678901")

    assert response.status_code == 400
    assert "new_password" in response.json()


def test_a_reset_without_a_valid_email_names_the_field(api_client):
    response = request_reset(api_client, "not-an-address")

    assert response.status_code == 400
    assert "email" in response.json()


class HeldMessages:
    """An aiosmtpd handler that keeps each message, and holds the first until released."""

    def __init__(self):
        self.messages = []
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.release.wait(timeout=10)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def test_the_reset_email_goes_through_smtp_after_the_answer(api_client, user, smtp_settings):
    handler = HeldMessages()
    server = Controller(handler, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    server.start()
    try:
        response = request_reset(api_client)
        delivered_before_the_answer = list(handler.messages)
        handler.release.set()
        sent_emails()
    finally:
        server.stop()

    assert response.status_code == 202
    assert delivered_before_the_answer == []
    [envelope] = handler.messages
    assert envelope.rcpt_tos == ["alice@example.com"]
    assert "https://app.example.com/reset?uid=" in envelope.content.decode()


def test_an_unreachable_smtp_server_is_logged_and_the_answer_is_the_same(
    api_client, user, smtp_settings, caplog
):
    response = request_reset(api_client)
    sent_emails()

    assert response.status_code == 202
    assert response.json() == request_reset(api_client, "nobody@example.com").json()
    [record] = [r for r in caplog.records if r.name == "accounts.emails"]
    assert "Cannot send the password reset email" in record.getMessage()
    assert isinstance(record.exc_info[1], OSError)


def test_a_reset_keeps_the_new_password_as_typed(api_client, user):
    padded = "  a new padded passphrase  "

    response = confirm_reset(api_client, password_reset_link(user), new_password=padded)

    user.refresh_from_db()
    assert response.status_code == 204
    assert user.check_password(padded)
    assert not user.check_password(padded.strip())


@pytest.mark.parametrize(
    ("email", "found"), [("alice@example.com", "User"), ("nobody@example.com", "NoneType")]
)
def test_a_reset_looks_for_the_account_only_once_it_has_answered(user, monkeypatch, email, found):
    """Until the server closes the answer nothing depends on the address: timing tells nothing."""
    handed_over = []
    request = APIRequestFactory().post("/api/auth/password/reset/", {"email": email})

    with monkeypatch.context() as patch:  # the real sender again before the test ends
        patch.setattr(mailer, "submit", lambda job, *args: handed_over.append(args))
        response = PasswordResetView.as_view()(request)
        answered = list(handed_over)
        response.close()  # as a WSGI server does once the answer is sent

    assert response.status_code == 202
    assert answered == []
    assert [type(args[0]).__name__ for args in handed_over] == [found]
