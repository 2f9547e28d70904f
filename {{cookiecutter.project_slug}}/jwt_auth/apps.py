from django.apps import AppConfig


class JwtAuthConfig(AppConfig):
    name = "jwt_auth"
    verbose_name = "JWT authentication"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
