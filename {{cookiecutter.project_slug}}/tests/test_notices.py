"""Security notices: every change to how an account signs in is mailed to its owner.

They arrive at a real SMTP server on the loopback, in plain text and HTML,
saying what, when, from where and with which client, and never holding a
password or a token.
"""

import pytest
{%- if cookiecutter.rotate_refresh_tokens %}
from django.conf import settings
{%- endif %}
from django.test import RequestFactory
{%- if cookiecutter.rotate_refresh_tokens %}
from freezegun import freeze_time
{%- endif %}
from rest_framework.test import APIClient

from accounts import notices
from accounts.emails import password_reset_link

from .helpers import PASSWORD, authenticate, html_of, log_in, {% if cookiecutter.rotate_refresh_tokens %}refresh_with, {% endif %}text_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def test_a_password_change_is_noticed_with_where_and_what_from(user, mailbox):
    client = APIClient(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=BROWSER)
    authenticate(client, log_in(client)["access"])

    response = client.post(
        "/api/auth/password/change/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    [message] = mailbox.to("alice@example.com")
    assert message["Subject"] == "Your password was changed"
    for body in (text_of(message), html_of(message)):
        assert "198.51.100.7" in body
        assert "Firefox/140.0" in body
        assert "reset your password" in body
        assert NEW_PASSWORD not in body
        assert PASSWORD not in body


def test_a_password_reset_is_noticed_without_the_link(api_client, user, mailbox):
    link = password_reset_link(user)
    query = link.split("?", 1)[1]
    uid, token = (part.split("=", 1)[1] for part in query.split("&"))

    response = api_client.post(
        "/api/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 204
    [message] = mailbox.to("alice@example.com")
    assert message["Subject"] == "Your password was reset"
    assert token not in text_of(message)
    assert NEW_PASSWORD not in text_of(message)


{% if cookiecutter.rotate_refresh_tokens -%}
def test_a_replayed_refresh_token_is_noticed_with_the_replayers_address(user, mailbox):
    client = APIClient()
    tokens = log_in(client)
    with freeze_time() as clock:
        refresh_with(client, tokens["refresh"])
        clock.tick(settings.JWT_REFRESH_REUSE_GRACE_SECONDS + 1)
        thief = APIClient(REMOTE_ADDR="203.0.113.66", HTTP_USER_AGENT=BROWSER)
        response = refresh_with(thief, tokens["refresh"])

    assert response.status_code == 401
    [message] = mailbox.to("alice@example.com")
    assert message["Subject"] == "A session of your account was ended"
    assert "203.0.113.66" in text_of(message)
    assert tokens["refresh"] not in text_of(message)


{% endif -%}
{% if cookiecutter.email_verification == "none" -%}
def test_a_new_address_is_noticed_at_the_old_one(api_client, user, mailbox):
    authenticate(api_client, log_in(api_client)["access"])

    response = api_client.patch("/api/auth/me/", {"email": "new@example.com"})

    assert response.status_code == 200
    [message] = mailbox.messages()
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "Your email address was changed"
    assert "new@example.com" in text_of(message)


{% endif -%}
def test_a_forged_user_agent_cannot_inject_markup_or_lines(user, mailbox):
    request = RequestFactory().get("/", HTTP_USER_AGENT="<script>x</script>\r\nBcc: evil")

    notices.password_changed(request, user)

    [message] = mailbox.messages()
    assert "<script>" not in html_of(message)
    assert "\nBcc: evil" not in text_of(message)
    assert message["Bcc"] is None


@pytest.mark.parametrize(
    ("notice", "subject"),
    [
{%- if cookiecutter.mfa %}
        (notices.mfa_enabled, "Two-step sign-in was turned on"),
        (notices.mfa_disabled, "Two-step sign-in was turned off"),
        (notices.recovery_codes_renewed, "New recovery codes were made"),
{%- endif %}
{%- if cookiecutter.passkeys %}
        (notices.passkey_added, "A passkey was added to your account"),
{%- endif %}
        (notices.refresh_token_replayed, "A session of your account was ended"),
    ],
)
def test_each_notice_other_features_send_arrives_in_text_and_html(user, mailbox, notice, subject):
    notice(RequestFactory().get("/", REMOTE_ADDR="203.0.113.5"), user)

    [message] = mailbox.to("alice@example.com")
    assert message["Subject"] == subject
    assert "203.0.113.5" in text_of(message)
    assert "203.0.113.5" in html_of(message)


def test_an_account_without_an_address_gets_no_notice(user, mailbox):
    user.email = ""

    notices.password_changed(RequestFactory().get("/"), user)

    assert mailbox.messages() == []
