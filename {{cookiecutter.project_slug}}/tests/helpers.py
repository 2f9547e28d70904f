"""What the tests share besides fixtures: the test password, clients' moves, fresh processes."""

import email
import email.policy
import io
import os
import runpy
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import jwt
{%- if cookiecutter.mfa %}
import pyotp
{%- endif %}
import pytest
from django.conf import settings
{%- if cookiecutter.cache == "redis" %}
from django.core.cache import cache
{%- endif %}
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
{%- if cookiecutter.mfa %}
from django.utils import timezone
{%- endif %}
{%- if cookiecutter.token_storage != "header" %}
from rest_framework.test import APIClient
{%- endif %}

from accounts.emails import mailer
from jwt_auth import revocation
{% if cookiecutter.token_storage == "cookie" -%}
from jwt_auth.cookies import ACCESS_COOKIE, REFRESH_COOKIE
{% endif -%}
from jwt_auth.tokens import AccessToken
{%- if cookiecutter.mfa %}
from mfa import factors
{%- endif %}
from signing_keys.keys import current_key_set

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "a-brand-new-passphrase"
BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "api.example.com",
    "PASSWORD_RESET_URL": "https://app.example.com/reset-password?uid={uid}&token={token}",
{%- if cookiecutter.email_verification != "none" %}
    "EMAIL_VERIFY_URL": "https://app.example.com/verify-email?uid={uid}&token={token}",
{%- endif %}
{%- if cookiecutter.throttling and cookiecutter.cache == "locmem" %}
    "CACHE_URL": "dbcache://cache_table",
{%- endif %}
{%- if cookiecutter.passkeys %}
    "WEBAUTHN_RP_ID": "example.com",
    "WEBAUTHN_ORIGINS": "https://app.example.com",
{%- endif %}
}


def python(*args, cwd=BASE_DIR, environment=None):
    """Run Python in a fresh process, in ``environment`` (this one's by default)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=os.environ if environment is None else environment,
        capture_output=True,
        text=True,
        check=False,
    )


def fresh_settings(**env):
    """The settings as settings.py reads them afresh with ``env`` added, in this process."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        return SimpleNamespace(**runpy.run_path(str(BASE_DIR / "config" / "settings.py")))


@contextmanager
def in_production(**env):
    """Run the block under the settings production's environment (and ``env``) gives.

    Each setting settings.py makes differently there is overridden; the
    database stays the test database.
    """
    production = vars(fresh_settings(**{**PRODUCTION, **env}))
    changed = {
        name: value
        for name, value in production.items()
        if name.isupper() and name != "DATABASES" and getattr(settings, name, None) != value
    }
    with override_settings(**changed):
        yield


def manage(*args, **env):
    """Run manage.py in a fresh process with ``env`` added to the environment."""
    return python("manage.py", *args, environment={**os.environ, **env})


def close_thread_connections():
    """Close what a test's extra thread opened{% if cookiecutter.cache == "redis" %}: its database connection and Redis sockets{% else %}: its database connection{% endif %}."""
    connection.close()
{%- if cookiecutter.cache == "redis" %}
    # Each thread has its own Redis cache client, whose pool Django never closes.
    for pool in cache._cache._pools.values():
        pool.disconnect()
{%- endif %}


def at_once(*calls):
    """Run each call in a thread of its own, all let go together; return what each returned.

    Each thread closes the connections it opened (close_thread_connections).
    """
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        try:
            results[index] = call()
        finally:
            close_thread_connections()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def restart():
    """Forget what a server process keeps, as a restart does: the key set, verified tokens."""
    current_key_set.cache_clear()
    AccessToken.verified.clear()
    revocation.forget()


def jwt_keys(*args):
    """Run manage.py jwt_keys in this process and return what it printed."""
    output = io.StringIO()
    call_command("jwt_keys", *args, stdout=output)
    return output.getvalue()


def kid_of(token):
    return jwt.get_unverified_header(token)["kid"]


def claims_of(token):
    """The claims of ``token``, its signature unchecked."""
    return jwt.decode(token, options={"verify_signature": False})


