from django.conf import settings
from django.db import models


class EmailVerification(models.Model):
    """What is proved of a user's email address, and the new address that awaits proof.

    A user without a row counts as verified with nothing pending: users made
    with ``createsuperuser`` or in the admin. Only registration through the
    API writes ``verified=False``; an address change writes ``pending_email``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_verification",
    )
    verified = models.BooleanField(default=True)
    pending_email = models.EmailField(blank=True)

    def __str__(self):
        return f"{self.user}: {'verified' if self.verified else 'unverified'}"
