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

from accounts.fields import PasswordField, StringsOnlyMixin
{% if cookiecutter.throttling -%}
from api.throttles import FailedLoginThrottle
{% endif -%}
{% if cookiecutter.passkeys -%}
from passkeys.ceremonies import verify_assertion
from passkeys.serializers import CredentialField
{% endif -%}
from security_events import events
from security_events.recorder import record

from . import revocation
from .tokens import RefreshToken, ReplayedTokenError, UntypedToken


class LoginSerializer(StringsOnlyMixin, serializers.TokenObtainSerializer):
    """Check a username and password; the view then opens the session (``transport.sign_in``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Surrounding whitespace is the account key's to handle, as everywhere
        # a username is read (api/usernames.py).
        self.fields[self.username_field] = drf.CharField(write_only=True, trim_whitespace=False)
        self.fields["password"] = PasswordField()

    def validate(self, attrs):
{%- if cookiecutter.throttling %}
        # Count the attempt against its account's limit, then check the password.
        # This runs after the CSRF check and the parsing of the body.
        throttle = FailedLoginThrottle(self.context["request"])
        if not throttle.attempt(attrs[self.username_field]):
            raise exceptions.Throttled(throttle.wait())
{%- endif %}
        super().validate(attrs)  # sets self.user, or refuses the credentials
{%- if cookiecutter.throttling %}
        throttle.succeeded()
{%- endif %}
        if api_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, self.user)
        return {}


class ReauthenticationSerializer(StringsOnlyMixin, drf.Serializer):
{%- if cookiecutter.passkeys %}
    """The signed-in user's password, proved again (and counted like a login's), or a passkey."""

    password = PasswordField(
        required=False, help_text="The password; or, in its place, a passkey's credential."
    )
    credential = CredentialField(
        write_only=True,
        required=False,
        help_text="In place of the password: a passkey's answer to the options of "
        "/api/auth/passkeys/login/options/.",
    )

    default_error_messages = {
        "wrong_password": _("The password is not correct."),
        "one_credential": _("Send either the password or a passkey's credential."),
    }
{%- else %}
    """The signed-in user's password, proved again (and counted like a login's)."""

    password = PasswordField()

    default_error_messages = {"wrong_password": _("The password is not correct.")}
{%- endif %}

    def validate_password(self, password):
        request = self.context["request"]
        username = request.user.get_username()
{%- if cookiecutter.throttling %}
        # Counted against the account's failed-login limit, as a login is.
        throttle = FailedLoginThrottle(request)
        if not throttle.attempt(username):
            raise exceptions.Throttled(throttle.wait())
{%- endif %}
        self.user = authenticate(request, username=username, password=password)
        if self.user is None:
            record(events.REAUTHENTICATE_FAIL, request, reason=events.BAD_CREDENTIALS)
            self.fail("wrong_password")
{%- if cookiecutter.throttling %}
        throttle.succeeded()
{%- endif %}
        return password
{%- if cookiecutter.passkeys %}

    def validate(self, attrs):
        if ("password" in attrs) == ("credential" in attrs):
            self.fail("one_credential")
        if "credential" in attrs:
            request = self.context["request"]
            self.user = verify_assertion(request, attrs["credential"], user=request.user)
        return attrs
{%- endif %}


class TokenRefreshSerializer(StringsOnlyMixin, serializers.TokenRefreshSerializer):
    token_class = RefreshToken

    def validate(self, attrs):
        try:
            refresh = self.token_class(attrs["refresh"])
        except ReplayedTokenError as replay:
            replay.token.check_exp()  # an expired token is only refused
            replay.token.verify_token_type()
            request = self.context.get("request")
            revocation.refuse_replay(replay.token, replay.blacklisted_at, request)
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
