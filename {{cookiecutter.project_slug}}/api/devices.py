"""Device cookies (OWASP): how a client that has signed in to an account is known again.

A successful login, through the API or the admin, and every other sign-in
(``jwt_auth.transport.sign_in``: a password change, re-authentication)
gives the client a signed, HttpOnly cookie that names the account (by a
hash of its account key) and a random device id. The per-account login
limit (throttles.py) counts an attempt that presents a valid one for its
own account under that device alone, so an attacker guessing from
elsewhere cannot use up the owner's allowance.

Browsers keep the cookie by themselves; a client without a cookie jar keeps
the ``Set-Cookie`` value of its login answer and sends it back in a
``Cookie`` header on its next logins. The cookie proves nothing but that
this client once knew the password: it opens no session and it is read
only by the per-account limit (login, the admin's form, re-authentication).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing

from .usernames import account_key

SALT = "api.devices"
# How long a client stays known after its last successful login.
MAX_AGE = timedelta(days=180)


def account_hash(username):
    """The account a username names, as counters and device cookies name it."""
    return hashlib.sha256(account_key(username).encode()).hexdigest()


def known_device(request, account):
    """The device id of the request's device cookie if it is valid for ``account``; or None."""
    value = request.COOKIES.get(settings.DEVICE_COOKIE_NAME)
    if not value:
        return None
    try:
        device = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(device, dict) or device.get("account") != account:
        return None
    return device.get("id")


def remember_device(request, response, username):
    """Give the client a device cookie for this account (keeping its device id if it had one)."""
    account = account_hash(username)
    device = known_device(request, account) or secrets.token_urlsafe(16)
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        signing.dumps({"account": account, "id": device}, salt=SALT),
        max_age=int(MAX_AGE.total_seconds()),
        path="/",
        secure=not settings.DEBUG,
        httponly=True,
        samesite="Lax",
    )
