from django.apps import AppConfig


class MFAConfig(AppConfig):
    name = "mfa"
    verbose_name = "Multi-factor sign-in"

    def ready(self):
        from . import admin  # noqa: F401  the admin's login asks for the second factor
