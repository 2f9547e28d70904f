"""The OpenAPI description: drf-spectacular's, plus every error a view really answers with.

A view's own classes say which errors it can give: a request body a 400
(and a 415 when it is not JSON), required authentication a 401, its
authenticators and permissions what they refuse an unsafe request with
(their ``unsafe_request_errors``, each a 403:
{% if cookiecutter.token_storage != "header" %}the cookie's CSRF check, {% endif %}a recent sign-in) and the headers it
needs (their ``unsafe_request_parameters``), a throttle a 429 with
``Retry-After``. A view
adds the errors only it knows of (a wrong password is a 401) in its
``extend_schema``. tests/test_openapi.py checks all of it against real answers.
"""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


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
{%- if cookiecutter.email_verification == "mandatory" %}


def with_refusal(errors, status, text):
    """``errors`` with one more reason to answer ``status``, joined to any already there."""
    reasons = [errors[status].description, str(text)] if status in errors else [str(text)]
    return {**errors, status: error(" Or: ".join(reasons))}
{%- endif %}


BAD_REQUEST = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="BadRequest",
        serializers=[ErrorSerializer, FieldErrorsSerializer],
        resource_type_field_name=None,
    ),
    description="The body is not JSON, or fields are missing or wrong (each with its messages).",
)
# An answer that is a sentence for people: what happens next (a mail, say).
DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})
UNAUTHENTICATED = error("No valid credentials (missing, expired, revoked or malformed).")
UNSUPPORTED_MEDIA_TYPE = error("The body is not sent as application/json.")
THROTTLED = error("Too many requests: wait the seconds Retry-After says.")
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    required=True,
    description="Seconds to wait before the next request.",
)


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
        if self.method not in SAFE_METHODS:
            parameters = [*parameters, *self.unsafe_request_parameters()]
        if self.view.get_throttles():
            parameters = [*parameters, RETRY_AFTER]
        return parameters

    def unsafe_request_parameters(self):
        """The headers the view's authenticators and permissions read on an unsafe request.

        Each declares them in ``unsafe_request_parameters`` (the CSRF token).
        """
        return [
            parameter
            for guard in (*self.view.get_authenticators(), *self.view.get_permissions())
            for parameter in getattr(guard, "unsafe_request_parameters", ())
        ]

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
        if self.method not in SAFE_METHODS:
            errors.update(self.unsafe_request_errors())
        if self.view.get_throttles():
            errors[429] = THROTTLED
        return errors

    def unsafe_request_errors(self):
        """What the view's authenticators and permissions refuse an unsafe request with.

        Each declares its refusals in ``unsafe_request_errors`` (a CSRF check, a
        recent sign-in); two under one status are described together.
        """
        texts = {}
        for guard in (*self.view.get_authenticators(), *self.view.get_permissions()):
            for status, text in getattr(guard, "unsafe_request_errors", {}).items():
                texts.setdefault(status, []).append(text)
        return {status: error(" Or: ".join(reasons)) for status, reasons in texts.items()}
