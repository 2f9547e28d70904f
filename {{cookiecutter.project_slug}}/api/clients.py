"""Who is calling, as rate limits, sessions and logs all see it."""

from rest_framework.throttling import BaseThrottle

USER_AGENT_LENGTH = 256


def client_address(request):
    """The client's IP address: X-Forwarded-For is believed only through NUM_PROXIES proxies.

    DRF's own rule, the one its throttles apply, so a forged header changes
    nothing unless a configured proxy stands in front.
    """
    return BaseThrottle().get_ident(request)


def user_agent(request):
    """The User-Agent header as sent, cut to a length fit to store and show."""
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
