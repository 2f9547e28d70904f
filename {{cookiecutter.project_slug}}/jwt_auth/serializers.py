"""simplejwt's serializers, with sessions, and closed where they leave a gap.

- Every token is read with this project's token classes, which refuse
  malformed claims, and checked with the one revocation rule
  (``revocation.check_token``) that authentication applies too; refresh and
  verify ask the database at once.
- A login opens a session; its tokens carry the session's id (``sid``), and
  logout ends it.
- A rotated refresh token works once, even when two requests present it at
  the same moment: the insert into the blacklist decides, not a prior read.
- A rotated refresh token never expires later than the session that its
  login began (``JWT_SESSION_LIFETIME_DAYS``, by default the refresh
  lifetime): however often a client refreshes, the session ends.

The serializers at the end describe the token endpoints' answers in the
OpenAPI description.
"""

from django.utils.translation import gettext_lazy as _
{%- if cookiecutter.token_storage == "both" %}
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
{%- endif %}
{%- if cookiecutter.throttling %}
from rest_framework import exceptions
{%- endif %}
from rest_framework import serializers as drf
from rest_framework_simplejwt import serializers
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings

from accounts.fields import PasswordField, StringsOnlyMixin

from . import revocation
{% if cookiecutter.throttling %}from .throttles import FailedLoginThrottle
{% endif %}from .tokens import RefreshToken, UntypedToken


class TokenObtainPairSerializer(StringsOnlyMixin, serializers.TokenObtainPairSerializer):
    token_class = RefreshToken

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Surrounding whitespace is the account key's to handle, as everywhere
        # a username is read (accounts/usernames.py).
        self.fields[self.username_field] = drf.CharField(write_only=True, trim_whitespace=False)
        self.fields["password"] = PasswordField()
{%- if cookiecutter.throttling %}

    def validate(self, attrs):
        """Count the attempt against its account's limit, then check the password.

        This runs after the view's CSRF check and the parsing of the body.
        """
        throttle = FailedLoginThrottle(self.context["request"])
        if not throttle.attempt(attrs[self.username_field]):
            raise exceptions.Throttled(throttle.wait())
        data = super().validate(attrs)
        throttle.succeeded()
        return data
{%- endif %}

    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token[revocation.SESSION_CLAIM] = revocation.start_session(user)
        return token


class TokenRefreshSerializer(StringsOnlyMixin, serializers.TokenRefreshSerializer):
    token_class = RefreshToken

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        revocation.check_token(refresh, fresh=True)
        data = {"access": str(refresh.access_token)}
        if api_settings.ROTATE_REFRESH_TOKENS:
            self.use_up(refresh)
            refresh.rotate()
            refresh.outstand()
            data["refresh"] = str(refresh)
        return data

    def use_up(self, refresh):
        """Blacklist ``refresh``; fail unless this request is the one that did it."""
        _blacklisted, created = refresh.blacklist()
        if not created:
            raise TokenError(_("Token is blacklisted"))


class TokenVerifySerializer(StringsOnlyMixin, serializers.TokenVerifySerializer):
    """Valid means what authentication means: well signed, unexpired and not revoked."""

    def validate(self, attrs):
        token = UntypedToken(attrs["token"])
        revocation.check_token(token, fresh=True)
        if token.get(api_settings.TOKEN_TYPE_CLAIM) == RefreshToken.token_type:
            RefreshToken(attrs["token"])  # simplejwt's blacklist check, as refresh makes it
        return {}


class TokenBlacklistSerializer(StringsOnlyMixin, serializers.TokenBlacklistSerializer):
    token_class = RefreshToken

    def validate(self, attrs):
        revocation.end_session(self.token_class(attrs["refresh"]))
        return {}
{%- if cookiecutter.token_storage != "cookie" %}


class TokenPairSerializer(drf.Serializer):
    access = drf.CharField()
    refresh = drf.CharField()


class RefreshedTokensSerializer(drf.Serializer):
    access = drf.CharField()
    refresh = drf.CharField(required=False, help_text="A new refresh token, when they rotate.")
{%- endif %}
{%- if cookiecutter.token_storage != "header" %}


class TokenExpirySerializer(drf.Serializer):
    """When the token cookies just set expire; the tokens themselves stay in the cookies."""

    access_expires = drf.DateTimeField()
    refresh_expires = drf.DateTimeField()


class RefreshedExpirySerializer(drf.Serializer):
    access_expires = drf.DateTimeField()
    refresh_expires = drf.DateTimeField(
        required=False, help_text="When the new refresh cookie expires, when tokens rotate."
    )
{%- endif %}

{%- if cookiecutter.token_storage == "both" %}


# The answers of login (and of a password change) and of refresh, whichever
# transport uses_cookies chooses.
LOGIN_RESPONSE = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="LoginResponse",
        serializers=[TokenPairSerializer, TokenExpirySerializer],
        resource_type_field_name=None,
    ),
    "Without X-CSRFToken, the tokens; with it, the token cookies and when they expire.",
)
REFRESH_RESPONSE = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="RefreshResponse",
        serializers=[RefreshedTokensSerializer, RefreshedExpirySerializer],
        resource_type_field_name=None,
    ),
    "Without X-CSRFToken, the new tokens; with it, new token cookies and when they expire.",
)
{%- elif cookiecutter.token_storage == "cookie" %}


# The answers of login (and of a password change) and of refresh.
LOGIN_RESPONSE = TokenExpirySerializer
REFRESH_RESPONSE = RefreshedExpirySerializer
{%- else %}


# The answers of login (and of a password change) and of refresh.
LOGIN_RESPONSE = TokenPairSerializer
REFRESH_RESPONSE = RefreshedTokensSerializer
{%- endif %}
