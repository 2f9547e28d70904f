from django.contrib.auth import get_user_model
{%- if cookiecutter.user_registration %}
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
{%- endif %}
from rest_framework import serializers


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ("id", "username", "email", "first_name", "last_name")
        read_only_fields = ("id", "username")
{%- if cookiecutter.user_registration %}


class RegistrationSerializer(serializers.ModelSerializer):
    """Create a user; Django's password validators decide what is strong enough."""

    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    class Meta:
        model = get_user_model()
        fields = ("id", "username", "email", "password")

    def validate(self, attrs):
        candidate = self.Meta.model(username=attrs["username"], email=attrs.get("email", ""))
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs

    def create(self, validated_data):
        return self.Meta.model.objects.create_user(**validated_data)
{%- endif %}
