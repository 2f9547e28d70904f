from django.apps import AppConfig


class SecurityEventsConfig(AppConfig):
    name = "security_events"
    verbose_name = "Security events"

    def ready(self):
        from . import receivers  # noqa: F401  (records logins and new users: signal receivers)