def past_the_lag(clock):
    """Move a frozen clock past JWT_REVOCATION_LAG_SECONDS."""
    clock.tick(settings.JWT_REVOCATION_LAG_SECONDS + 1)


def tokens_from(response):
    """The tokens a login or refresh response hands the client (None if absent)."""
{%- if cookiecutter.token_storage == "cookie" %}
    return {
        name: response.cookies[cookie].value if cookie in response.cookies else None
        for name, cookie in (("access", ACCESS_COOKIE), ("refresh", REFRESH_COOKIE))
    }
{%- else %}
    body = response.json()
    return {"access": body.get("access"), "refresh": body.get("refresh")}
{%- endif %}


{%- if cookiecutter.token_storage != "header" %}


def browser_client():
    """A client that checks CSRF as a browser session would, holding the CSRF cookie."""
    client = APIClient(enforce_csrf_checks=True)
    csrf_token = client.get("/api/auth/csrf/").json()["csrf_token"]
    client.credentials(HTTP_X_CSRFTOKEN=csrf_token)
    return client
{%- endif %}


def confirm_reset(client, link, new_password=NEW_PASSWORD, **extra):
    """Follow a reset ``link`` as the app's page does: its uid and token, and a new password."""
    query = parse_qs(urlsplit(link).query)
    return client.post(
        "/api/auth/password/reset/confirm/",
        {"uid": query["uid"][0], "token": query["token"][0], "new_password": new_password},
        **extra,
    )


def log_in(client, username="alice", password=PASSWORD):
    """Log in through the API and return the token pair."""
    response = client.post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return tokens_from(response)


def authenticate(client, access):
    """Make ``client`` send ``access`` on every request, as clients send it."""
{%- if cookiecutter.token_storage == "cookie" %}
    client.cookies[ACCESS_COOKIE] = access
{%- else %}
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
{%- endif %}


def me(client, access):
    """GET /api/auth/me/ with ``access`` sent as clients send it."""
{%- if cookiecutter.token_storage == "cookie" %}
    client.cookies[ACCESS_COOKIE] = access
    return client.get("/api/auth/me/")
{%- else %}
    return client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
{%- endif %}


def me_status(client, access):
    return me(client, access).status_code


def post_refresh_token(client, path, refresh):
    """POST ``path`` with the refresh token sent as clients send it."""
{%- if cookiecutter.token_storage == "cookie" %}
    client.cookies[REFRESH_COOKIE] = refresh
    return client.post(path)
{%- else %}
    return client.post(path, {"refresh": refresh})
{%- endif %}


def refresh_with(client, refresh):
    return post_refresh_token(client, "/api/auth/token/refresh/", refresh)


def logout_with(client, refresh):
    return post_refresh_token(client, "/api/auth/logout/", refresh)


def wait_for_mail():
    """Wait until the background sender has handed over every message given to it."""
    mailer.submit(int).result(timeout=10)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message that arrives, parsed."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        """Every message delivered so far, once the background sender has handed all over."""
        wait_for_mail()
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]

    def to(self, address):
        """The messages to ``address`` (its domain in any case, as Django writes it)."""
        return [
            message for message in self.messages() if message["To"].casefold() == address.casefold()
        ]


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()
{%- if cookiecutter.mfa %}


def turn_on_mfa(user):
    """Give ``user`` a confirmed authenticator; return its secret and the recovery codes."""
    device = factors.start_totp(user)
    return device.secret, factors.confirm_totp(None, user, device)


def totp_code(secret, steps=0):
    """What an authenticator app with ``secret`` shows now (real RFC 6238), or ``steps`` away."""
    return pyotp.TOTP(secret).at(timezone.now(), counter_offset=steps)


def start_login(client, username="alice", password=PASSWORD):
    """The first step of a login with MFA on: its mfa_token."""
    response = client.post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["mfa_token"]


def second_step(client, mfa_token, code):
    return client.post("/api/auth/mfa/verify/", {"mfa_token": mfa_token, "code": code})
{%- endif %}
