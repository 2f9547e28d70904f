{%- set cookies = cookiecutter.token_storage != "header" -%}
{%- set both = cookiecutter.token_storage == "both" -%}
{%- if both -%}
"""The token endpoints: simplejwt's views, with the tokens carried in cookies.

Browsers get HttpOnly cookies; other clients get the tokens as JSON, exactly
as simplejwt gives them. A login from a browser carries the CSRF cookie
(from /api/auth/csrf/); a refresh or logout from a browser carries no token
in its body, since the browser holds it in a cookie. Responses that carry
tokens are never cached.
"""
{%- elif cookies -%}
"""The token endpoints: simplejwt's views, with the tokens carried in cookies.

Responses that carry tokens are never cached.
"""
{%- else -%}
"""The token endpoints: simplejwt's views with this project's throttle scopes.

Responses that carry tokens are never cached.
"""
{%- endif %}
{%- if cookies %}

from contextlib import suppress
{%- endif %}

{% if both %}from django.conf import settings
{% endif %}{% if cookies %}from django.middleware.csrf import get_token
{% endif %}from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
{%- if cookies %}
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
{%- else %}
from rest_framework import status
{%- endif %}
from rest_framework.response import Response
{%- if cookies %}
from rest_framework.views import APIView
{%- endif %}
from rest_framework_simplejwt import views
{%- if cookies %}
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from . import revocation
from .cookies import REFRESH_COOKIE, delete_token_cookies, enforce_csrf, set_token_cookies
from .tokens import RefreshToken


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
{%- if both %}


def uses_refresh_cookie(request):
    """A browser's refresh or logout: no body, or an object without ``refresh``.

    Any other body (``{"refresh": ...}``, or a bare 42) goes to simplejwt's
    serializer, which says what is wrong with it.
    """
    return isinstance(request.data, dict) and "refresh" not in request.data
{%- endif %}
{%- endif %}


@method_decorator(never_cache, name="dispatch")
class LoginView({% if cookies %}CookieTransportMixin, {% endif %}views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token."""
{%- if cookiecutter.throttling %}

    throttle_scope = "login"
{%- endif %}
{%- if both %}

    def uses_cookies(self, request):
        return settings.CSRF_COOKIE_NAME in request.COOKIES
{%- endif %}


@method_decorator(never_cache, name="dispatch")
class RefreshView({% if cookies %}CookieTransportMixin, {% endif %}views.TokenRefreshView):
    """Exchange a refresh token for a new access token (and, when rotating, a new refresh)."""
{%- if cookiecutter.throttling %}

    throttle_scope = "refresh"
{%- endif %}
{%- if both %}

    def uses_cookies(self, request):
        return uses_refresh_cookie(request)
{%- endif %}
{%- if cookies %}

    def token_request_data(self, request):
        refresh = request.COOKIES.get(REFRESH_COOKIE)
        if not refresh:
            raise exceptions.NotAuthenticated("No refresh token cookie.")
        return {"refresh": refresh}
{%- endif %}


class VerifyView(views.TokenVerifyView):
    """Answer 200 if the token is valid and neither it nor its session is revoked, 401 if not."""


class LogoutView(views.TokenBlacklistView):
{%- if cookies %}
    """Blacklist the refresh token and delete both cookies.

    It needs no valid access token, so an expired session can always log out.
    """

    def post(self, request, *args, **kwargs):
{%- if both %}
        if not uses_refresh_cookie(request):
            super().post(request, *args, **kwargs)
            return Response(status=status.HTTP_204_NO_CONTENT)
{%- endif %}
        enforce_csrf(request)
        with suppress(TokenError):
            revocation.end_session(RefreshToken(request.COOKIES.get(REFRESH_COOKIE, "")))
        response = Response(status=status.HTTP_204_NO_CONTENT)
        delete_token_cookies(response)
        return response
{%- else %}
    """Blacklist a refresh token so it can never be used again."""

    def post(self, request, *args, **kwargs):
        super().post(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)
{%- endif %}
{%- if cookies %}


class CsrfView(APIView):
    """Set the CSRF cookie; send its value back in the X-CSRFToken header."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()})
    )
    def get(self, request):
        return Response({"csrf_token": get_token(request)})
{%- endif %}
