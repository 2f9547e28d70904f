{%- set cookies = cookiecutter.token_storage != "header" -%}
{%- set body = cookiecutter.token_storage != "cookie" -%}
{%- set both = cookiecutter.token_storage == "both" -%}
{%- if both -%}
"""The token endpoints: simplejwt's views, with the tokens in cookies for browsers.

Whether a request gets cookies or tokens in the body is decided in one
place, ``uses_cookies`` in cookies.py; the README explains the rule.
Responses that carry tokens are never cached.
"""
{%- elif cookies -%}
"""The token endpoints: simplejwt's views, with the tokens carried in cookies.

Responses that carry tokens are never cached.
"""
{%- else -%}
"""The token endpoints: simplejwt's views{% if cookiecutter.throttling %} with this project's throttle scopes{% endif %}.

Responses that carry tokens are never cached.
"""
{%- endif %}
{%- if cookies %}

from contextlib import suppress
{%- endif %}

{% if cookies %}from django.middleware.csrf import get_token
{% endif %}from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import {% if cookies %}exceptions, {% endif %}serializers, status
{%- if cookies %}
from rest_framework.permissions import AllowAny
{%- endif %}
from rest_framework.response import Response
{%- if cookies %}
from rest_framework.views import APIView
{%- endif %}
from rest_framework_simplejwt import views
{%- if cookies %}
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
{%- endif %}

from accounts.fields import PasswordField{% if both %}, StringsOnlyMixin{% endif %}
from config.openapi import {% if cookies %}CSRF_FAILED, {% endif %}UNAUTHENTICATED{% if cookies or cookiecutter.throttling %}, set_cookie{% endif %}

{% if cookies %}from . import revocation
from .cookies import (
    REFRESH_COOKIE,
    delete_token_cookies,
    enforce_csrf,
    set_token_cookies,
{%- if both %}
    uses_cookies,
{%- endif %}
)
{% endif %}{% if cookiecutter.throttling %}from .devices import remember_device
{% endif %}from .serializers import LOGIN_RESPONSE, REFRESH_RESPONSE
{%- if cookies %}
from .tokens import RefreshToken
{%- endif %}

CREDENTIALS = inline_serializer(
    "Credentials",
    {"username": serializers.CharField(trim_whitespace=False), "password": PasswordField()},
)
{%- if both %}


class RefreshTokenSerializer(StringsOnlyMixin, serializers.Serializer):
    """The body of refresh and logout, checked as described even when the cookie is read."""

    refresh = serializers.CharField(
        required=False, help_text="Required without X-CSRFToken; with it, the refresh cookie."
    )


REFRESH_TOKEN = RefreshTokenSerializer
{%- elif body %}
REFRESH_TOKEN = inline_serializer("RefreshToken", {"refresh": serializers.CharField()})
{%- else %}
REFRESH_TOKEN = None  # refresh and logout read the refresh cookie, not a body
{%- endif %}
{%- if cookies %}


