from django.conf import settings
from django.db import models
from django.utils import timezone


class Passkey(models.Model):
    """A WebAuthn credential: the public half of a key the user's authenticator keeps."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    # The credential's id, base64url-encoded as the browser's JSON carries it.
    credential_id = models.CharField(max_length=1366, unique=True)
    # The COSE public key, as the authenticator gave it (py_webauthn decodes it).
    public_key = models.BinaryField()
    # The authenticator's signature counter: it only goes up, unless cloned.
    sign_count = models.PositiveBigIntegerField(default=0)
    # How the browser may reach the authenticator: "internal,hybrid" (a JSONField
    # would make the system checks open the database).
    transports = models.CharField(max_length=128, blank=True)
    name = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created", "id")

    def __str__(self):
        return f"{self.name} ({self.user})"

    @property
    def transport_names(self):
        return [name for name in self.transports.split(",") if name]


class ChallengeQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(expires__lte=timezone.now())


class Challenge(models.Model):
    """A challenge handed out with a ceremony's options: it works once, until it expires.

    A row in the database, not the cache: every worker sees it, whatever the
    cache, and deleting it is the one atomic step that uses it up.
    """

    class Purpose(models.TextChoices):
        REGISTRATION = "registration"
        AUTHENTICATION = "authentication"

    # The challenge, base64url-encoded as the client data carries it.
    challenge = models.CharField(max_length=128, unique=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # Registration challenges belong to the user who asked; sign-in ones to nobody yet.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    expires = models.DateTimeField(db_index=True)

    objects = ChallengeQuerySet.as_manager()

    def __str__(self):
        return f"{self.purpose} challenge until {self.expires:%H:%M:%S}"
