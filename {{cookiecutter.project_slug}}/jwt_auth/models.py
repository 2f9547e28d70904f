import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class LoginSessionQuerySet(models.QuerySet):
    def finished(self):
        """Sessions no token can use any more: ended, or past the last token they issued.

        A deleted session counts as ended, so its tokens stay refused.
        """
        lasts = settings.JWT_SESSION_LIFETIME + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
        return self.filter(
            models.Q(ended_at__isnull=False) | models.Q(started_at__lt=timezone.now() - lasts)
        )


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

    objects = LoginSessionQuerySet.as_manager()

    def __str__(self):
        return f"{self.user} since {self.started_at:%Y-%m-%d %H:%M}"
