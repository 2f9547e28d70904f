import uuid

from django.conf import settings
from django.db import models


class LoginSession(models.Model):
    """One login. Every token it issues carries its id, the ``sid`` claim, until it ends.

    Logout ends it. Its tokens are then refused, access tokens included,
    within JWT_REVOCATION_LAG_SECONDS.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} since {self.started_at:%Y-%m-%d %H:%M}"
