"""The public keys that verify this API's tokens, published as a JWK Set (RFC 7517).

Other services fetch it to verify tokens themselves (PyJWT's PyJWKClient,
for one). It holds every key of the key set, the one that signs and those
that still verify after a rotation, each with its ``kid``, and never a
private member.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .keys import current_key_set, public_jwk

# Verifiers may cache the set this long; a retired key can outlive its
# retirement there by as much.
MAX_AGE_SECONDS = 600


def json_web_key_set():
    algorithm = settings.SIMPLE_JWT["ALGORITHM"]
    return {
        "keys": [
            {
                **public_jwk(algorithm, key.public),
                "kid": key.kid,
                "use": "sig",
                "alg": algorithm,
            }
            for key in current_key_set().keys
        ]
    }


class JSONWebKeySetView(APIView):
    """The JWK Set: public, cacheable, and free of rate limits, since other services poll it."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()

    @extend_schema(
        responses=inline_serializer(
            "JSONWebKeySet", {"keys": serializers.ListField(child=serializers.DictField())}
        )
    )
    def get(self, request):
        response = Response(json_web_key_set())
        patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
        return response
