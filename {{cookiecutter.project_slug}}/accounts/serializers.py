from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
{%- if cookiecutter.user_registration %}
from django.db import IntegrityError, transaction
{%- endif %}
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from security_events import events
from security_events.recorder import record

from .emails import send_password_reset_email, user_of
from .fields import PasswordField, StringsOnlyMixin
{%- if cookiecutter.user_registration %}
from .models import TAKEN_USERNAME
{%- endif %}

User = get_user_model()
TAKEN_EMAIL = "A user with that email already exists."


class UniqueEmailMixin:
    """An email belongs to one account, whatever its case (blank belongs to none)."""

    def validate_email(self, email):
        others = User.objects.with_email(email)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if email and others.exists():
            raise serializers.ValidationError(TAKEN_EMAIL, code="unique")
        return email


class UserSerializer(StringsOnlyMixin, UniqueEmailMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "email", "first_name", "last_name")
        read_only_fields = ("id", "username")
{%- if cookiecutter.user_registration %}


class UsernameField(serializers.CharField):
    """A username as Django stores it (NFKC-normalised), before anything checks it."""

    def to_internal_value(self, data):
        return User.normalize_username(super().to_internal_value(data))


class RegistrationSerializer(StringsOnlyMixin, UniqueEmailMixin, serializers.ModelSerializer):
    """Create a user; Django's password validators decide what is strong enough.

    A username or email taken in any case is a 400, even when another
    registration takes it at the same moment: the database decides then.
    """

    username = UsernameField(
        max_length=User._meta.get_field("username").max_length,
        validators=User._meta.get_field("username").validators,
    )
    password = PasswordField()

    class Meta:
        model = User
        fields = ("id", "username", "email", "password")

    def validate_username(self, username):
        if User.objects.with_username(username).exists():
            raise serializers.ValidationError(TAKEN_USERNAME, code="unique")
        return username

    def validate(self, attrs):
        candidate = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs

    def create(self, validated_data):
        try:
            with transaction.atomic():
                return User.objects.create_user(**validated_data)
        except IntegrityError:
            taken = self.taken_fields(validated_data)
            if not taken:
                raise
        raise serializers.ValidationError(taken)

    def taken_fields(self, data):
        """The unique fields another request took between validation and insert."""
        taken = {}
        if User.objects.with_username(data["username"]).exists():
            taken["username"] = [TAKEN_USERNAME]
        if data.get("email") and User.objects.with_email(data["email"]).exists():
            taken["email"] = [TAKEN_EMAIL]
        return taken
{%- endif %}


def check_new_password(password, user):
    """Django's password validators, their messages under ``new_password``."""
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise serializers.ValidationError({"new_password": list(error.messages)}) from error


def set_new_password(user, password):
    """Save a new password; every token issued before it is refused from now on."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


class PasswordChangeSerializer(StringsOnlyMixin, serializers.Serializer):
    """The signed-in user's current password, and the new one."""

    old_password = PasswordField()
    new_password = PasswordField()

    default_error_messages = {"wrong_password": _("The password is not correct.")}

    @cached_property
    def user(self):
        # request.user may be as old as the revocation lag: check the password as it is now.
        return User.objects.get(pk=self.context["request"].user.pk)

    def validate_old_password(self, value):
        if not self.user.check_password(value):
            record(
                events.PASSWORD_CHANGE_FAIL, self.context["request"], reason=events.BAD_CREDENTIALS
            )
            self.fail("wrong_password")
        return value

    def validate(self, attrs):
        check_new_password(attrs["new_password"], self.user)
        return attrs

    def save(self):
        return set_new_password(self.user, self.validated_data["new_password"])


class PasswordResetSerializer(StringsOnlyMixin, serializers.Serializer):
    """An email address; its account, if there is one, gets a reset link."""

    email = serializers.EmailField()

    def save(self):
        # Django's own choice of recipient: an active user with a usable
        # password whose email matches regardless of case (emails are unique).
        user = next(iter(PasswordResetForm().get_users(self.validated_data["email"])), None)
        # Handed over even when there is none: the link and the message are
        # made in the background, so no step here differs by much either way.
        send_password_reset_email(user)
        # Recorded either way: the row says whether the address has an account, the answer never.
        request = self.context.get("request")
        if user is None:
            record(
                events.PASSWORD_RESET_REQUEST,
                request,
                outcome=events.FAILURE,
                reason=events.UNKNOWN_USER,
            )
        else:
            record(events.PASSWORD_RESET_REQUEST, request, user=user)


class PasswordResetConfirmSerializer(StringsOnlyMixin, serializers.Serializer):
    """The uid and token of a reset link, and the new password."""

    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = PasswordField()

    default_error_messages = {
        "invalid_link": _("The reset link is invalid, expired or already used."),
    }

    def validate(self, attrs):
        user = user_of(attrs["uid"])  # locked until the password is saved
        if user is None or not default_token_generator.check_token(user, attrs["token"]):
            raise serializers.ValidationError(
                {"token": [self.error_messages["invalid_link"]]}, code="invalid_link"
            )
        check_new_password(attrs["new_password"], user)
        return {**attrs, "user": user}

    def save(self):
        return set_new_password(self.validated_data["user"], self.validated_data["new_password"])
