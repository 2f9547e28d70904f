"""The OpenAPI description: drf-spectacular's, plus every error a view really answers with.

A view's own classes say which errors it can give: a request body a 400
(and a 415 when it is not JSON),
required authentication a 401,
{%- if cookiecutter.token_storage != "header" %} an unsafe request that a cookie may
authenticate a 403 (the CSRF check),
{%- endif %} a throttle a 429 with ``Retry-After``. A view
adds the errors only it knows of (a wrong password is a 401) in its
``extend_schema``. tests/test_openapi.py checks all of it against real answers.
"""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers
{%- if cookiecutter.token_storage != "header" %}
from rest_framework.permissions import SAFE_METHODS

from jwt_auth.cookies import JWTCookieAuthentication
{%- endif %}


class ErrorSerializer(serializers.Serializer):
    """An error with one message; simplejwt adds ``messages`` for an invalid token."""

    detail = serializers.CharField()
    code = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """A validation error: each field (or ``non_field_errors``) with its messages."""


class FieldErrorsExtension(OpenApiSerializerExtension):
    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


BAD_REQUEST = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="BadRequest",
        serializers=[ErrorSerializer, FieldErrorsSerializer],
        resource_type_field_name=None,
    ),
    description="The body is not JSON, or fields are missing or wrong (each with its messages).",
)
UNAUTHENTICATED = error("No valid credentials (missing, expired, revoked or malformed).")
UNSUPPORTED_MEDIA_TYPE = error("The body is not sent as application/json.")
{%- if cookiecutter.token_storage != "header" %}
CSRF_FAILED = error("The CSRF check failed: X-CSRFToken is missing or wrong.")
{%- endif %}
THROTTLED = error("Too many requests: wait the seconds Retry-After says.")
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    required=True,
    description="Seconds to wait before the next request.",
)

{%- if cookiecutter.token_storage != "header" %}
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
{%- endif %}


def set_cookie(*statuses, description):
    """The Set-Cookie header of the answers with ``statuses``, saying which cookies it sets."""
    return OpenApiParameter(
        "Set-Cookie",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=list(statuses),
        description=description,
    )


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, with the error responses added to each operation."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
{%- if cookiecutter.token_storage != "header" %}
        if self.csrf_checked():
            parameters = [*parameters, CSRF_TOKEN]
{%- endif %}
        if self.view.get_throttles():
            parameters = [*parameters, RETRY_AFTER]
        return parameters
{%- if cookiecutter.token_storage != "header" %}

    def csrf_checked(self):
        """Whether a cookie may authenticate this operation, or carry its token: CSRF is checked."""
        cookie_authenticated = any(
            isinstance(authenticator, JWTCookieAuthentication)
            for authenticator in self.view.get_authenticators()
        )
        carries_tokens = getattr(self.view, "csrf_checked", False)
        return self.method not in SAFE_METHODS and (cookie_authenticated or carries_tokens)
{%- endif %}

    def _get_response_bodies(self, direction="response"):
        # drf-spectacular builds the success response here; the errors go beside it.
        responses = super()._get_response_bodies(direction)
        for status, response in self.errors().items():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    response, str(status), direction=direction
                )
        return responses

    def errors(self):
        """The errors this operation can answer with, as the view's classes say."""
        errors = {}
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            errors[400] = BAD_REQUEST
            errors[415] = UNSUPPORTED_MEDIA_TYPE
        security = self.get_auth()
        if security and {} not in security:
            errors[401] = UNAUTHENTICATED
{%- if cookiecutter.token_storage != "header" %}
        if self.csrf_checked():
            errors[403] = CSRF_FAILED
{%- endif %}
        if self.view.get_throttles():
            errors[429] = THROTTLED
        return errors
