from django.apps import AppConfig


class JwtAuthConfig(AppConfig):
    name = "jwt_auth"
    verbose_name = "JWT sessions"

    def ready(self):
        from . import admin_sessions, signals  # noqa: F401 (their receivers)
