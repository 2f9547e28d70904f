{%- set mandatory = cookiecutter.email_verification == "mandatory" -%}
"""The token endpoints: simplejwt's views, answering through the transport (transport.py).

Responses that carry tokens are never cached.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework_simplejwt import views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from accounts.fields import PasswordField
{% if mandatory %}from api import openapi
{% endif %}from api.openapi import {% if cookiecutter.mfa and not cookiecutter.throttling %}RETRY_AFTER, THROTTLED, {% endif %}UNAUTHENTICATED
{%- if mandatory %}
from email_verification.addresses import EmailNotVerified, require_verified_email
{%- endif %}
{%- if cookiecutter.mfa %}
from mfa.challenges import challenge, needs_second_step
from mfa.serializers import LOGIN_OR_CHALLENGE, MFAReauthenticationSerializer
{%- endif %}
from security_events import events
from security_events.recorder import record

from . import transport
{%- if cookiecutter.mfa %}
from .serializers import LOGIN_RESPONSE, REFRESH_RESPONSE
{%- else %}
from .serializers import LOGIN_RESPONSE, REFRESH_RESPONSE, ReauthenticationSerializer
{%- endif %}

CREDENTIALS = inline_serializer(
    "Credentials",
    {"username": serializers.CharField(trim_whitespace=False), "password": PasswordField()},
)
{%- if mandatory %}
# The right password is refused (403) until the account's address is confirmed.
LOGIN_ERRORS = openapi.with_refusal(transport.REQUEST_ERRORS, 403, EmailNotVerified.default_detail)
{%- endif %}


@method_decorator(never_cache, name="dispatch")
@extend_schema(
    request=CREDENTIALS,
    parameters=transport.LOG_IN_PARAMETERS,
    responses={
        200: {{ "LOGIN_OR_CHALLENGE" if cookiecutter.mfa else "LOGIN_RESPONSE" }},
        401: UNAUTHENTICATED,
        **{{ "LOGIN_ERRORS" if mandatory else "transport.REQUEST_ERRORS" }},
    },
)
class LoginView(views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token.{% if cookiecutter.mfa %}

    A user with MFA on gets the second step's challenge instead (mfa/challenges.py).
    {% endif %}"""
{%- if cookiecutter.throttling %}

    throttle_scope = "login"
{%- endif %}

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=transport.login_request_data(request))
        serializer.is_valid(raise_exception=True)
{%- if mandatory %}
        require_verified_email(serializer.user)
{%- endif %}
{%- if cookiecutter.mfa %}
        if needs_second_step(serializer.user):
            # No session yet: the second step (mfa/views.py) opens it.
            return challenge(serializer.user)
{%- endif %}
        return transport.log_in(request, serializer.user, events.LOGIN_SUCCESS)


@method_decorator(never_cache, name="dispatch")
@extend_schema(
    request=transport.REFRESH_REQUEST,
    parameters=[*transport.REQUEST_PARAMETERS, *transport.REFRESH_COOKIES],
    responses={200: REFRESH_RESPONSE, 401: UNAUTHENTICATED, **transport.REQUEST_ERRORS},
)
class RefreshView(views.TokenRefreshView):
    """Exchange a refresh token for a new access token (and, when rotating, a new refresh)."""
{%- if cookiecutter.throttling %}

    throttle_scope = "refresh"
{%- endif %}

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=transport.refresh_request_data(request))
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from error
        return transport.answer_with_tokens(request, serializer.validated_data)


@extend_schema(
    responses={
        200: OpenApiResponse({"type": "object", "maxProperties": 0}, "The token is valid."),
        401: UNAUTHENTICATED,
    },
)
class VerifyView(views.TokenVerifyView):
    """Answer 200 if the token is valid and neither it nor its session is revoked, 401 if not."""


@extend_schema(
    request=transport.REFRESH_REQUEST,
    parameters=[*transport.REQUEST_PARAMETERS, *transport.SIGN_OUT_COOKIES],
    responses={204: None, **transport.SIGN_OUT_ERRORS},
)
class LogoutView(views.TokenBlacklistView):
    """End the session of the refresh token the request carries; its tokens are refused."""

    def post(self, request, *args, **kwargs):
        return transport.sign_out(request)


@method_decorator(never_cache, name="dispatch")
{%- if cookiecutter.mfa and not cookiecutter.throttling %}
# Wrong codes are limited even without rate limits (mfa/limits.py).
@extend_schema(
    parameters=[*transport.SIGN_IN_COOKIES, RETRY_AFTER],
    responses={200: LOGIN_RESPONSE, 429: THROTTLED},
)
{%- else %}
@extend_schema(parameters=transport.SIGN_IN_COOKIES, responses={200: LOGIN_RESPONSE})
{%- endif %}
class ReauthenticateView(generics.GenericAPIView):
    """Prove the password again: fresh tokens for this session, with a new ``auth_time``.
{%- if cookiecutter.passkeys %}

    A passkey's credential may stand in for the password.
{%- endif %}
{%- if cookiecutter.mfa %}

    With MFA on, a code of a second factor too (``code``){% if cookiecutter.passkeys %}, unless a passkey proved it{% endif %}.
{%- endif %}

    Sensitive changes (jwt_auth/permissions.py) need a recent one.
    """

    serializer_class = {% if cookiecutter.mfa %}MFAReauthenticationSerializer{% else %}ReauthenticationSerializer{% endif %}
{%- if cookiecutter.throttling %}
    throttle_scope = "login"
{%- endif %}

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = transport.sign_in(request, serializer.user, renewing=request.auth)
        record(events.REAUTHENTICATE_SUCCESS, request, user=serializer.user)
        return response
