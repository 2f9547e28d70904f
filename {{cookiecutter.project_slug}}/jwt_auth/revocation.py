"""Whether a token's user and session still stand, as each process last saw them;
how sessions open and end.

Logout ends a session; deactivating or deleting a user, or changing their
password, ends all of theirs; so do idleness, a replayed refresh token, the
limit of sessions per user, and the user ending one at /api/auth/sessions/.
Every ending goes through ``end_sessions``, which names its reason.

A process remembers what it learned about a user or a session for at most
JWT_REVOCATION_LAG_SECONDS, so a revocation takes effect on every worker and
host within that time, while a busy API asks the database about each user
and session once per lag, not once per request. A lag of 0 asks on every
request.
"""

import copy
import ipaddress
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import datetime_to_epoch, get_md5_hash_password

from accounts import notices
from api.clients import client_address, user_agent
from security_events import events
from security_events.recorder import record

from .models import EndReason, LoginSession
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
    return LoginSession.objects.open().filter(pk=session_id).exists()


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


def open_session(user, request=None):
    """Open a session for a sign-in; return its first refresh token, which names it in ``sid``.

    The session keeps where ``request`` came from, for its user to recognise
    it; at JWT_MAX_SESSIONS_PER_USER the least recently used one ends first.
    """
    make_room_for_a_session(user)
    session = LoginSession.objects.create(
        user=user,
        ip=address_of(request) if request else None,
        user_agent=user_agent(request) if request else "",
    )
    refresh = RefreshToken.for_user(user)
    refresh[SESSION_CLAIM] = str(session.pk)
    return refresh


def address_of(request):
    """The client's IP address as the rate limits see it, or None when it is none."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:  # a proxy passed on something else
        return None


def make_room_for_a_session(user):
    """End the user's least recently used sessions, leaving room for one more under the limit."""
    limit = settings.JWT_MAX_SESSIONS_PER_USER
    if limit:
        oldest = user.login_sessions.open().order_by("-last_used", "-started_at")[limit - 1 :]
        over = list(oldest.values_list("pk", flat=True))
        if over:  # most logins: nothing to end, one query
            end_sessions(LoginSession.objects.filter(pk__in=over), reason=EndReason.SESSION_LIMIT)


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
    LoginSession.objects.filter(pk=session.pk).update(last_used=timezone.now())
    refresh[SESSION_CLAIM] = str(session.pk)
    refresh[SESSION_END_CLAIM] = session_end
    refresh["exp"] = min(refresh["exp"], session_end)
    return refresh


def end_session(refresh):
    """Log out: blacklist ``refresh`` and end its session, whose tokens die within the lag."""
    refresh.blacklist()
    session_id = refresh.get(SESSION_CLAIM)
    if isinstance(session_id, str):
        end_sessions(sessions_named(session_id), reason=EndReason.LOGOUT)


def end_sessions(ended, *, reason):
    """End the open sessions among ``ended`` (LoginSessions) for ``reason``; return their ids.

    The one place a session ends, whatever ends it (an EndReason): their
    refresh tokens are refused at once, their access tokens within the lag.
    """
    with transaction.atomic():
        owners = dict(
            ended.filter(ended_at__isnull=True).select_for_update().values_list("pk", "user_id")
        )
        LoginSession.objects.filter(pk__in=owners).update(
            ended_at=timezone.now(), end_reason=reason
        )
        for session_id, user_id in owners.items():
            record(events.SESSION_END, user_id=user_id, session=session_id, reason=reason)
    return list(owners)


def sessions_named(session_id):
    """The session whose id a token carries, as a queryset; none for a malformed id."""
    if not isinstance(session_id, str):
        return LoginSession.objects.none()
    try:
        return LoginSession.objects.filter(pk=LoginSession._meta.pk.to_python(session_id))
    except MALFORMED_ID:
        return LoginSession.objects.none()


def check_refresh_token(refresh):
    """Refresh's rule: ``check_token``, once a session that idled too long has ended."""
    idle = sessions_named(refresh.get(SESSION_CLAIM)).idle()
    if end_sessions(idle, reason=EndReason.IDLE):
        raise AuthenticationFailed(
            _("The session has ended: it was not used for too long."), code="session_idle"
        )
    return check_token(refresh, fresh=True)


def record_use(refresh):
    """A refresh used the session of ``refresh`` now: it is not idle (no write per request)."""
    sessions_named(refresh[SESSION_CLAIM]).update(last_used=timezone.now())


def refuse_replay(refresh, rotated_at, request=None):
    """Refuse ``refresh``, rotated out at ``rotated_at`` and presented again.

    Past JWT_REFRESH_REUSE_GRACE_SECONDS one of the two parties holding it is
    an attacker, and nobody can tell which: its whole session ends (RFC 9700
    4.14.2). Within the grace it is two tabs that refreshed at once.
    """
    grace = timedelta(seconds=settings.JWT_REFRESH_REUSE_GRACE_SECONDS)
    if timezone.now() - rotated_at > grace and end_sessions(
        sessions_named(refresh.get(SESSION_CLAIM)), reason=EndReason.REUSE
    ):
        owner = LoginSession.objects.get(pk=refresh[SESSION_CLAIM]).user
        record(events.TOKEN_REUSE, request, user=owner, session=refresh[SESSION_CLAIM])
        notices.refresh_token_replayed(request, owner)
        raise AuthenticationFailed(
            _("This refresh token was used before: its session has ended."),
            code="token_reused",
        )
    raise InvalidToken(_("Token is blacklisted"))


def forget():
    """Drop everything this process remembers (tests: ids are reused after a rollback)."""
    users.forget()
    sessions.forget()


@receiver(setting_changed)
def forget_on_new_settings(*, setting, **kwargs):
    if setting in ("AUTH_USER_MODEL", "JWT_REVOCATION_LAG_SECONDS"):
        forget()
