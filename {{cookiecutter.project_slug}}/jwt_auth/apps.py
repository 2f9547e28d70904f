from django.apps import AppConfig


class JwtAuthConfig(AppConfig):
    name = "jwt_auth"
    verbose_name = "JWT authentication"

    def ready(self):
        from rest_framework_simplejwt import state
        from rest_framework_simplejwt.settings import api_settings

        from . import checks  # noqa: F401  (registers the system checks)
        from .keys import KeySetTokenBackend, current_key_set

        # simplejwt builds every token with state.token_backend: make it this
        # project's, so each token, whatever view or serializer makes it, names its key.
        state.token_backend = KeySetTokenBackend(
            api_settings.ALGORITHM,
            audience=api_settings.AUDIENCE,
            issuer=api_settings.ISSUER,
            leeway=api_settings.LEEWAY,
            json_encoder=api_settings.JSON_ENCODER,
        )
        current_key_set()  # a key set that cannot be read stops the start, by name
