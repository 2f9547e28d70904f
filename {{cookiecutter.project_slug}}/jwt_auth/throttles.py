"""Rate limits that a botnet or an IPv6 host cannot spread out.

- An IPv6 client is counted by its network (a /64 unless
  ``THROTTLE_IPV6_PREFIX`` says otherwise): one host owns every address in
  it. An IPv4 client is counted by its address.
- Failed logins are counted per account as well, from every address
  together. The account is the username as submitted, so an unknown name
  is limited exactly like a real one and the 429 tells nothing apart.
- The admin's login form counts against the same limits as the API's.
"""

import functools
import hashlib
import ipaddress
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import JsonResponse
from rest_framework import throttling
from rest_framework.settings import api_settings


class ClientNetworkMixin:
    """Count an IPv6 client by its network, an IPv4 client by its address."""

    def get_ident(self, request):
        ident = super().get_ident(request)
        try:
            address = ipaddress.ip_address(ident)
        except ValueError:
            return ident
        if address.version == 4:
            return ident
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network((address, settings.THROTTLE_IPV6_PREFIX), strict=False))


class AnonRateThrottle(ClientNetworkMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientNetworkMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientNetworkMixin, throttling.ScopedRateThrottle):
    pass


class LoginRateThrottle(AnonRateThrottle):
    """The "login" scope, counted per client in the same cache key as the API's."""

    scope = "login"


def account_key(username):
    """One key per account: the username as usernames are compared (NFKC, any case)."""
    name = get_user_model().normalize_username(username).casefold()
    return hashlib.sha256(name.encode()).hexdigest()


def submitted_username(request):
    """The username a login request names (DRF's parsed body, or the admin's form)."""
    data = request.data if hasattr(request, "data") else request.POST
    username = data.get(get_user_model().USERNAME_FIELD) if isinstance(data, dict) else None
    return username if isinstance(username, str) else None


class FailedLoginThrottle(throttling.SimpleRateThrottle):
    """Refuse an account's logins once it has had too many failed ones.

    Checking counts nothing; ``count_failed_login`` records each failure.
    The "login_account" rate is None when ``THROTTLE_LOGIN_ACCOUNT_RATE`` is
    empty, which turns the limit off.
    """

    scope = "login_account"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        username = submitted_username(request)
        return None if username is None else self.key_for(username)

    def key_for(self, username):
        return self.cache_format % {"scope": self.scope, "ident": account_key(username)}

    def wait(self):
        """Until enough failures have aged out of the window for one more attempt."""
        return self.duration - (self.now - self.history[self.num_requests - 1])

    def throttle_success(self):
        return True

    def record_failure(self, username):
        if self.rate is None:
            return
        self.key = self.key_for(username)
        self.now = self.timer()
        self.history = [
            moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration
        ]
        super().throttle_success()


@receiver(user_login_failed)
def count_failed_login(sender, credentials, **kwargs):
    """Count a failure of Django's authenticate(), whether the API or the admin called it."""
    username = credentials.get(get_user_model().USERNAME_FIELD)
    if isinstance(username, str):
        FailedLoginThrottle().record_failure(username)


def throttle_admin_login(login_view):
    """Refuse admin login attempts over the login limits, so the form is no side door."""

    @functools.wraps(login_view)
    def throttled_login(request, *args, **kwargs):
        if request.method == "POST":
            throttles = [LoginRateThrottle(), FailedLoginThrottle()]
            waits = [
                throttle.wait()
                for throttle in throttles
                if not throttle.allow_request(request, None)
            ]
            if waits:
                return JsonResponse(
                    {"detail": "Too many login attempts.", "code": "throttled"},
                    status=429,
                    headers={"Retry-After": str(math.ceil(max(wait or 1 for wait in waits)))},
                )
        return login_view(request, *args, **kwargs)

    return throttled_login
