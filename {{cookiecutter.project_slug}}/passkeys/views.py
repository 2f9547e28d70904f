"""The passkey endpoints: options out, the browser's answers in.

Registering and removing a passkey changes how the account signs in, so
both need a recent sign-in (jwt_auth/permissions.py). Signing in with a
passkey answers exactly as a password login does, through the transport.
"""

from django.contrib.auth.models import update_last_login
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.settings import api_settings

from api import openapi
from jwt_auth import transport
from jwt_auth.permissions import SIGNED_IN_RECENTLY, RecentAuthentication
from jwt_auth.serializers import LOGIN_RESPONSE
from security_events import events

from . import ceremonies
from .models import Passkey
from .refusals import REFUSALS
from .serializers import (
    AssertionSerializer,
    PasskeyCreatedSerializer,
    PasskeyRegistrationSerializer,
    PasskeySerializer,
)

CREATION_OPTIONS = OpenApiResponse(
    {
        "type": "object",
        "required": ["rp", "user", "challenge", "pubKeyCredParams"],
        "additionalProperties": True,
    },
    "PublicKeyCredentialCreationOptions as JSON: give it to "
    "PublicKeyCredential.parseCreationOptionsFromJSON(), then navigator.credentials.create().",
)
REQUEST_OPTIONS = OpenApiResponse(
    {"type": "object", "required": ["challenge", "rpId"], "additionalProperties": True},
    "PublicKeyCredentialRequestOptions as JSON: give it to "
    "PublicKeyCredential.parseRequestOptionsFromJSON(), then navigator.credentials.get().",
)
NOT_YOURS = openapi.error("None of your passkeys has this id.")
# A malformed credential is a field error; a refused one names its rule in ``code``.
REFUSED = OpenApiResponse(
    openapi.BAD_REQUEST.response,
    "A field is missing or malformed (each with its messages), or the passkey was refused; "
    f"``code`` says why: {', '.join(REFUSALS)}.",
)


@extend_schema(request=None, responses={200: CREATION_OPTIONS})
class RegistrationOptionsView(APIView):
    """Creation options for a new passkey: a discoverable credential, the user verified."""

    permission_classes = SIGNED_IN_RECENTLY

    def post(self, request):
        return Response(ceremonies.registration_options(request.user))


@extend_schema(responses={201: PasskeyCreatedSerializer, 400: REFUSED})
class RegistrationView(generics.GenericAPIView):
    """Register the passkey the browser created from the options, under a name."""

    serializer_class = PasskeyRegistrationSerializer
    permission_classes = SIGNED_IN_RECENTLY

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        passkey = serializer.save()
        return Response(PasskeyCreatedSerializer(passkey).data, status=status.HTTP_201_CREATED)


class PasskeyListView(generics.ListAPIView):
    """The signed-in user's passkeys."""

    serializer_class = PasskeySerializer

    def get_queryset(self):
        return Passkey.objects.filter(user=self.request.user)


@extend_schema_view(
    patch=extend_schema(responses={200: PasskeySerializer, 404: NOT_YOURS}),
    delete=extend_schema(responses={204: None, 404: NOT_YOURS}),
)
class PasskeyDetailView(generics.UpdateAPIView, generics.DestroyAPIView):
    """Rename one of the user's passkeys, or remove it (that needs a recent sign-in).

    Another user's passkey is a 404, as one that does not exist.
    """

    serializer_class = PasskeySerializer
    http_method_names = ("patch", "delete")
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return Passkey.objects.filter(user=self.request.user)

    def get_permissions(self):
        if getattr(self, "request", None) is not None and self.request.method == "DELETE":
            return [*super().get_permissions(), RecentAuthentication()]
        return super().get_permissions()

    def perform_destroy(self, instance):
        ceremonies.remove_passkey(self.request, instance)


@extend_schema(request=None, responses={200: REQUEST_OPTIONS})
class LoginOptionsView(APIView):
    """Request options for signing in with any passkey of this site, the user verified."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def post(self, request):
        return Response(ceremonies.authentication_options())


@method_decorator(never_cache, name="dispatch")
@extend_schema(
    parameters=transport.LOG_IN_PARAMETERS,
    responses={200: LOGIN_RESPONSE, 400: REFUSED, **transport.REQUEST_ERRORS},
)
class LoginView(generics.GenericAPIView):
    """Sign in with a passkey alone: the answer of a password login, session and all.

    A passkey whose authenticator verified the user is two factors in itself.
    """

    serializer_class = AssertionSerializer
    authentication_classes = ()
    permission_classes = (AllowAny,)
{%- if cookiecutter.throttling %}
    throttle_scope = "login"
{%- endif %}

    def post(self, request):
        serializer = self.get_serializer(data=transport.login_request_data(request))
        serializer.is_valid(raise_exception=True)
        if api_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, serializer.user)
        return transport.log_in(request, serializer.user, events.PASSKEY_LOGIN)
