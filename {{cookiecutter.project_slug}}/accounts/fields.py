"""Input fields that read what the OpenAPI description says, and nothing else.

DRF's CharField turns a number into text and trims surrounding whitespace.
Either is wrong for this API: the description says "string", so a JSON
number is a 400 naming its field; and a password is exactly what was typed,
so "  my pass  " never signs in as "my pass".
"""

from collections.abc import Mapping

from rest_framework import serializers


class StringsOnlyMixin:
    """Refuse a value that is not a string for any of the serializer's string fields."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {
                name: [serializers.CharField.default_error_messages["invalid"]]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and not field.read_only
                and data.get(name) is not None
                and not isinstance(data[name], str)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class PasswordField(serializers.CharField):
    """A password, exactly as typed: never trimmed, never returned."""

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(write_only=True, trim_whitespace=False, **kwargs)
