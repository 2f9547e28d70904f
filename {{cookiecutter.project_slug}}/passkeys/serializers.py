from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import StringsOnlyMixin

from . import ceremonies
from .models import Passkey

# The browser's PublicKeyCredential as JSON (its toJSON()): py_webauthn reads it.
CREDENTIAL_SCHEMA = {
    "type": "object",
    "description": "The PublicKeyCredential the browser gave, as its toJSON() writes it.",
    "properties": {
        "id": {"type": "string"},
        "rawId": {"type": "string"},
        "type": {"type": "string", "enum": ["public-key"]},
        "response": {"type": "object", "additionalProperties": True},
        "authenticatorAttachment": {"type": "string"},
        "clientExtensionResults": {"type": "object", "additionalProperties": True},
    },
    "required": ["id", "rawId", "type", "response"],
    "additionalProperties": True,
}


@extend_schema_field(CREDENTIAL_SCHEMA)
class CredentialField(serializers.DictField):
    """A credential's JSON, checked as a JSON object here and by py_webauthn after."""


class PasskeySerializer(StringsOnlyMixin, serializers.ModelSerializer):
    transports = serializers.ListField(
        child=serializers.CharField(),
        source="transport_names",
        read_only=True,
        help_text="How the browser may reach the authenticator (internal, usb, hybrid, ...).",
    )

    class Meta:
        model = Passkey
        fields = ("id", "name", "created", "last_used", "transports")
        read_only_fields = ("id", "created", "last_used", "transports")


class PasskeyRegistrationSerializer(StringsOnlyMixin, serializers.Serializer):
    """A new passkey: the answer to the creation options, and a name for it."""

    credential = CredentialField(write_only=True)
    name = serializers.CharField(max_length=64)

    def create(self, validated_data):
        request = self.context["request"]
        return ceremonies.register_passkey(
            request, request.user, validated_data["credential"], validated_data["name"]
        )


class PasskeyCreatedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Passkey
        fields = ("id", "name", "created")


class AssertionSerializer(serializers.Serializer):
    """The answer to the request options: a passkey proving its user."""

    credential = CredentialField(write_only=True)

    def validate(self, attrs):
        request = self.context["request"]
        self.user = ceremonies.verify_assertion(request, attrs["credential"])
        return attrs
