{%- set cookies = cookiecutter.token_storage != "header" -%}
{%- set both = cookiecutter.token_storage == "both" -%}
from django.db import transaction
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

{% if cookies %}from config.openapi import set_cookie
from jwt_auth.cookies import set_token_cookies{% if both %}, uses_cookies{% endif %}
{% endif %}from jwt_auth.serializers import LOGIN_RESPONSE, TokenObtainPairSerializer
{%- if cookiecutter.throttling %}
from jwt_auth.throttles import PasswordResetAddressThrottle
{%- endif %}

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
    """Show or update the user the request is authenticated as."""

    queryset = User.objects.all()
    serializer_class = UserSerializer

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

    @extend_schema(
{%- if cookies %}
        parameters=[
            set_cookie(
                200,
{%- if both %}
                description="With X-CSRFToken, new access and refresh token cookies.",
{%- else %}
                description="New access and refresh token cookies.",
{%- endif %}
            )
        ],
{%- endif %}
        responses=LOGIN_RESPONSE,
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A new session, as a login opens: its tokens carry the new password's fingerprint.
        refresh = TokenObtainPairSerializer.get_token(serializer.save())
        tokens = {"access": str(refresh.access_token), "refresh": str(refresh)}
{%- if both %}
        # As at login: a browser using the cookies (it sends X-CSRFToken) gets them.
        if not uses_cookies(request):
            return Response(tokens)
{%- endif %}
{%- if cookies %}
        response = Response()
        response.data = set_token_cookies(response, **tokens)
        return response
{%- else %}
        return Response(tokens)
{%- endif %}


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
        # link, the email) waits until the answer has gone out: the server closes
        # the response then, and Django runs its closers.
{%- if cookiecutter.throttling %}
        if PasswordResetAddressThrottle().allows_email_to(serializer.validated_data["email"]):
            response._resource_closers.append(serializer.save)
{%- else %}
        response._resource_closers.append(serializer.save)
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
        serializer.save()
        return Response(status=status.HTTP_204_NO_CONTENT)
