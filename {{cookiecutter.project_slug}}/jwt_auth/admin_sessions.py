"""The admin's Django session ends as a token session does: when idle, and at its absolute end.

The idle limit is Django's own: SESSION_COOKIE_AGE is JWT_SESSION_IDLE_MINUTES
and SESSION_SAVE_EVERY_REQUEST moves the expiry on each request. Django has
no absolute limit, so a sign-in notes its moment in the session and the
middleware signs out a session older than JWT_SESSION_LIFETIME_DAYS.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in)
def note_sign_in_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


class AbsoluteSessionEndMiddleware:
    """Sign out a Django session signed in longer ago than JWT_SESSION_LIFETIME_DAYS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request with a session cookie reads the session: API answers stay Vary-free.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and self.too_old(request.session):
            logout(request)
        return self.get_response(request)

    def too_old(self, session):
        if SESSION_KEY not in session:
            return False
        signed_in_at = session.get(SIGNED_IN_AT, 0)
        return time.time() - signed_in_at > settings.JWT_SESSION_LIFETIME.total_seconds()