class CookieTransportMixin:
    """Answer {% if both %}a browser {% endif %}with the tokens in HttpOnly cookies, not in the body."""

    csrf_checked = True  # for the OpenAPI description: no cookie authenticates these views

    def post(self, request, *args, **kwargs):
{%- if both %}
        if not uses_cookies(request):
            return self.post_with_body(request, *args, **kwargs)
{%- endif %}
        enforce_csrf(request)
        return self.post_with_cookies(request)
{%- if both %}

    def post_with_body(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
{%- endif %}

    def post_with_cookies(self, request):
        """Set the token cookies; the body says only when they expire."""
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
{%- endif %}


@method_decorator(never_cache, name="dispatch")
@extend_schema(
    request=CREDENTIALS,
{%- if cookies or cookiecutter.throttling %}
    parameters=[
        set_cookie(
            200,
{%- if both and cookiecutter.throttling %}
            description="With X-CSRFToken, the access and refresh token cookies; always, the "
            "device cookie, which keeps this client's own allowance of failed logins.",
{%- elif cookies and cookiecutter.throttling %}
            description="The access and refresh token cookies, and the device cookie, which "
            "keeps this client's own allowance of failed logins.",
{%- elif both %}
            description="With X-CSRFToken, the access and refresh token cookies.",
{%- elif cookies %}
            description="The access and refresh token cookies.",
{%- else %}
            description="The device cookie: sent back on later logins, it keeps this client's "
            "own allowance of failed logins.",
{%- endif %}
        )
    ],
{%- endif %}
    responses={
        200: LOGIN_RESPONSE,
        401: UNAUTHENTICATED,
{%- if cookies %}
        403: CSRF_FAILED,
{%- endif %}
    },
)
class LoginView({% if cookies %}CookieTransportMixin, {% endif %}views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token."""
{%- if cookiecutter.throttling %}

    throttle_scope = "login"

    def get_serializer(self, *args, **kwargs):
        self.login = super().get_serializer(*args, **kwargs)
        return self.login

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            # A client that signed in keeps its own allowance of failed logins.
            remember_device(request, response, self.login.user.get_username())
        return response
{%- endif %}


@method_decorator(never_cache, name="dispatch")
@extend_schema(
    request=REFRESH_TOKEN,
{%- if cookies %}
    parameters=[
        set_cookie(
            200,
{%- if both %}
            description="With X-CSRFToken, the new access cookie "
            "(and refresh cookie, when tokens rotate).",
{%- else %}
            description="The new access cookie (and refresh cookie, when tokens rotate).",
{%- endif %}
        )
    ],
{%- endif %}
    responses={
        200: REFRESH_RESPONSE,
        401: UNAUTHENTICATED,
{%- if cookies %}
        403: CSRF_FAILED,
{%- endif %}
    },
)
class RefreshView({% if cookies %}CookieTransportMixin, {% endif %}views.TokenRefreshView):
    """Exchange a refresh token for a new access token (and, when rotating, a new refresh)."""
{%- if cookiecutter.throttling %}

    throttle_scope = "refresh"
{%- endif %}
{%- if cookies %}

    def token_request_data(self, request):
{%- if both %}
        RefreshTokenSerializer(data=request.data).is_valid(raise_exception=True)
{%- endif %}
        refresh = request.COOKIES.get(REFRESH_COOKIE)
        if not refresh:
            raise exceptions.NotAuthenticated("No refresh token cookie.")
        return {"refresh": refresh}
{%- endif %}


@extend_schema(
    responses={
        200: OpenApiResponse({"type": "object", "maxProperties": 0}, "The token is valid."),
        401: UNAUTHENTICATED,
    },
)
class VerifyView(views.TokenVerifyView):
    """Answer 200 if the token is valid and neither it nor its session is revoked, 401 if not."""


@extend_schema(
    request=REFRESH_TOKEN,
{%- if cookies %}
{%- if both %}
    parameters=[
        set_cookie(204, description="With X-CSRFToken, both token cookies, emptied and expired.")
    ],
{%- else %}
    parameters=[set_cookie(204, description="Both token cookies, emptied and expired.")],
{%- endif %}
{%- endif %}
    responses={
        204: None,
{%- if body %}
        401: UNAUTHENTICATED,
{%- endif %}
{%- if cookies %}
        403: CSRF_FAILED,
{%- endif %}
    },
)
{%- if cookies %}
class LogoutView(CookieTransportMixin, views.TokenBlacklistView):
    """Blacklist the refresh token{% if both %}; for a browser, delete both token cookies too{% else %} and delete both cookies{% endif %}.

    {% if both %}A browser needs{% else %}It needs{% endif %} no valid access token, so an expired session can always log out.
    """
{%- if both %}

    def post_with_body(self, request, *args, **kwargs):
        super().post_with_body(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)
{%- endif %}

    def post_with_cookies(self, request):
{%- if both %}
        RefreshTokenSerializer(data=request.data).is_valid(raise_exception=True)
{%- endif %}
        with suppress(TokenError):
            revocation.end_session(RefreshToken(request.COOKIES.get(REFRESH_COOKIE, "")))
        response = Response(status=status.HTTP_204_NO_CONTENT)
        delete_token_cookies(response)
        return response
{%- else %}
class LogoutView(views.TokenBlacklistView):
    """Blacklist a refresh token so it can never be used again."""

    def post(self, request, *args, **kwargs):
        super().post(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)
{%- endif %}
{%- if cookies %}


class CsrfView(APIView):
    """Set the CSRF cookie and return its token, for the X-CSRFToken header.

    An app on another origin cannot read this API's cookies: it takes the
    token from this body.
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        parameters=[set_cookie(200, description="The CSRF cookie.")],
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()}),
    )
    def get(self, request):
        return Response({"csrf_token": get_token(request)})
{%- endif %}
