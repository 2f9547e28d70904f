"""simplejwt's serializers, closed where they leave a gap.

- A rotated refresh token works once, even when two requests present it at
  the same moment: the insert into the blacklist decides, not a prior read.
- A refresh token whose user is gone, inactive or has changed password since
  is a 401, not a 500 or a new token.
- Verifying a blacklisted token is a 401, like any other invalid token.

The serializers at the end describe the token endpoints' answers in the
OpenAPI description.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework import serializers as drf
from rest_framework_simplejwt import serializers
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import UntypedToken
from rest_framework_simplejwt.utils import get_md5_hash_password


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    default_error_messages = {
        "no_active_account": _("No active account found for the given token."),
        "password_changed": _("The user's password has been changed."),
    }

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        self.check_user(refresh)
        data = {"access": str(refresh.access_token)}
        if api_settings.ROTATE_REFRESH_TOKENS:
            self.use_up(refresh)
            refresh.set_jti()
            refresh.set_exp()
            refresh.set_iat()
            refresh.outstand()
            data["refresh"] = str(refresh)
        return data

    def check_user(self, refresh):
        user_id = refresh.payload.get(api_settings.USER_ID_CLAIM)
        user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
        if not api_settings.USER_AUTHENTICATION_RULE(user):
            self.fail_authentication("no_active_account")
        password_hash = refresh.payload.get(api_settings.REVOKE_TOKEN_CLAIM)
        if password_hash != get_md5_hash_password(user.password):
            self.fail_authentication("password_changed")

    def fail_authentication(self, code):
        raise exceptions.AuthenticationFailed(self.error_messages[code], code)

    def use_up(self, refresh):
        """Blacklist ``refresh``; fail unless this request is the one that did it."""
        _blacklisted, created = refresh.blacklist()
        if not created:
            raise TokenError(_("Token is blacklisted"))


class TokenVerifySerializer(serializers.TokenVerifySerializer):
    def validate(self, attrs):
        token = UntypedToken(attrs["token"])
        jti = token.get(api_settings.JTI_CLAIM)
        if BlacklistedToken.objects.filter(token__jti=jti).exists():
            raise TokenError(_("Token is blacklisted"))
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
