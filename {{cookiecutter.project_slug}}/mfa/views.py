"""The MFA endpoints: see and change one's second factors, and the second step of a login.

Turning a factor on or off and new recovery codes need a recent sign-in
(jwt_auth/permissions.py); the second step needs the login's ``mfa_token``.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.openapi import BAD_REQUEST, RETRY_AFTER, THROTTLED
from jwt_auth import transport
from jwt_auth.permissions import SIGNED_IN_RECENTLY
from jwt_auth.serializers import LOGIN_RESPONSE
from security_events import events

from . import factors
from .serializers import (
    MFAStatusSerializer,
    MFAVerifySerializer,
    RecoveryCodesSerializer,
    TOTPCodeSerializer,
    TOTPEnrolmentSerializer,
)

# Wrong codes are limited whatever the project's other rate limits (limits.py).
WRONG_CODES_LIMITED = {429: THROTTLED}


class MFAStatusView(generics.GenericAPIView):
    """Which second factors are on, and how many recovery codes are left."""

    serializer_class = MFAStatusSerializer

    def get(self, request):
        user = request.user
        return Response(
            {
                "totp": factors.has_mfa(user),
                "recovery_codes_left": factors.recovery_codes_left(user),
{%- if cookiecutter.passkeys %}
                "passkeys": user.passkeys.count(),
{%- endif %}
            }
        )


@method_decorator(never_cache, name="dispatch")
class TOTPView(generics.GenericAPIView):
    """Start an authenticator (POST), or turn MFA off (DELETE)."""

    permission_classes = SIGNED_IN_RECENTLY

    @extend_schema(request=None, responses={201: TOTPEnrolmentSerializer})
    def post(self, request):
        """A new authenticator, not on until a code confirms it; a pending one is replaced."""
        device = factors.start_totp(request.user)
        return Response(factors.provisioning(device), status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def delete(self, request):
        """MFA off: the authenticator and every recovery code are gone."""
        factors.turn_off(request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(never_cache, name="dispatch")
class TOTPConfirmView(generics.GenericAPIView):
    """Confirm the pending authenticator with its code: MFA is on; here are the recovery codes."""

    permission_classes = SIGNED_IN_RECENTLY
    serializer_class = TOTPCodeSerializer

    @extend_schema(
        responses={200: RecoveryCodesSerializer, **WRONG_CODES_LIMITED}, parameters=[RETRY_AFTER]
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        codes = factors.confirm_totp(request, request.user, serializer.device)
        return Response({"recovery_codes": codes})


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(generics.GenericAPIView):
    """A new set of recovery codes; the old set stops working."""

    permission_classes = SIGNED_IN_RECENTLY

    @extend_schema(
        request=None,
        responses={
            200: RecoveryCodesSerializer,
            400: OpenApiResponse(BAD_REQUEST.response, "MFA is off: there is nothing to recover."),
        },
    )
    def post(self, request):
        if not factors.has_mfa(request.user):
            return Response(
                {"non_field_errors": ["MFA is off: turn on an authenticator first."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"recovery_codes": factors.renew_recovery_codes(request, request.user)})


@method_decorator(never_cache, name="dispatch")
class MFAVerifyView(generics.GenericAPIView):
    """The second step of a login: its ``mfa_token`` and a code open the session.

    The answer is a login's, in the same transport{% if cookiecutter.token_storage != "header" %} and under the same CSRF rules{% endif %}.
    """

    serializer_class = MFAVerifySerializer
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        responses={200: LOGIN_RESPONSE, **transport.REQUEST_ERRORS, **WRONG_CODES_LIMITED},
        parameters=[*transport.LOG_IN_PARAMETERS, RETRY_AFTER],
    )
    def post(self, request):
        serializer = self.get_serializer(data=transport.login_request_data(request))
        serializer.is_valid(raise_exception=True)
        return transport.log_in(request, serializer.user, events.LOGIN_SUCCESS)
