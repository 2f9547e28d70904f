from django.apps import AppConfig


class JwtAuthConfig(AppConfig):
    name = "jwt_auth"
    verbose_name = "JWT sessions"
