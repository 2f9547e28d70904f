"""The API login's rate limit, applied to the admin's login form as well."""

import functools
import math

from django.http import JsonResponse
from rest_framework.throttling import AnonRateThrottle


class LoginRateThrottle(AnonRateThrottle):
    """The "login" scope, counted per client address in the same cache key as the API's."""

    scope = "login"


def throttle_admin_login(login_view):
    """Refuse admin login attempts over the login rate, so the form is no side door."""

    @functools.wraps(login_view)
    def throttled_login(request, *args, **kwargs):
        throttle = LoginRateThrottle()
        if request.method == "POST" and not throttle.allow_request(request, None):
            wait = math.ceil(throttle.wait() or 1)
            return JsonResponse(
                {"detail": "Too many login attempts.", "code": "throttled"},
                status=429,
                headers={"Retry-After": str(wait)},
            )
        return login_view(request, *args, **kwargs)

    return throttled_login
