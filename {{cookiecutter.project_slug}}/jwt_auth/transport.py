{%- set cookies = cookiecutter.token_storage != "header" -%}
{%- set body = cookiecutter.token_storage != "cookie" -%}
{%- set both = cookiecutter.token_storage == "both" -%}
{%- if both -%}
"""How tokens travel: in JSON bodies, or in HttpOnly cookies for a browser.

One rule decides which (``uses_cookies``): a request that carries
X-CSRFToken uses the cookies, as a browser app does, and any other the body.
Every view that hands out tokens answers through ``answer_with_tokens``;
every view that signs someone in (login, a new password) through
``sign_in``, which opens the session. No view knows the transport.
"""
{%- elif cookies -%}
"""How tokens travel: in HttpOnly cookies, never in a body JavaScript can read.

Every view that hands out tokens answers through ``answer_with_tokens``;
every view that signs someone in (login, a new password) through
``sign_in``, which opens the session. No view knows the transport. Login,
refresh and logout set or clear the cookies, so each passes the CSRF check
first, although nobody is signed in yet.
"""
{%- else -%}
"""How tokens travel: in JSON bodies; clients send the access token in the header.

Every view that hands out tokens answers through ``answer_with_tokens``;
every view that signs someone in (login, a new password) through
``sign_in``, which opens the session. No view knows the transport.
"""
{%- endif %}
{%- if cookies %}

from contextlib import suppress
{%- endif %}

{% if both %}from django.conf import settings
{% endif %}from django.db import transaction
{% if body and not both %}from drf_spectacular.utils import inline_serializer
{% endif %}from rest_framework import {% if cookies %}exceptions, {% endif %}{% if body %}serializers, {% endif %}status
from rest_framework.response import Response
{%- if body %}
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
{%- else %}
from rest_framework_simplejwt.exceptions import TokenError
{%- endif %}

{% if both %}from accounts.fields import StringsOnlyMixin
{% endif %}from api import openapi
{%- if cookiecutter.throttling %}
from api.devices import remember_device
{%- endif %}
from security_events.recorder import record

from . import revocation
{%- if cookies %}
from .cookies import (
    CSRF_FAILED,
    CSRF_TOKEN,
    REFRESH_COOKIE,
    delete_token_cookies,
    enforce_csrf,
    set_token_cookies,
)
{%- endif %}
{%- if body %}
from .serializers import TokenBlacklistSerializer
{%- endif %}
{%- if cookies %}
from .tokens import RefreshToken
{%- endif %}

{% if both %}
class RefreshRequestSerializer(StringsOnlyMixin, serializers.Serializer):
    """The body of refresh and logout, checked as described even when the cookie is read."""

    refresh = serializers.CharField(
        required=False, help_text="Required without X-CSRFToken; with it, the refresh cookie."
    )


REFRESH_REQUEST = RefreshRequestSerializer
{%- elif body -%}
REFRESH_REQUEST = inline_serializer("RefreshToken", {"refresh": serializers.CharField()})
{%- else -%}
REFRESH_REQUEST = None  # refresh and logout read the refresh cookie, not a body
{%- endif %}
# What the token endpoints may refuse a request with, besides their own errors,
# and the headers they read and set, for the OpenAPI description.
{%- if cookies %}
REQUEST_ERRORS = {403: openapi.error(CSRF_FAILED)}
REQUEST_PARAMETERS = [CSRF_TOKEN]
{%- else %}
REQUEST_ERRORS = {}
REQUEST_PARAMETERS = []
{%- endif %}
{%- if cookiecutter.throttling %}
DEVICE_COOKIE = "the device cookie, which keeps this client's own allowance of failed logins"
{%- endif %}
{%- if both %}
SIGN_IN_COOKIES = [
    openapi.set_cookie(
        200,
{%- if cookiecutter.throttling %}
        description="With X-CSRFToken, the access and refresh token cookies; always, "
        + DEVICE_COOKIE
        + ".",
{%- else %}
        description="With X-CSRFToken, the access and refresh token cookies.",
{%- endif %}
    )
]
REFRESH_COOKIES = [
    openapi.set_cookie(
        200,
        description="With X-CSRFToken, the new access cookie "
        "(and refresh cookie, when tokens rotate).",
    )
]
SIGN_OUT_COOKIES = [
    openapi.set_cookie(
        204, description="With X-CSRFToken, both token cookies, emptied and expired."
    )
]
{%- elif cookies %}
SIGN_IN_COOKIES = [
    openapi.set_cookie(
        200,
{%- if cookiecutter.throttling %}
        description="The access and refresh token cookies, and " + DEVICE_COOKIE + ".",
{%- else %}
        description="The access and refresh token cookies.",
{%- endif %}
    )
]
REFRESH_COOKIES = [
    openapi.set_cookie(
        200, description="The new access cookie (and refresh cookie, when tokens rotate)."
    )
]
SIGN_OUT_COOKIES = [openapi.set_cookie(204, description="Both token cookies, emptied and expired.")]
{%- else %}
{%- if cookiecutter.throttling %}
SIGN_IN_COOKIES = [
    openapi.set_cookie(
        200,
        description="The device cookie: sent back on later logins, it keeps this client's "
        "own allowance of failed logins.",
    )
]
{%- else %}
SIGN_IN_COOKIES = []
{%- endif %}
REFRESH_COOKIES = []
SIGN_OUT_COOKIES = []
{%- endif %}
# What every path that logs in (log_in) reads and sets, besides its own.
LOG_IN_PARAMETERS = [*REQUEST_PARAMETERS, *SIGN_IN_COOKIES]
{%- if body %}
# Logout refuses a refresh token that is not valid.
SIGN_OUT_ERRORS = {401: openapi.UNAUTHENTICATED, **REQUEST_ERRORS}
{%- else %}
SIGN_OUT_ERRORS = REQUEST_ERRORS  # any refresh cookie, valid or not, is cleared
{%- endif %}
{%- if both %}


