"""simplejwt's tokens, refusing malformed claims, and the one rule that revokes them.

A token can be signed with the right key and still carry a claim of the
wrong type (a list for ``user_id``, a string for ``exp``); only a key holder
can make one, but it must still be a 401, never a 500.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password


class WellFormedClaimsMixin:
    """Refuse a token whose ``exp`` is no time or whose user id fits no user id."""

    def verify(self):
        if "exp" in self.payload and not is_timestamp(self.payload["exp"]):
            raise TokenError(_("Token has a malformed 'exp' claim"))
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
    access_token_class = AccessToken


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
