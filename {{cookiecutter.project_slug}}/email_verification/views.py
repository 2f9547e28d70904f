"""Follow a verification link; ask for a new one."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.deferred import after_the_answer
from api.openapi import DETAIL
{%- if cookiecutter.throttling %}
from api.throttles import EmailAddressThrottle
{%- endif %}

from .serializers import EmailVerificationSerializer, ResendSerializer

RESEND_DETAIL = (
    "If an account waits for this address to be confirmed, a new link is on its way to it."
)


class EmailVerificationView(generics.GenericAPIView):
    """Prove an address with the uid and token of the link sent to it.

    At registration the account's address becomes verified; for a change,
    the new address becomes the account's.
    """

    serializer_class = EmailVerificationSerializer
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(responses={204: None})
    @transaction.atomic
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResendView(generics.GenericAPIView):
    """Send a new link to this address, if an account waits for it to be confirmed.

    The answer is the same, and as quick, whether or not one does.
    """

    serializer_class = ResendSerializer
    permission_classes = (AllowAny,)
    authentication_classes = ()
{%- if cookiecutter.throttling %}
    throttle_scope = "email_verify"

    def get_throttles(self):
        # Per client (the scope), and per address, from every client together.
        return [*super().get_throttles(), EmailAddressThrottle()]
{%- endif %}

    @extend_schema(responses={202: DETAIL})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Looking for the address's account, and the link, wait until the answer has gone out.
        response = Response({"detail": RESEND_DETAIL}, status=status.HTTP_202_ACCEPTED)
        return after_the_answer(response, serializer.save)
