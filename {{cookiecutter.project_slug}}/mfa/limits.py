"""How many wrong second-factor codes are allowed: a handful a minute, per account and per sign-in.

Six digits are a million codes: without a limit they fall in hours. These
limits hold whatever the project's other rate limits are (or whether it has
any): they count in the shared cache (api/counters.py), in fixed one-minute
windows. Each code takes its place before it is checked, as a login's
password does, so a burst of guesses sent at once gets no more checks than
the limit; a right code gives its place back. Over either limit, every
code is refused with 429 and Retry-After, the right one too, until the
window ends.
"""

import time

from django.core.cache import cache
from rest_framework.exceptions import Throttled

from api.counters import decrement, increment

WRONG_CODES_PER_MINUTE = 5
WINDOW_SECONDS = 60


def counters(user, challenge=None):
    window = int(time.time() // WINDOW_SECONDS)
    keys = [f"mfa:wrong-codes:user:{user.pk}:{window}"]
    if challenge is not None:
        keys.append(f"mfa:wrong-codes:challenge:{challenge.pk}:{window}")
    return keys


def attempt(user, challenge=None):
    """Count a code before it is checked; 429 when the account or the sign-in is over its limit."""
    counts = [increment(cache, key, WINDOW_SECONDS + 1) for key in counters(user, challenge)]
    if any(count > WRONG_CODES_PER_MINUTE for count in counts):
        raise Throttled(wait=max(WINDOW_SECONDS - time.time() % WINDOW_SECONDS, 1))


def succeeded(user, challenge=None):
    """The code was right: it was no wrong code, so it gives its place back."""
    for key in counters(user, challenge):
        decrement(cache, key)
