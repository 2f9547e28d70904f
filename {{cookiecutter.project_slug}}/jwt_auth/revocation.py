"""Whether a token's user and session still stand, as each process last saw them.

Logout ends a session; deactivating or deleting a user, or changing their
password, ends all of theirs. A process remembers what it learned about a
user or a session for at most JWT_REVOCATION_LAG_SECONDS, so a revocation
takes effect on every worker and host within that time, while a busy API
asks the database about each user and session once per lag, not once per
request. A lag of 0 asks on every request.
"""

import copy
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import datetime_to_epoch, get_md5_hash_password

from security_events import events
from security_events.recorder import record

from .models import LoginSession
from .tokens import AUTH_TIME_CLAIM, SESSION_END_CLAIM, RefreshToken

SESSION_CLAIM = "sid"
MALFORMED_ID = (TypeError, ValueError, ValidationError)


class Recent:
    """What ``lookup`` answered for each key in the last lag seconds, at most ``size`` keys."""

    def __init__(self, lookup, size=10_000):
        self.lookup = lookup
        self.size = size
        self.answers = {}

    def get(self, key, *, fresh=False):
        lag = settings.JWT_REVOCATION_LAG_SECONDS
        now = time.monotonic()
        seen = self.answers.get(key)
        if seen is not None and not fresh and now - seen[0] < lag:
            return seen[1]
        answer = self.lookup(key)
        if lag > 0:
            if len(self.answers) >= self.size:
                self.answers.clear()
            self.answers[key] = (now, answer)
        return answer

    def forget(self):
        self.answers.clear()


def find_user(user_id):
    """The user and the fingerprint of their password that tokens carry, or None."""
    user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
    return user and (user, get_md5_hash_password(user.password))


def session_is_open(session_id):
    return LoginSession.objects.filter(pk=session_id, ended_at__isnull=True).exists()


users = Recent(find_user)
sessions = Recent(session_is_open)


def check_token(token, *, fresh=False):
    """Return a copy of the user ``token`` speaks for, unless the token is revoked.

    The one revocation rule, shared by authentication, refresh and verify:
    the user exists and is active, the password has not changed since the
    token was issued, and the session is open. (A refresh token's blacklist
    entry is simplejwt's own check.) ``fresh`` asks the database now;
    authentication takes what this process learned within the lag.
    """
    user_id = token.get(api_settings.USER_ID_CLAIM)
    session_id = token.get(SESSION_CLAIM)
    if user_id is None or not isinstance(session_id, str):
        raise InvalidToken(_("Token contained no recognizable user or session."))
    try:
        found = users.get(user_id, fresh=fresh)
        session_open = sessions.get(session_id, fresh=fresh)
    except MALFORMED_ID as error:
        raise InvalidToken(_("Token contained no recognizable user or session.")) from error
    if not api_settings.USER_AUTHENTICATION_RULE(found and found[0]):
        raise AuthenticationFailed(
            _("No active account found for the given token."), code="no_active_account"
        )
    user, password_fingerprint = found
    if token.get(api_settings.REVOKE_TOKEN_CLAIM) != password_fingerprint:
        if not fresh:
            # Made after a password change this process has not heard of yet
            # (the fresh pair of /api/auth/password/change/), or revoked: ask now.
            return check_token(token, fresh=True)
        raise AuthenticationFailed(
            _("The user's password has been changed."), code="password_changed"
        )
    if not session_open:
        raise AuthenticationFailed(_("The session has ended."), code="session_ended")
    return copy.copy(user)


def open_session(user):
    """Open a session for a sign-in; return its first refresh token, which names it in ``sid``."""
    refresh = RefreshToken.for_user(user)
    refresh[SESSION_CLAIM] = str(LoginSession.objects.create(user=user).pk)
    return refresh


def renew_session(user, token):
    """A new refresh token for the open session of ``token``, after a credential proved again.

    The session keeps its id and its absolute end; only ``auth_time`` is new.
    """
    session = LoginSession.objects.filter(
        pk=token.get(SESSION_CLAIM), user=user, ended_at__isnull=True
    ).first()
    refresh = RefreshToken.for_user(user)
    session_end = session and datetime_to_epoch(session.started_at + settings.JWT_SESSION_LIFETIME)
    if session is None or session_end <= refresh[AUTH_TIME_CLAIM]:
        raise AuthenticationFailed(_("The session has ended."), code="session_ended")
    refresh[SESSION_CLAIM] = str(session.pk)
    refresh[SESSION_END_CLAIM] = session_end
    refresh["exp"] = min(refresh["exp"], session_end)
    return refresh


def end_session(refresh):
    """Log out: blacklist ``refresh`` and end its session, whose tokens die within the lag."""
    refresh.blacklist()
    session_id = refresh.get(SESSION_CLAIM)
    if isinstance(session_id, str):
        ended = LoginSession.objects.filter(pk=session_id, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        if ended:  # whose session it was, by the row: a token's claims may be malformed
            user_id = LoginSession.objects.values_list("user", flat=True).get(pk=session_id)
            record(events.SESSION_END, user_id=user_id, session=session_id, reason=events.LOGOUT)


def forget():
    """Drop everything this process remembers (tests: ids are reused after a rollback)."""
    users.forget()
    sessions.forget()


@receiver(setting_changed)
def forget_on_new_settings(*, setting, **kwargs):
    if setting in ("AUTH_USER_MODEL", "JWT_REVOCATION_LAG_SECONDS"):
        forget()
