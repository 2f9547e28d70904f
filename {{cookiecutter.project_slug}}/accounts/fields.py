"""Input fields that read what the OpenAPI description says, and nothing else.

DRF's CharField turns a number into text and trims surrounding whitespace
before it checks the length. Both make the API accept what its description
refuses (a JSON number where it says "string", 151 characters where it says
150) and refuse what it allows (" " where it says one character or more).
Here a string is read exactly as sent; a password above all, so that
"  my pass  " never signs in as "my pass".
"""

from collections.abc import Mapping

from rest_framework import serializers


class StringsOnlyMixin:
    """Read the serializer's string fields exactly as sent: untrimmed, and strings only."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.CharField):
                field.trim_whitespace = False
        return fields

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
