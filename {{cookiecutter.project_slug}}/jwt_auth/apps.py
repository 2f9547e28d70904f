from django.apps import AppConfig


class JwtAuthConfig(AppConfig):
    name = "jwt_auth"
    verbose_name = "JWT authentication"

    def ready(self):
{%- if cookiecutter.throttling %}
        from . import checks, throttles  # noqa: F401  (registers the checks and the signal receiver)
{%- else %}
        from . import checks  # noqa: F401  (registers the system checks)
{%- endif %}