def uses_cookies(request):
    """Whether a token endpoint answers with the token cookies or with tokens in the body.

    The one rule for login, refresh, logout and a new password: a browser
    using the cookies sends the CSRF token in X-CSRFToken, as they require; a
    client that keeps its tokens itself has no reason to.
    """
    return settings.CSRF_HEADER_NAME in request.META
{%- endif %}


def sign_in(request, user, *, renewing=None):
    """Open a session for ``user`` and answer with its first tokens.

    With ``renewing`` (the token of a user who proved a credential again), the
    answer holds fresh tokens of that token's session instead.
{%- if cookiecutter.throttling %}
    Either way the client proved it knows the account: its device cookie
    (api/devices.py) keeps it its own allowance of failed logins.
{%- endif %}
    """
    if renewing is None:
        refresh = revocation.open_session(user, request)
    else:
        refresh = revocation.renew_session(user, renewing)
    request.signed_in_session = refresh[revocation.SESSION_CLAIM]  # for its security event
    tokens = {"access": str(refresh.access_token), "refresh": str(refresh)}
{%- if cookiecutter.throttling %}
    response = answer_with_tokens(request, tokens)
    remember_device(request, response, user.get_username())
    return response
{%- else %}
    return answer_with_tokens(request, tokens)
{%- endif %}


def log_in(request, user, event):
    """A login's answer: ``user``'s new session, its tokens and ``event`` in one commit."""
    with transaction.atomic():
        response = sign_in(request, user)
        record(event, request, user=user)
    return response


def answer_with_tokens(request, tokens):
    """Answer with ``tokens`` (access, and refresh where there is one) in this transport."""
{%- if both %}
    if not uses_cookies(request):
        return Response(tokens)
{%- endif %}
{%- if cookies %}
    # The cookies hold the tokens; the body says only when they expire.
    response = Response()
    response.data = set_token_cookies(response, **tokens)
    return response
{%- else %}
    return Response(tokens)
{%- endif %}


def login_request_data(request):
    """What login reads: the body{% if both %}, CSRF-checked where the answer sets cookies{% elif cookies %}, once it passes the CSRF check{% endif %}."""
{%- if both %}
    if uses_cookies(request):
        enforce_csrf(request)
{%- elif cookies %}
    enforce_csrf(request)
{%- endif %}
    return request.data


def refresh_request_data(request):
    """What refresh reads: {% if both %}the refresh cookie for a browser, else the body{% elif cookies %}the refresh cookie, once the request passes the CSRF check{% else %}the body, with the refresh token{% endif %}."""
{%- if both %}
    if not uses_cookies(request):
        return request.data
{%- endif %}
{%- if both %}
    enforce_csrf(request)
    RefreshRequestSerializer(data=request.data).is_valid(raise_exception=True)
{%- elif cookies %}
    enforce_csrf(request)
{%- endif %}
{%- if cookies %}
    refresh = request.COOKIES.get(REFRESH_COOKIE)
    if not refresh:
        raise exceptions.NotAuthenticated("No refresh token cookie.")
    return {"refresh": refresh}
{%- else %}
    return request.data
{%- endif %}


def sign_out(request):
    """End the session of the request's refresh token; answer 204{% if cookies %}{% if both %} (a browser's cookies cleared){% else %} with the cookies cleared{% endif %}{% endif %}."""
{%- if both %}
    if uses_cookies(request):
        return sign_out_of_cookies(request)
{%- endif %}
{%- if body %}
    serializer = TokenBlacklistSerializer(data=request.data)
    try:
        serializer.is_valid(raise_exception=True)
    except TokenError as error:
        raise InvalidToken(error.args[0]) from error
    return Response(status=status.HTTP_204_NO_CONTENT)
{%- else %}
    return sign_out_of_cookies(request)
{%- endif %}
{%- if cookies %}


def sign_out_of_cookies(request):
    """Needs no valid token: a browser whose session expired can always clear its cookies."""
    enforce_csrf(request)
{%- if both %}
    RefreshRequestSerializer(data=request.data).is_valid(raise_exception=True)
{%- endif %}
    with suppress(TokenError):
        revocation.end_session(RefreshToken(request.COOKIES.get(REFRESH_COOKIE, "")))
    response = Response(status=status.HTTP_204_NO_CONTENT)
    delete_token_cookies(response)
    return response
{%- endif %}
