from django.apps import AppConfig


class EmailVerificationConfig(AppConfig):
    name = "email_verification"
    verbose_name = "Email verification"
