from django.contrib.auth import get_user_model
{%- if cookiecutter.user_registration %}
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
{%- endif %}
from rest_framework import serializers

User = get_user_model()
TAKEN_EMAIL = "A user with that email already exists."
{%- if cookiecutter.user_registration %}
TAKEN_USERNAME = "A user with that username already exists."
{%- endif %}


class UniqueEmailMixin:
    """An email belongs to one account, whatever its case (blank belongs to none)."""

    def validate_email(self, email):
        others = User.objects.with_email(email)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if email and others.exists():
            raise serializers.ValidationError(TAKEN_EMAIL, code="unique")
        return email


class UserSerializer(UniqueEmailMixin, serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "email", "first_name", "last_name")
        read_only_fields = ("id", "username")
{%- if cookiecutter.user_registration %}


class UsernameField(serializers.CharField):
    """A username as Django stores it (NFKC-normalised), before anything checks it."""

    def to_internal_value(self, data):
        return User.normalize_username(super().to_internal_value(data))


class RegistrationSerializer(UniqueEmailMixin, serializers.ModelSerializer):
    """Create a user; Django's password validators decide what is strong enough.

    A username or email taken in any case is a 400, even when another
    registration takes it at the same moment: the database decides then.
    """

    username = UsernameField(
        max_length=User._meta.get_field("username").max_length,
        validators=User._meta.get_field("username").validators,
    )
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

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
