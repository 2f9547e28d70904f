from django.apps import AppConfig


class MFAConfig(AppConfig):
    name = "mfa"
    verbose_name = "Multi-factor sign-in"

    def ready(self):
        # The admin's login asks for the second factor; the log and mail hear of changes.
        from . import admin, receivers  # noqa: F401
