"""simplejwt's authentication, at close to stateless speed, with sessions that end.

A token's signature is checked once per process (tokens.AccessToken); its
user and session come from what this process learned within
JWT_REVOCATION_LAG_SECONDS (revocation.py). A request with a known token
then touches neither the database nor the signature code. Refresh and
verify apply the same rule, asking the database at once.
"""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication

from . import revocation


class JWTAuthentication(authentication.JWTAuthentication):
    """Authenticate with ``Authorization: Bearer <access token>``."""

    def get_user(self, validated_token):
        return revocation.check_token(validated_token)


class JWTScheme(SimpleJWTScheme):
    """Describe this authentication in the OpenAPI schema as simplejwt's own: a bearer JWT."""

    target_class = JWTAuthentication
