{%- set verification = cookiecutter.email_verification != "none" -%}
from django.db import transaction
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema{% if verification %}, extend_schema_view{% endif %}
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.deferred import after_the_answer
from api.openapi import DETAIL
{% if cookiecutter.throttling %}from api.throttles import PasswordResetAddressThrottle
{% endif %}{% if verification %}from email_verification import serializers as verification
{% endif %}from jwt_auth import transport
from jwt_auth.permissions import SIGNED_IN_RECENTLY
from jwt_auth.serializers import LOGIN_RESPONSE
from security_events import events
from security_events.recorder import record

from . import notices
from .models import User
from .serializers import (
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
{%- if cookiecutter.user_registration and not verification %}
    RegistrationSerializer,
{%- endif %}
{%- if not verification %}
    UserSerializer,
{%- endif %}
)
{%- if verification %}

# A new address is pending (202) until the link sent to it is followed.
ME_UPDATED = extend_schema(
    responses={200: verification.UserSerializer, 202: verification.PendingEmailSerializer}
)
{%- endif %}


{% if verification -%}
@extend_schema_view(put=ME_UPDATED, patch=ME_UPDATED)
{% endif -%}
class MeView(generics.RetrieveUpdateAPIView):
    """Show or update the user the request is authenticated as.

    A new email address needs a recent sign-in: password reset trusts it.
{%- if verification %}
    It takes the old one's place once the link sent to it is followed
    (email_verification/); until then the answer is a 202 naming it.
{%- endif %}
    """

    queryset = User.objects.all()
    serializer_class = {{ "verification.UserSerializer" if verification else "UserSerializer" }}
    permission_classes = SIGNED_IN_RECENTLY
    reauthentication_fields = frozenset({"email"})

    def get_object(self):
        # request.user may be as old as the revocation lag: use the row as it is now.
        return self.get_queryset().get(pk=self.request.user.pk)
{%- if verification %}

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        if serializer.pending:
            return Response({"pending_email": serializer.pending}, status.HTTP_202_ACCEPTED)
        return Response(serializer.data)
{%- else %}

    def perform_update(self, serializer):
        old_email = serializer.instance.email
        user = serializer.save()
        if old_email and user.email.casefold() != old_email.casefold():
            record(events.EMAIL_CHANGE, self.request, user=user)
            notices.email_changed(self.request, user, old_email)
{%- endif %}
{%- if cookiecutter.user_registration %}


class RegistrationView(generics.CreateAPIView):
    """Create an account. It does not log in: call the token endpoint next."""

    serializer_class = {{ "verification.RegistrationSerializer" if verification else "RegistrationSerializer" }}
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

    @extend_schema(parameters=transport.SIGN_IN_COOKIES, responses=LOGIN_RESPONSE)
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        record(events.PASSWORD_CHANGE, request, user=user)
        notices.password_changed(request, user)
        # A new session, as a login opens: its tokens carry the new password's fingerprint.
        return transport.sign_in(request, user)


class PasswordResetView(generics.GenericAPIView):
    """Email a reset link to the account with this address, if there is one.

    The answer is the same, in the same time, whether or not there is, and
    whether or not the address is over its own limit of reset emails.
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
        detail = "If an account has this email address, a reset link is on its way to it."
        response = Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)
        # Everything that depends on the address (looking for its account, the
        # link, the email) waits until the answer has gone out.
{%- if cookiecutter.throttling %}
        if PasswordResetAddressThrottle().allow_address(serializer.validated_data["email"]):
            after_the_answer(response, serializer.save)
{%- else %}
        after_the_answer(response, serializer.save)
{%- endif %}
        return response


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
        notices.password_reset(request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)
