"""How many wrong second-factor codes are allowed: a handful a minute, per account and per sign-in.

Six digits are a million codes: without a limit they fall in hours. These
limits hold whatever the project's other rate limits are (or whether it has
any): they count in the shared cache, one atomic increment per wrong code,
in fixed one-minute windows. Over either limit, every code is refused with
429 and Retry-After, the right one too, until the window ends.
"""

import time

from django.core.cache import cache
from rest_framework.exceptions import Throttled

WRONG_CODES_PER_MINUTE = 5
WINDOW_SECONDS = 60


def counters(user, challenge=None):
    window = int(time.time() // WINDOW_SECONDS)
    keys = [f"mfa:wrong-codes:user:{user.pk}:{window}"]
    if challenge is not None:
        keys.append(f"mfa:wrong-codes:challenge:{challenge.pk}:{window}")
    return keys


def check(user, challenge=None):
    """Refuse with 429 when the account or the sign-in has had too many wrong codes."""
    counts = cache.get_many(counters(user, challenge))
    if any(count >= WRONG_CODES_PER_MINUTE for count in counts.values()):
        raise Throttled(wait=max(WINDOW_SECONDS - time.time() % WINDOW_SECONDS, 1))


def record_failure(user, challenge=None):
    for key in counters(user, challenge):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # the counter expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)
