"""simplejwt's serializers, with sessions, and closed where they leave a gap.

- A login opens a session; its tokens carry the session's id (``sid``).
- A rotated refresh token works once, even when two requests present it at
  the same moment: the insert into the blacklist decides, not a prior read.
- Refresh and verify apply the rules authentication applies (user gone,
  inactive or with a new password; session ended), asking the database now.
- Verifying a blacklisted token is a 401, like any other invalid token.
- Logout blacklists the refresh token and ends its session.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import serializers
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import UntypedToken

from . import revocation


class TokenObtainPairSerializer(serializers.TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token[revocation.SESSION_CLAIM] = revocation.start_session(user)
        return token


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        revocation.check_token(refresh, fresh=True)
        data = {"access": str(refresh.access_token)}
        if api_settings.ROTATE_REFRESH_TOKENS:
            self.use_up(refresh)
            refresh.set_jti()
            refresh.set_exp()
            refresh.set_iat()
            refresh.outstand()
            data["refresh"] = str(refresh)
        return data

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
        revocation.check_token(token, fresh=True)
        return {}


class TokenBlacklistSerializer(serializers.TokenBlacklistSerializer):
    def validate(self, attrs):
        revocation.end_session(self.token_class(attrs["refresh"]))
        return {}
