"""Rate limits that hold under a burst, and that a botnet or an IPv6 host cannot spread out.

- DRF's throttles read a client's request history from the cache and write
  it back, so requests that arrive together all read the same history and
  all pass. These count with one atomic increment in the cache instead, in
  fixed windows of the rate's period: of any number of simultaneous
  requests, exactly as many as the rate allows get through.
- An IPv6 client is counted by its network (a /64 unless
  ``THROTTLE_IPV6_PREFIX`` says otherwise): one host owns every address in
  it. An IPv4 client is counted by its address.
- Failed logins are counted per account as well, from every address
  together. The account is the username as submitted, so an unknown name
  is limited exactly like a real one and the 429 tells nothing apart.
- The admin's login form counts against the same limits as the API's.
- While the cache is down, a limit that guards a credential (login, failed
  logins per account, registration, password change and reset: every scope
  but those below) refuses with a 503: an outage must not open the door to
  guessing. The limits that only ration capacity (anonymous and per-user
  requests, refresh, whose token cannot be guessed) let requests through,
  with a warning in the log, so signed-in clients keep working.
"""

import functools
import hashlib
import ipaddress
import logging
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import Signal, receiver
from django.http import JsonResponse
from rest_framework import throttling
from rest_framework.settings import api_settings

from api.outages import CACHE_DOWN

logger = logging.getLogger(__name__)

# The scopes that let requests through while the cache is down.
OPEN_WHEN_CACHE_IS_DOWN = frozenset({"anon", "user", "refresh"})

# Sent when a login limit is reached (the security log records it as authn_login_lock):
# ``request``, ``limit`` ("address" or "account"), and for an account its ``username``.
login_locked = Signal()


class AtomicRateThrottle(throttling.SimpleRateThrottle):
    """Count each request with the cache's atomic increment, per client and window.

    DRF's throttles below come first in their classes' order, so their own
    set-up (a scoped throttle's rate) runs, then hands over to this count.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            count = self.count(self.window_key(self.key))
        except CACHE_DOWN as error:
            if self.scope not in OPEN_WHEN_CACHE_IS_DOWN:
                raise  # answered with a 503 (config/errors.py)
            logger.warning(
                "The %r rate limit is not applied: the cache is unavailable: %s", self.scope, error
            )
            return True
        if count == self.num_requests + 1 and self.scope == LoginRateThrottle.scope:
            # The window's first refusal: the client's logins are locked until it ends.
            login_locked.send(type(self), request=request, limit="address", username="")
        return count <= self.num_requests

    def window_key(self, key):
        """The counter of ``key`` in the current window of the rate's period."""
        window = int(self.timer() // self.duration)
        self.window_ends = (window + 1) * self.duration
        return f"{key}:{window}"

    def count(self, key):
        """Add one to the window's counter and return it; a new window starts at 0."""
        self.cache.add(key, 0, self.duration)
        try:
            return self.cache.incr(key)
        except ValueError:  # the counter expired between add and incr
            self.cache.add(key, 0, self.duration)
            return self.cache.incr(key)

    def wait(self):
        return max(self.window_ends - self.timer(), 1)


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


class AnonRateThrottle(ClientNetworkMixin, throttling.AnonRateThrottle, AtomicRateThrottle):
    pass


class UserRateThrottle(ClientNetworkMixin, throttling.UserRateThrottle, AtomicRateThrottle):
    pass


class ScopedRateThrottle(ClientNetworkMixin, throttling.ScopedRateThrottle, AtomicRateThrottle):
    pass


class LoginRateThrottle(AnonRateThrottle):
    """The "login" scope, counted per client in the same cache key as the API's."""

    scope = "login"


def account_key(username):
    """One key per account, whichever spelling of its name login matched.

    The database compares names as login does, so every spelling that logs in
    to an account counts against it; a name without an account counts apart.
    """
    user_model = get_user_model()
    user_id = user_model.objects.with_username(username).values_list("pk", flat=True).first()
    if user_id is None:
        ident = f"name:{user_model.normalize_username(username).casefold()}"
    else:
        ident = f"user:{user_id}"
    return hashlib.sha256(ident.encode()).hexdigest()


def submitted_username(request):
    """The username a login request names (DRF's parsed body, or the admin's form)."""
    data = request.data if hasattr(request, "data") else request.POST
    username = data.get(get_user_model().USERNAME_FIELD) if isinstance(data, dict) else None
    return username if isinstance(username, str) else None


class FailedLoginThrottle(AtomicRateThrottle):
    """Refuse an account's logins once it has had too many failed ones.

    Checking counts nothing; ``count_failed_login`` records each failure.
    The "login_account" rate is None when ``THROTTLE_LOGIN_ACCOUNT_RATE`` is
    empty, which turns the limit off.
    """

    scope = "login_account"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        username = submitted_username(request)
        if self.rate is None or username is None:
            return True
        return self.cache.get(self.failures_key(username), 0) < self.num_requests

    def failures_key(self, username):
        ident = account_key(username)
        return self.window_key(self.cache_format % {"scope": self.scope, "ident": ident})

    def record_failure(self, username, request=None):
        if self.rate is not None and self.count(self.failures_key(username)) == self.num_requests:
            # The failure that locks the account until the window ends.
            login_locked.send(type(self), request=request, limit="account", username=username)


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    """Count a failure of Django's authenticate(), whether the API or the admin called it."""
    username = credentials.get(get_user_model().USERNAME_FIELD)
    if isinstance(username, str):
        FailedLoginThrottle().record_failure(username, request)


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
                    headers={"Retry-After": str(math.ceil(max(waits)))},
                )
        return login_view(request, *args, **kwargs)

    return throttled_login
