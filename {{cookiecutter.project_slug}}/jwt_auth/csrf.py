"""The CSRF endpoint of the cookie transport: where an app on another origin gets the token."""

from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.openapi import set_cookie


class CsrfView(APIView):
    """Set the CSRF cookie and return its token, for the X-CSRFToken header.

    An app on another origin cannot read this API's cookies: it takes the
    token from this body.
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        parameters=[set_cookie(200, description="The CSRF cookie.")],
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()}),
    )
    def get(self, request):
        return Response({"csrf_token": get_token(request)})
