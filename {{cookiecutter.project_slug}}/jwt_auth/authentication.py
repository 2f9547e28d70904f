"""simplejwt's header authentication, with the project's revocation rule."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication

from .tokens import active_user


class JWTAuthentication(authentication.JWTAuthentication):
    """Authenticate with ``Authorization: Bearer <access>``; verify applies the same rule."""

    def get_user(self, validated_token):
        return active_user(validated_token)


class JWTScheme(SimpleJWTScheme):
    target_class = JWTAuthentication
