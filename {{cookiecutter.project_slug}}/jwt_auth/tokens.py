"""simplejwt's tokens, refusing malformed claims, and the one rule that revokes them.

A token can be signed with the right key and still carry a claim of the
wrong type (a list for ``user_id``, a string for ``exp``); only a key holder
can make one, but it must still be a 401, never a 500.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.utils import (
    datetime_from_epoch,
    datetime_to_epoch,
    get_md5_hash_password,
)

# When the session a refresh token belongs to ends, counted from its login.
SESSION_END_CLAIM = "session_end"


class WellFormedClaimsMixin:
    """Refuse a token whose times are no times or whose user id fits no user id."""

    def verify(self):
        for claim in ("exp", SESSION_END_CLAIM):
            if claim in self.payload and not is_timestamp(self.payload[claim]):
                raise TokenError(_("Token has a malformed '%s' claim") % claim)
        if not is_user_id(self.payload.get(api_settings.USER_ID_CLAIM)):
            raise TokenError(_("Token has a malformed user id claim"))
        super().verify()


def is_timestamp(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        datetime_from_epoch(value)
    except (OverflowError, OSError, ValueError):
        return False
    return True


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
    pass


class RefreshToken(WellFormedClaimsMixin, tokens.RefreshToken):
    """A refresh token that knows when its session ends (``JWT_SESSION_LIFETIME_DAYS``)."""

    access_token_class = AccessToken
    no_copy_claims = (*tokens.RefreshToken.no_copy_claims, SESSION_END_CLAIM)

    def __init__(self, token=None, verify=True):
        super().__init__(token, verify)
        if token is None:  # a login: its session starts now
            self[SESSION_END_CLAIM] = datetime_to_epoch(
                self.current_time + settings.JWT_SESSION_LIFETIME
            )

    def rotate(self):
        """Make this a new token: a new id and expiry, but never past the session's end."""
        session_end = self.get(SESSION_END_CLAIM, self["exp"])
        self.set_jti()
        self.set_iat()
        self.set_exp()
        self["exp"] = min(self["exp"], session_end)


class UntypedToken(WellFormedClaimsMixin, tokens.UntypedToken):
    pass


def active_user(token):
    """The user ``token`` speaks for, unless the token has been revoked.

    The one revocation rule, shared by authentication, refresh and verify:
    the user exists and is active, the password has not changed since the
    token was issued, and a refresh token is not blacklisted.
    """
    try:
        user_id = token[api_settings.USER_ID_CLAIM]
    except KeyError as error:
        raise InvalidToken(_("Token contained no recognizable user identification")) from error
    user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
    if not api_settings.USER_AUTHENTICATION_RULE(user):
        raise AuthenticationFailed(
            _("No active account found for the given token."), code="no_active_account"
        )
    if token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
        raise AuthenticationFailed(
            _("The user's password has been changed."), code="password_changed"
        )
    if is_blacklisted(token):
        raise InvalidToken(_("Token is blacklisted"))
    return user


def is_blacklisted(token):
    """Only refresh tokens are ever blacklisted; an access token costs no query."""
    if token.get(api_settings.TOKEN_TYPE_CLAIM) != tokens.RefreshToken.token_type:
        return False
    jti = token.get(api_settings.JTI_CLAIM)
    return BlacklistedToken.objects.filter(token__jti=jti).exists()
