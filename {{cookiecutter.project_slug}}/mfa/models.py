"""What a second factor keeps: authenticators, recovery codes and sign-ins halfway through."""

from django.conf import settings
from django.db import models


class TOTPDevice(models.Model):
    """An authenticator app's shared secret (RFC 6238), pending until a code confirms it.

    ``last_step`` is the time step of the last code accepted: a code of that
    step or an earlier one is refused, so each code works once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_devices"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "TOTP authenticator"

    def __str__(self):
        state = "on" if self.confirmed_at else "pending"
        return f"TOTP authenticator of {self.user} ({state})"


class RecoveryCode(models.Model):
    """One recovery code, stored as its SHA-256 digest; ``used_at`` once it has signed in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="mfa_recovery_code_once")
        ]

    def __str__(self):
        return f"Recovery code of {self.user}"


class MFAChallenge(models.Model):
    """A sign-in whose password was right and whose second factor is still due.

    The client holds the ``mfa_token``; only its SHA-256 digest is kept here.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_challenges"
    )
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "MFA challenge"

    def __str__(self):
        return f"Second step of a sign-in of {self.user}"
