from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class SecurityEventQuerySet(models.QuerySet):
    def older_than(self, days):
        return self.filter(time__lt=timezone.now() - timedelta(days=days))


class SecurityEvent(models.Model):
    """One security event, as its JSON line tells it, kept for the user it concerns.

    Written only by ``security_events.recorder.record``; read by the user at
    /api/auth/events/ and by staff in the admin; deleted after
    SECURITY_EVENT_RETENTION_DAYS by ``manage.py flushsecurityevents``.
    """

    # A deleted user's events stay, nameless, for the operator until they expire.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
        db_index=False,  # the index below starts with the user
    )
    event = models.CharField(max_length=64)
    time = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.CharField("IP address", max_length=64, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    session = models.CharField(max_length=64, blank=True, help_text="The session's id (sid).")
    request_id = models.CharField(max_length=128, blank=True)
    outcome = models.CharField(max_length=16)
    reason = models.CharField(max_length=64, blank=True)
    username = models.CharField(
        max_length=150, blank=True, help_text="The username a failed attempt typed."
    )

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ("-time", "-pk")
        indexes = [models.Index(fields=["user", "-time"], name="security_event_user_time")]

    def __str__(self):
        return f"{self.event} at {self.time:%Y-%m-%d %H:%M:%S}"
