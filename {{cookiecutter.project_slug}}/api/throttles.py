"""Rate limits that hold under a burst, and that a botnet or an IPv6 host cannot spread out.

- DRF's throttles read a client's request history from the cache and write
  it back, so requests that arrive together all read the same history and
  all pass. These count with one atomic increment in the cache instead, in
  fixed windows of the rate's period: of any number of simultaneous
  requests, exactly as many as the rate allows get through.
- An IPv6 client is counted by its network (a /64 unless
  ``THROTTLE_IPV6_PREFIX`` says otherwise): one host owns every address in
  it. An IPv4 client is counted by its address.
- Failed logins are counted per account as well: from every unknown
  client together, and apart for each client that has signed in to the
  account before (``FailedLoginThrottle``), so the owner is not locked out.
- The admin's login form counts against the same limits as the API's.
- Reset emails are counted per address too, from every client together.
{%- if cookiecutter.email_verification != "none" %}
- Mail to an address that has not proved it wants it (a verification link,
  a notice that someone tried to use it) is counted per address, from
  every client together, so the API cannot be made to flood an inbox.
{%- endif %}
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
from django.dispatch import Signal
from django.http import JsonResponse
from rest_framework import throttling
from rest_framework.settings import api_settings

from api.counters import decrement, increment
from api.outages import CACHE_DOWN

from .devices import account_hash, known_device, remember_device

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
                raise  # answered with a 503 (api/errors.py)
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
        """Add one to the window's counter and return it; a new window starts at 0.

        The counter outlives its window by a second: the database cache keeps
        expiry times in whole seconds. Each window has its own key, so a
        counter that outlives its window is never read again.
        """
        return increment(self.cache, key, self.duration + 1)

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


class FailedLoginThrottle(AtomicRateThrottle):
    """Failed logins per account: from unknown clients together, from each known client apart.

    OWASP's device cookies (devices.py): a login that presents a valid device
    cookie for its account counts under that device alone; every other login
    of the account counts under the account's one shared counter. Guessing
    from anywhere is held to the rate, and it cannot lock the owner out of a
    client they have signed in from before.

    An attempt takes its place in the counter before the password is checked,
    with the cache's atomic increment, so a burst gets no more checks than
    the rate allows; a successful login gives its place back. The account is
    the username's account key, so an unknown name is limited exactly like a
    real one and the 429 tells nothing apart. The "login_account" rate is
    None when ``THROTTLE_LOGIN_ACCOUNT_RATE`` is empty, which turns the limit off.
    """

    scope = "login_account"

    def __init__(self, request):
        super().__init__()
        self.request = request
        self.counter = None

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def attempt(self, username):
        """Count a login attempt as ``username``; False when the account is over its limit."""
        if self.rate is None:
            return True
        account = account_hash(username)
        device = known_device(self.request, account)
        ident = account if device is None else f"{account}:{device}"
        self.counter = self.window_key(self.cache_format % {"scope": self.scope, "ident": ident})
        count = self.count(self.counter)
        if count == self.num_requests + 1:  # the window's first refusal locks the account
            login_locked.send(type(self), request=self.request, limit="account", username=username)
        return count <= self.num_requests

    def succeeded(self):
        """The attempt logged in: it was no failure, so it gives its place back."""
        if self.counter is not None:
            decrement(self.cache, self.counter)


class AddressThrottle(AtomicRateThrottle):
    """Count the mails sent to one address at this scope's rate, from every client together.

    The address is counted by a hash of it, as typed in any case; an empty
    rate counts nothing. ``counter_scope`` names the counters, when the rate's
    scope already names another limit's.
    """

    counter_scope = None

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def address_key(self, address):
        ident = hashlib.sha256(address.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.counter_scope or self.scope, "ident": ident}

    def allow_address(self, address):
        """Count one mail to ``address``; whether it is within the rate."""
        if self.rate is None:
            return True
        return self.count(self.window_key(self.address_key(address))) <= self.num_requests


{% if cookiecutter.email_verification != "none" -%}
class EmailAddressThrottle(AddressThrottle):
    """Count the mails sent to one address (the "email_address" rate), whoever asks.

    As a throttle it counts the address a request names in ``email``; the
    verification flows count each mail they send with ``allow_address``.
    """

    scope = "email_address"

    def get_cache_key(self, request, view):
        address = request.data.get("email") if isinstance(request.data, dict) else None
        return self.address_key(address) if isinstance(address, str) else None


{% endif -%}
def throttle_admin_login(login_view):
    """Hold admin login attempts to the login limits, so the form is no side door."""

    @functools.wraps(login_view)
    def throttled_login(request, *args, **kwargs):
        if request.method != "POST":
            return login_view(request, *args, **kwargs)
        client = LoginRateThrottle()
        account = FailedLoginThrottle(request)
        username = request.POST.get(get_user_model().USERNAME_FIELD, "")
        if not client.allow_request(request, None):
            return too_many_attempts(client.wait())
        if not account.attempt(username):
            return too_many_attempts(account.wait())
        response = login_view(request, *args, **kwargs)
        if response.status_code == 302:  # the admin redirects once a user has signed in
            account.succeeded()
            remember_device(request, response, username)
        return response

    return throttled_login


def too_many_attempts(wait):
    return JsonResponse(
        {"detail": "Too many login attempts.", "code": "throttled"},
        status=429,
        headers={"Retry-After": str(math.ceil(wait))},
    )


class PasswordResetAddressThrottle(AddressThrottle):
    """Reset emails per address, from every client together, at the "password_reset" rate.

    Spread over many clients, requests for one address would still fill its
    inbox. Over this limit the answer stays the same 202, and no email goes.
    """

    scope = "password_reset"
    counter_scope = "password_reset_address"
