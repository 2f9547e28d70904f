"""The token endpoints: simplejwt's views with this project's throttle scopes."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework_simplejwt import views


class LoginView(views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token."""
{%- if cookiecutter.throttling %}

    throttle_scope = "login"
{%- endif %}


class RefreshView(views.TokenRefreshView):
    """Exchange a refresh token for a new access token (and, when rotating, a new refresh)."""
{%- if cookiecutter.throttling %}

    throttle_scope = "refresh"
{%- endif %}


class VerifyView(views.TokenVerifyView):
    """Answer 200 if the token is valid and not blacklisted, 401 if not."""


class LogoutView(views.TokenBlacklistView):
    """Blacklist a refresh token so it can never be used again."""

    def post(self, request, *args, **kwargs):
        super().post(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)
