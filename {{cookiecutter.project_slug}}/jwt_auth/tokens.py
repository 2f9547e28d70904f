"""simplejwt's tokens: malformed claims refused, sessions with an end, access tokens
whose signature is checked once per process.

A token can be signed with the right key and still carry a claim of the
wrong type (a list for ``user_id``, a string for ``exp``); only a key holder
can make one, but it must still be a 401, never a 500.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.utils import aware_utcnow, datetime_from_epoch, datetime_to_epoch

# When the session a refresh token belongs to ends, counted from its login.
SESSION_END_CLAIM = "session_end"
# When the user last proved a credential (OpenID Connect's name): refresh keeps it.
AUTH_TIME_CLAIM = "auth_time"
# Access tokens whose claims a process keeps once verified: enough for every
# token a worker sees within an access lifetime on a busy API (about a
# kilobyte each).
VERIFIED_TOKENS = 4096


class WellFormedClaimsMixin:
    """Refuse a token whose times are no times or whose user id fits no user id."""

    def verify(self):
        for claim in ("exp", SESSION_END_CLAIM, AUTH_TIME_CLAIM):
            if claim in self.payload and not is_timestamp(self.payload[claim]):
                raise TokenError(_("Token has a malformed '%s' claim") % claim)
        if not is_user_id(self.payload.get(api_settings.USER_ID_CLAIM)):
            raise TokenError(_("Token has a malformed user id claim"))
        if not is_token_id(self.payload.get(api_settings.JTI_CLAIM)):
            raise TokenError(_("Token has a malformed id"))
        super().verify()


def is_timestamp(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        datetime_from_epoch(value)
    except (OverflowError, OSError, ValueError):
        return False
    return True


def is_token_id(value):
    """Whether ``value`` fits the blacklist's jti column (a missing one is refused later)."""
    return value is None or (
        isinstance(value, str) and 0 < len(value) <= 255 and "\x00" not in value
    )


def is_user_id(value):
    """Whether ``value`` could be a user's id (a missing one is refused later, by name)."""
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, int | str):
        return False
    field = get_user_model()._meta.get_field(api_settings.USER_ID_FIELD)
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class AccessToken(WellFormedClaimsMixin, tokens.AccessToken):
    """An access token whose signature is checked once per process, not once per request.

    The claims of a token that passed every check (signature, algorithm,
    issuer, audience, well-formed claims) are kept; ``exp`` and the other
    claims are checked again on every use, so a kept token still expires on
    time.
    """

    verified = {}

    def __init__(self, token=None, verify=True):
        claims = self.verified.get(token) if verify else None
        if claims is None:
            super().__init__(token, verify)
            if verify and token is not None:
                self.keep(token)
            return
        self.token = token
        self.current_time = aware_utcnow()
        self.payload = dict(claims)
        self.verify()

    def keep(self, token):
        if len(self.verified) >= VERIFIED_TOKENS:
            self.verified.clear()
        self.verified[token] = dict(self.payload)


@receiver(setting_changed)
def forget_verified_tokens(*, setting, **kwargs):
    if setting in ("SIMPLE_JWT", "JWT_KEYS", "JWT_KEYS_DIR"):
        AccessToken.verified.clear()


class ReplayedTokenError(TokenError):
    """A blacklisted refresh token (rotated out, or logged out) presented again."""

    def __init__(self, token, blacklisted_at):
        super().__init__(_("Token is blacklisted"))
        self.token = token
        self.blacklisted_at = blacklisted_at


class RefreshToken(WellFormedClaimsMixin, tokens.RefreshToken):
    """A refresh token that knows when its session ends (``JWT_SESSION_LIFETIME_DAYS``).

    A new one is made only when a user has just proved a credential, so it
    carries that moment in ``auth_time``; rotation and its access tokens keep it.
    A blacklisted one says when it was blacklisted (``ReplayedTokenError``), so
    that refresh can tell a replay from two tabs refreshing at once.
    """

    access_token_class = AccessToken
    no_copy_claims = (*tokens.RefreshToken.no_copy_claims, SESSION_END_CLAIM)

    def __init__(self, token=None, verify=True):
        super().__init__(token, verify)
        if token is None:  # a login: its session starts now
            self[AUTH_TIME_CLAIM] = datetime_to_epoch(self.current_time)
            self[SESSION_END_CLAIM] = datetime_to_epoch(
                self.current_time + settings.JWT_SESSION_LIFETIME
            )

    def check_blacklist(self):
        blacklisted_at = (
            BlacklistedToken.objects.filter(token__jti=self.payload.get(api_settings.JTI_CLAIM))
            .values_list("blacklisted_at", flat=True)
            .first()
        )
        if blacklisted_at is not None:
            raise ReplayedTokenError(self, blacklisted_at)

    def rotate(self):
        """Make this a new token: a new id and expiry, but never past the session's end."""
        session_end = self.get(SESSION_END_CLAIM, self["exp"])
        self.set_jti()
        self.set_iat()
        self.set_exp()
        self["exp"] = min(self["exp"], session_end)


class UntypedToken(WellFormedClaimsMixin, tokens.UntypedToken):
    pass
