"""Rate limits that hold under a burst, and the login limit on the admin's form too.

DRF's throttles read a client's request history from the cache and write it
back, so requests that arrive together all read the same history and all
pass. These count with one atomic increment in the cache instead, in fixed
windows of the rate's period: of any number of simultaneous requests,
exactly as many as the rate allows get through.
"""

import functools
import math

from django.http import JsonResponse
from rest_framework import throttling


class AtomicCountMixin:
    """Count each request with the cache's atomic increment, per client and window."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window = int(self.timer() // self.duration)
        self.window_ends = (window + 1) * self.duration
        return self.count(f"{self.key}:{window}") <= self.num_requests

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


class AnonRateThrottle(AtomicCountMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(AtomicCountMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(AtomicCountMixin, throttling.ScopedRateThrottle):
    def allow_request(self, request, view):
        # As DRF's: the view's throttle_scope picks the rate. Then the atomic count.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class LoginRateThrottle(AnonRateThrottle):
    """The "login" scope, counted per client address in the same cache key as the API's."""

    scope = "login"


def throttle_admin_login(login_view):
    """Refuse admin login attempts over the login rate, so the form is no side door."""

    @functools.wraps(login_view)
    def throttled_login(request, *args, **kwargs):
        throttle = LoginRateThrottle()
        if request.method == "POST" and not throttle.allow_request(request, None):
            return JsonResponse(
                {"detail": "Too many login attempts.", "code": "throttled"},
                status=429,
                headers={"Retry-After": str(math.ceil(throttle.wait()))},
            )
        return login_view(request, *args, **kwargs)

    return throttled_login
