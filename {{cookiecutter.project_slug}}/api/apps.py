from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API conventions"
{%- if cookiecutter.throttling %}

    def ready(self):
        from . import throttles  # noqa: F401  (counts failed logins: a signal receiver)
{%- endif %}
