"""The account's serializers, with addresses that prove themselves, and the link's own."""

from django.contrib.auth import get_user_model
{%- if cookiecutter.user_registration %}
from django.db import IntegrityError
{%- endif %}
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import serializers as accounts
from accounts.emails import user_of
from accounts.fields import StringsOnlyMixin

from . import addresses

User = get_user_model()
EMAIL_LENGTH = User._meta.get_field("email").max_length


class UserSerializer(accounts.UserSerializer):
    """The user, and what is proved of their address; a new address waits for its link.

    A new address is not refused when it is taken: the answer would tell
    who has an account. It stays pending, and its owner is told instead.
    """

    email = serializers.EmailField(max_length=EMAIL_LENGTH)
    email_verified = serializers.SerializerMethodField()
    pending_email = serializers.SerializerMethodField()

    class Meta(accounts.UserSerializer.Meta):
        fields = (*accounts.UserSerializer.Meta.fields, "email_verified", "pending_email")

    pending = None  # the address this request asked for, once saved

    @extend_schema_field(serializers.BooleanField())
    def get_email_verified(self, user):
        return addresses.state_of(user).verified

    @extend_schema_field(
        serializers.EmailField(allow_null=True, help_text="The new address awaiting its link.")
    )
    def get_pending_email(self, user):
        return addresses.state_of(user).pending_email or None

    def validate_email(self, email):
        return email

    def update(self, user, validated_data):
        email = validated_data.pop("email", None)
        if email is not None and email.casefold() == user.email.casefold():
            validated_data["email"] = email  # the same address, perhaps written another way
            addresses.cancel_change(user)
        elif email is not None:
            self.pending = email
        user = super().update(user, validated_data)
        if self.pending:
            addresses.request_change(self.context["request"], user, self.pending)
        return user


class PendingEmailSerializer(serializers.Serializer):
    pending_email = serializers.EmailField(
        help_text="Changed once the link sent to this address is followed."
    )
{%- if cookiecutter.user_registration %}


class RegistrationSerializer(accounts.RegistrationSerializer):
    """Registration with an address to prove: a link goes to it.

    An address that has an account gets the same answer as a free one; no
    account is made, and the owner is told someone tried.
    """

    email = serializers.EmailField(max_length=EMAIL_LENGTH)

    class Meta(accounts.RegistrationSerializer.Meta):
        fields = ("username", "email", "password")

    def validate_email(self, email):
        return email

    def create(self, validated_data):
        if addresses.owner_of(validated_data["email"]) is None:
            try:
                user = super().create(validated_data)
            except IntegrityError:  # another registration took the address meanwhile
                pass
            else:
                addresses.registered(user)
                return user
        return addresses.registration_refused(self.context["request"], **validated_data)

    def taken_fields(self, data):
        """Only the username: a taken address is answered as a free one."""
        taken = super().taken_fields(data)
        taken.pop("email", None)
        return taken
{%- endif %}


class EmailVerificationSerializer(StringsOnlyMixin, serializers.Serializer):
    """The uid and token of a verification link."""

    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=64)

    default_error_messages = {
        "invalid_link": _("The link is invalid, expired or already used."),
    }

    def validate(self, attrs):
        user = user_of(attrs["uid"])  # locked until the address is saved
        claim = user and addresses.claim_of(user, attrs["token"])
        if not claim:
            self.invalid_link()
        return {**attrs, "claim": claim}

    def invalid_link(self):
        raise serializers.ValidationError(
            {"token": [self.error_messages["invalid_link"]]}, code="invalid_link"
        )

    def save(self):
        if not addresses.prove(self.context["request"], self.validated_data["claim"]):
            self.invalid_link()  # another account took the address since the link went out


class ResendSerializer(StringsOnlyMixin, serializers.Serializer):
    email = serializers.EmailField(max_length=EMAIL_LENGTH)

    def save(self):
        addresses.resend(self.validated_data["email"])
