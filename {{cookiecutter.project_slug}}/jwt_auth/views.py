{%- set cookies = cookiecutter.token_storage != "header" -%}
{%- set both = cookiecutter.token_storage == "both" -%}
{%- if cookies -%}
{%- if both -%}
"""The token endpoints: simplejwt's views, with the tokens carried in cookies.

Browsers get HttpOnly cookies; other clients get the tokens as JSON, exactly
as simplejwt gives them. A login from a browser carries the CSRF cookie
(from /api/auth/csrf/); a refresh or logout from a browser carries no token
in its body, since the browser holds it in a cookie.
"""
{%- else -%}
"""The token endpoints: simplejwt's views, with the tokens carried in cookies."""
{%- endif %}

from contextlib import suppress

{% if both %}from django.conf import settings
{% endif %}from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from .cookies import REFRESH_COOKIE, delete_token_cookies, enforce_csrf, set_token_cookies


class CookieTransportMixin:
    """Answer {% if both %}a browser {% endif %}with the tokens in HttpOnly cookies, not in the body.

    The body says only when the tokens expire, so a client knows when to refresh.
    """

    def post(self, request, *args, **kwargs):
{%- if both %}
        if not self.uses_cookies(request):
            return super().post(request, *args, **kwargs)
{%- endif %}
        enforce_csrf(request)
        serializer = self.get_serializer(data=self.token_request_data(request))
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from error
        response = Response()
        response.data = set_token_cookies(response, **serializer.validated_data)
        return response

    def token_request_data(self, request):
        return request.data


@method_decorator(never_cache, name="dispatch")
class LoginView(CookieTransportMixin, views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token."""
{%- if cookiecutter.throttling %}

    throttle_scope = "login"
{%- endif %}
{%- if both %}

    def uses_cookies(self, request):
        return settings.CSRF_COOKIE_NAME in request.COOKIES
{%- endif %}


@method_decorator(never_cache, name="dispatch")
class RefreshView(CookieTransportMixin, views.TokenRefreshView):
    """Exchange a refresh token for a new access token (and, when rotating, a new refresh)."""
{%- if cookiecutter.throttling %}

    throttle_scope = "refresh"
{%- endif %}
{%- if both %}

    def uses_cookies(self, request):
        return "refresh" not in request.data
{%- endif %}

    def token_request_data(self, request):
        refresh = request.COOKIES.get(REFRESH_COOKIE)
        if not refresh:
            raise exceptions.NotAuthenticated("No refresh token cookie.")
        return {"refresh": refresh}


class VerifyView(views.TokenVerifyView):
    """Answer 200 if the token is valid and not blacklisted, 401 if not."""


class LogoutView(views.TokenBlacklistView):
    """Blacklist the refresh token and delete both cookies.

    It needs no valid access token, so an expired session can always log out.
    """

    def post(self, request, *args, **kwargs):
{%- if both %}
        if "refresh" in request.data:
            super().post(request, *args, **kwargs)
            return Response(status=status.HTTP_204_NO_CONTENT)
{%- endif %}
        enforce_csrf(request)
        with suppress(TokenError):
            RefreshToken(request.COOKIES.get(REFRESH_COOKIE, "")).blacklist()
        response = Response(status=status.HTTP_204_NO_CONTENT)
        delete_token_cookies(response)
        return response


class CsrfView(APIView):
    """Set the CSRF cookie; send its value back in the X-CSRFToken header."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()})
    )
    def get(self, request):
        return Response({"csrf_token": get_token(request)})
{%- else -%}
"""The token endpoints: simplejwt's views with this project's throttle scopes.

Responses that carry tokens are marked never to be cached.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from rest_framework import status
from rest_framework.response import Response
from rest_framework_simplejwt import views


@method_decorator(never_cache, name="dispatch")
class LoginView(views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token."""
{%- if cookiecutter.throttling %}

    throttle_scope = "login"
{%- endif %}


@method_decorator(never_cache, name="dispatch")
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
{%- endif %}
