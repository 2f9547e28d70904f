"""One counter in the shared cache, added to atomically: what every limit counts with."""

import contextlib


def increment(cache, key, timeout):
    """Add one to ``key``'s counter and return it; a missing or expired counter starts at 0.

    ``add`` then ``incr`` is atomic on every cache the project uses. The
    counter may expire between the two (the database cache keeps expiry times
    in whole seconds): then it starts again.
    """
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.add(key, 0, timeout)
        return cache.incr(key)


def decrement(cache, key):
    """Take one back from ``key``'s counter, if it is still there."""
    with contextlib.suppress(ValueError):  # it expired meanwhile: nothing to take back
        cache.decr(key)
