"""simplejwt's serializers, with sessions, and closed where they leave a gap.

- Every token is read with this project's token classes, which refuse
  malformed claims, and checked with the one revocation rule
  (``revocation.check_token``) that authentication applies too; refresh and
  verify ask the database at once.
- A login opens a session (``transport.sign_in``); its tokens carry the
  session's id (``sid``), and logout ends it.
- A rotated refresh token works once, even when two requests present it at
  the same moment: the insert into the blacklist decides, not a prior read.
  Presented again past JWT_REFRESH_REUSE_GRACE_SECONDS, it ends its whole
  session (``revocation.refuse_replay``). A refresh keeps its session from
  idling; one idle too long ends (``revocation.check_refresh_token``).
- A rotated refresh token never expires later than the session that its
  login began (``JWT_SESSION_LIFETIME_DAYS``, by default the refresh
  lifetime): however often a client refreshes, the session ends.

The serializers at the end describe the token endpoints' answers in the
OpenAPI description.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
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

{% if cookiecutter.throttling -%}
from api.throttles import FailedLoginThrottle
{% endif -%}
from security_events import events
from security_events.recorder import record

from . import revocation
from .tokens import RefreshToken, ReplayedTokenError, UntypedToken


class LoginSerializer(serializers.TokenObtainSerializer):
    """Check a username and password; the view then opens the session (``transport.sign_in``)."""

    def validate(self, attrs):
{%- if cookiecutter.throttling %}
        # Refuse an account over its failed-login limit before checking the password.
        throttle = FailedLoginThrottle()
        if not throttle.allow_request(self.context["request"], self.context.get("view")):
            raise exceptions.Throttled(throttle.wait())
{%- endif %}
        super().validate(attrs)  # sets self.user, or refuses the credentials
        if api_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, self.user)
        return {}


class ReauthenticationSerializer(drf.Serializer):
    """The signed-in user's password, proved again (and counted like a login's)."""

    password = drf.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )

    default_error_messages = {"wrong_password": _("The password is not correct.")}

    def validate_password(self, password):
        request = self.context["request"]
        # authenticate() reports a failure (user_login_failed), as a login's.
        self.user = authenticate(request, username=request.user.get_username(), password=password)
        if self.user is None:
            record(events.REAUTHENTICATE_FAIL, request, reason=events.BAD_CREDENTIALS)
            self.fail("wrong_password")
        return password


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    token_class = RefreshToken

    def validate(self, attrs):
        try:
            refresh = self.token_class(attrs["refresh"])
        except ReplayedTokenError as replay:
            replay.token.check_exp()  # an expired token is only refused
            replay.token.verify_token_type()
            revocation.refuse_replay(replay.token, replay.blacklisted_at)
        user = revocation.check_refresh_token(refresh)
        data = {"access": str(refresh.access_token)}
        if api_settings.ROTATE_REFRESH_TOKENS:
            self.use_up(refresh)
            refresh.rotate()
            refresh.outstand()
            data["refresh"] = str(refresh)
        revocation.record_use(refresh)
        session = refresh[revocation.SESSION_CLAIM]
        record(events.SESSION_RENEWED, self.context.get("request"), user=user, session=session)
        return data

    def use_up(self, refresh):
        """Blacklist ``refresh``; fail unless this request is the one that did it."""
        _blacklisted, created = refresh.blacklist()
        if not created:
            raise TokenError(_("Token is blacklisted"))


class TokenVerifySerializer(serializers.TokenVerifySerializer):
    """Valid means what authentication means: well signed, unexpired and not revoked."""

    def validate(self, attrs):
        token = UntypedToken(attrs["token"])
        revocation.check_token(token, fresh=True)
        if token.get(api_settings.TOKEN_TYPE_CLAIM) == RefreshToken.token_type:
            RefreshToken(attrs["token"])  # simplejwt's blacklist check, as refresh makes it
        return {}


class TokenBlacklistSerializer(serializers.TokenBlacklistSerializer):
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
