"""Tokens in HttpOnly cookies: the thin layer simplejwt leaves to projects.

The transport (transport.py) puts the tokens in cookies that JavaScript
cannot read. Authentication reads the access cookie and, as
Django does for sessions, demands a CSRF token on every unsafe request that
a cookie authenticates. Login, refresh and logout are CSRF-checked too,
although no user is logged in yet, so that no other site can log a browser
in, refresh it or log it out.
"""

import posixpath

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.authentication import SessionAuthentication
from rest_framework_simplejwt.utils import datetime_from_epoch

from .authentication import JWTAuthentication
from .tokens import UntypedToken

# Prefixed in production (settings.py): __Host-access_token, __Secure-refresh_token.
ACCESS_COOKIE = settings.JWT_ACCESS_COOKIE
REFRESH_COOKIE = settings.JWT_REFRESH_COOKIE
CSRF_FAILED = "The CSRF check failed: X-CSRFToken is missing or wrong."
CSRF_TOKEN = OpenApiParameter(
    "X-CSRFToken",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
{%- if cookiecutter.token_storage == "both" %}
    description="The CSRF token (GET /api/auth/csrf/): required when a cookie authenticates "
    "the request or carries a token; on login, refresh and logout it also asks for cookies.",
{%- else %}
    description="The CSRF token (GET /api/auth/csrf/), required whenever a cookie authenticates "
    "the request or carries a token.",
{%- endif %}
)


def refresh_cookie_path():
    """The narrowest path under which both refresh and logout receive the cookie."""
    return posixpath.commonpath([reverse("token_refresh"), reverse("logout")]) + "/"


def cookie_options():
    return {
        "httponly": True,
        "secure": settings.JWT_COOKIE_SECURE,
        "samesite": settings.JWT_COOKIE_SAMESITE,
        "domain": settings.JWT_COOKIE_DOMAIN,
    }


def set_token_cookie(response, name, token, path):
    """Set a cookie that lives exactly as long as its token; return when that is.

    The token says: a rotated refresh token keeps the end of its session.
    """
    expires = UntypedToken(token, verify=False)["exp"]
    max_age = max(expires - int(timezone.now().timestamp()), 0)
    response.set_cookie(name, token, max_age=max_age, path=path, **cookie_options())
    return datetime_from_epoch(expires)


def set_token_cookies(response, access=None, refresh=None):
    """Put the tokens in cookies; return when each expires."""
    expiry = {}
    if access:
        expiry["access_expires"] = set_token_cookie(response, ACCESS_COOKIE, access, "/")
    if refresh:
        expiry["refresh_expires"] = set_token_cookie(
            response, REFRESH_COOKIE, refresh, refresh_cookie_path()
        )
    return expiry


def delete_token_cookies(response):
    options = cookie_options()
    response.delete_cookie(
        ACCESS_COOKIE, path="/", domain=options["domain"], samesite=options["samesite"]
    )
    response.delete_cookie(
        REFRESH_COOKIE,
        path=refresh_cookie_path(),
        domain=options["domain"],
        samesite=options["samesite"],
    )


def enforce_csrf(request):
    """Refuse the request unless it passes Django's CSRF check, as DRF's sessions do."""
    SessionAuthentication().enforce_csrf(request)


class JWTCookieAuthentication(JWTAuthentication):
    """Authenticate with the access token in the access cookie, under CSRF protection."""

    # api/openapi.py describes this refusal on every unsafe operation.
    unsafe_request_errors = {403: CSRF_FAILED}
    unsafe_request_parameters = (CSRF_TOKEN,)

    def authenticate(self, request):
        raw_token = request.COOKIES.get(ACCESS_COOKIE)
        if raw_token is None:
            return None
        validated_token = self.get_validated_token(raw_token)
        enforce_csrf(request)
        return self.get_user(validated_token), validated_token


class JWTCookieScheme(OpenApiAuthenticationExtension):
    target_class = JWTCookieAuthentication
    name = "jwtCookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": ACCESS_COOKIE}
