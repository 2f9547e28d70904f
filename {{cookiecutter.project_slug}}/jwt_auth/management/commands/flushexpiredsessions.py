from django.core.management.base import BaseCommand

from jwt_auth.models import LoginSession


class Command(BaseCommand):
    help = (
        "Delete the sessions that have ended or outlived every token they issued. "
        "Run it daily, beside flushexpiredtokens."
    )

    def handle(self, *args, **options):
        deleted, _ = LoginSession.objects.finished().delete()
        self.stdout.write(f"Deleted {deleted} finished sessions.")
