"""What the MFA endpoints read and answer, with the login's answer that may now be a challenge."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers

from accounts.fields import StringsOnlyMixin
from jwt_auth.serializers import (
    ReauthenticationSerializer,
{%- if cookiecutter.token_storage != "header" %}
    TokenExpirySerializer,
{%- endif %}
{%- if cookiecutter.token_storage != "cookie" %}
    TokenPairSerializer,
{%- endif %}
)

{%- if cookiecutter.passkeys %}
from passkeys.ceremonies import verify_assertion
from passkeys.serializers import CredentialField
{%- endif %}

from . import challenges, factors


class CodeField(serializers.CharField):
    """A TOTP code ("123 456" as apps show it) or a recovery code; spaces and dashes ignored."""

    default_error_messages = {
        "malformed": _(
            "Enter the 6-digit code of your authenticator app, or one of your recovery codes."
        )
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", "A 6-digit TOTP code, or a recovery code.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = factors.normalized(super().to_internal_value(data))
        if not factors.looks_like_a_code(code):
            self.fail("malformed")
        return code


class TOTPCodeSerializer(StringsOnlyMixin, serializers.Serializer):
    code = CodeField(help_text="The 6-digit code the authenticator app shows now.")

    default_error_messages = {
        "no_pending": _("No authenticator is waiting: start with POST /api/auth/mfa/totp/."),
        "wrong_code": _("The code is not correct."),
    }

    def validate(self, attrs):
        user = self.context["request"].user
        self.device = factors.pending_device(user)
        if self.device is None:
            self.fail("no_pending")
        if not factors.check_pending_code(user, self.device, attrs["code"]):
            raise serializers.ValidationError({"code": [self.error_messages["wrong_code"]]})
        return attrs


class MFAVerifySerializer(StringsOnlyMixin, serializers.Serializer):
    """The second step: the login's ``mfa_token`` and a code{% if cookiecutter.passkeys %} or a passkey's answer{% endif %}."""

    mfa_token = serializers.CharField(max_length=128, write_only=True)
{%- if cookiecutter.passkeys %}
    code = CodeField(write_only=True, required=False)
    credential = CredentialField(
        write_only=True,
        required=False,
        help_text="In place of a code: one of the user's passkeys answering the options of "
        "/api/auth/passkeys/login/options/.",
    )
{%- else %}
    code = CodeField(write_only=True)
{%- endif %}

    default_error_messages = {
        "bad_token": _("This sign-in is not valid, is over or has expired: sign in again."),
        "wrong_code": _("The code is not correct."),
{%- if cookiecutter.passkeys %}
        "one_factor": _("Send either a code or a passkey's credential."),
{%- endif %}
    }

    def validate(self, attrs):
{%- if cookiecutter.passkeys %}
        if ("code" in attrs) == ("credential" in attrs):
            self.fail("one_factor")
{%- endif %}
        challenge = challenges.pending(attrs["mfa_token"])
        if challenge is None:
            raise serializers.ValidationError({"mfa_token": [self.error_messages["bad_token"]]})
        request = self.context["request"]
{%- if cookiecutter.passkeys %}
        if "credential" in attrs:
            # Only this user's passkeys count; a refusal is a JSON 400 naming its rule.
            verify_assertion(request, attrs["credential"], user=challenge.user)
        elif factors.prove(request, challenge.user, attrs["code"], challenge=challenge) is None:
            raise serializers.ValidationError({"code": [self.error_messages["wrong_code"]]})
{%- else %}
        if factors.prove(request, challenge.user, attrs["code"], challenge=challenge) is None:
            raise serializers.ValidationError({"code": [self.error_messages["wrong_code"]]})
{%- endif %}
        if not challenges.complete(challenge):
            raise serializers.ValidationError({"mfa_token": [self.error_messages["bad_token"]]})
        self.user = challenge.user
        return attrs


class MFAReauthenticationSerializer(ReauthenticationSerializer):
    """The password again and, when MFA is on, a code of a second factor as well."""

    code = CodeField(required=False, write_only=True)

    default_error_messages = {
        "code_required": _("MFA is on: send a TOTP or recovery code in code as well."),
        "wrong_code": _("The code is not correct."),
    }

    def validate(self, attrs):
        attrs = super().validate(attrs)
{%- if cookiecutter.passkeys %}
        if "credential" in attrs:  # a passkey with user verification is two factors
            return attrs
{%- endif %}
        if not factors.has_mfa(self.user):
            return attrs
        if "code" not in attrs:
            raise serializers.ValidationError({"code": [self.error_messages["code_required"]]})
        if factors.prove(self.context["request"], self.user, attrs["code"]) is None:
            raise serializers.ValidationError({"code": [self.error_messages["wrong_code"]]})
        return attrs


class MFAStatusSerializer(serializers.Serializer):
    totp = serializers.BooleanField(help_text="Whether an authenticator app is on.")
    recovery_codes_left = serializers.IntegerField(min_value=0)
{%- if cookiecutter.passkeys %}
    passkeys = serializers.IntegerField(
        min_value=0, help_text="Passkeys registered: each can be the second step too."
    )
{%- endif %}


class TOTPEnrolmentSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The shared secret, base32, for typing by hand.")
    otpauth_uri = serializers.CharField(help_text="otpauth://totp/... for the app.")
    qr_svg = serializers.CharField(help_text="The URI as a QR code, an SVG element.")


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(),
        min_length=factors.RECOVERY_CODES,
        max_length=factors.RECOVERY_CODES,
        help_text="Shown this once; each works once.",
    )


class MFAChallengeSerializer(serializers.Serializer):
    """Login's answer when the password was right and a second factor is due: no tokens yet."""

    mfa_required = serializers.BooleanField()
    mfa_token = serializers.CharField(help_text="For POST /api/auth/mfa/verify/ within 5 minutes.")
    methods = serializers.ListField(
{%- if cookiecutter.passkeys %}
        child=serializers.ChoiceField(
            choices=[factors.TOTP, factors.RECOVERY_CODE, factors.PASSKEY]
        )
{%- else %}
        child=serializers.ChoiceField(choices=[factors.TOTP, factors.RECOVERY_CODE])
{%- endif %}
    )


LOGIN_OR_CHALLENGE = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="LoginOrMFAChallenge",
        serializers=[
{%- if cookiecutter.token_storage != "cookie" %}
            TokenPairSerializer,
{%- endif %}
{%- if cookiecutter.token_storage != "header" %}
            TokenExpirySerializer,
{%- endif %}
            MFAChallengeSerializer,
        ],
        resource_type_field_name=None,
    ),
    "Login's tokens; or, for a user with MFA on, the second step's mfa_token and no tokens.",
)
