from django.db import transaction
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from jwt_auth import transport
from jwt_auth.permissions import RecentAuthentication
from jwt_auth.serializers import LOGIN_RESPONSE
from security_events import events
from security_events.recorder import record

from .models import User
from .serializers import (
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
{%- if cookiecutter.user_registration %}
    RegistrationSerializer,
{%- endif %}
    UserSerializer,
)

DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


class MeView(generics.RetrieveUpdateAPIView):
    """Show or update the user the request is authenticated as.

    A new email address needs a recent sign-in: password reset trusts it.
    """

    queryset = User.objects.all()
    serializer_class = UserSerializer
    permission_classes = (*api_settings.DEFAULT_PERMISSION_CLASSES, RecentAuthentication)
    reauthentication_fields = frozenset({"email"})

    def get_object(self):
        # request.user may be as old as the revocation lag: use the row as it is now.
        return self.get_queryset().get(pk=self.request.user.pk)
{%- if cookiecutter.user_registration %}


class RegistrationView(generics.CreateAPIView):
    """Create an account. It does not log in: call the token endpoint next."""

    serializer_class = RegistrationSerializer
    permission_classes = (AllowAny,)
    authentication_classes = ()
{%- if cookiecutter.throttling %}
    throttle_scope = "register"
{%- endif %}
{%- endif %}


@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(generics.GenericAPIView):
    """Change the password: every other session ends, this one gets fresh tokens.

    Tokens carry a hash of the password hash, so the new password makes every
    token issued before it a 401; the answer carries a pair made after it.
    """

    serializer_class = PasswordChangeSerializer
{%- if cookiecutter.throttling %}
    throttle_scope = "password_change"
{%- endif %}

    @extend_schema(responses=LOGIN_RESPONSE)
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        record(events.PASSWORD_CHANGE, request, user=user)
        # A new session, as a login opens: its tokens carry the new password's fingerprint.
        return transport.sign_in(request, user)


class PasswordResetView(generics.GenericAPIView):
    """Email a reset link to the account with this address, if there is one.

    The answer is the same, and as quick, whether or not there is.
    """

    serializer_class = PasswordResetSerializer
    permission_classes = (AllowAny,)
    authentication_classes = ()
{%- if cookiecutter.throttling %}
    throttle_scope = "password_reset"
{%- endif %}

    @extend_schema(responses={202: DETAIL})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        detail = "If an account has this email address, a reset link is on its way to it."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(generics.GenericAPIView):
    """Set a new password with the uid and token of a reset link; every session ends."""

    serializer_class = PasswordResetConfirmSerializer
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(responses={204: None})
    @transaction.atomic
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        record(events.PASSWORD_RESET, request, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
