from django.conf import settings
from django.core.management.base import BaseCommand

from security_events.models import SecurityEvent


class Command(BaseCommand):
    help = (
        "Delete the security events older than SECURITY_EVENT_RETENTION_DAYS. "
        "Run it daily, beside flushexpiredtokens and flushexpiredsessions."
    )

    def handle(self, *args, **options):
        days = settings.SECURITY_EVENT_RETENTION_DAYS
        deleted, _ = SecurityEvent.objects.older_than(days).delete()
        self.stdout.write(f"Deleted {deleted} security events older than {days} days.")
