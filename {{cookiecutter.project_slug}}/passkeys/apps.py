from django.apps import AppConfig


class PasskeysConfig(AppConfig):
    name = "passkeys"
    verbose_name = "Passkeys"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
