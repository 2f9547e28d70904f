import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class EndReason(models.TextChoices):
    """Why a session ended: each ending names one (revocation.end_sessions)."""

    LOGOUT = "logout", "Logged out"
    ENDED_BY_USER = "ended_by_user", "Ended by its user"
    PASSWORD_CHANGE = "password_change", "Password changed"
    DEACTIVATION = "deactivation", "User deactivated"
    IDLE = "idle", "Idle too long"
    REUSE = "reuse", "Refresh token replayed"
    SESSION_LIMIT = "session_limit", "Too many sessions"


class LoginSessionQuerySet(models.QuerySet):
    def open(self):
        """Sessions whose tokens still work: not ended, not idle, not past their absolute end."""
        now = timezone.now()
        return self.filter(
            ended_at__isnull=True,
            started_at__gt=now - settings.JWT_SESSION_LIFETIME,
            last_used__gt=now - settings.JWT_SESSION_IDLE,
        )

    def idle(self):
        """Open sessions nobody refreshed for JWT_SESSION_IDLE_MINUTES."""
        return self.filter(
            ended_at__isnull=True, last_used__lte=timezone.now() - settings.JWT_SESSION_IDLE
        )

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

    Its user sees it, with where it signed in from, at /api/auth/sessions/.
    When it ends (revocation.end_sessions) its tokens are refused, access
    tokens included, within JWT_REVOCATION_LAG_SECONDS.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    # Login and refresh set it, never an ordinary request: no write per request.
    last_used = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, choices=EndReason.choices, blank=True)

    objects = LoginSessionQuerySet.as_manager()

    def __str__(self):
        return f"{self.user} since {self.started_at:%Y-%m-%d %H:%M}"
