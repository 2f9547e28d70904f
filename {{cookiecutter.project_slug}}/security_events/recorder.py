"""``record``: the one function that records a security event.

Each event becomes one JSON line on the ``security`` logger (standard
output, python-json-logger's formatter: see LOGGING in config/settings.py)
and, unless its table entry says it is a log line only, one
``SecurityEvent`` row, which the user it concerns reads at
/api/auth/events/. What goes in is a fixed set of fields; nothing a caller
passes can add a token, a password, a code, a link or a key to them.
"""

import logging

from django.utils import timezone

from api.clients import client_address, user_agent

from .middleware import current_request
from .models import SecurityEvent

logger = logging.getLogger("security")
LEVELS = {"INFO": logging.INFO, "WARNING": logging.WARNING, "CRITICAL": logging.CRITICAL}


def record(
    event,
    request=None,
    *,
    user=None,
    user_id=None,
    session=None,
    outcome=None,
    reason="",
    username="",
):
    """Record ``event`` (an entry of events.py) as a JSON line and, if it is stored, a row.

    ``request`` is the request being answered unless given; ``user`` (or
    ``user_id``) its signed-in user, ``session`` the sid of its token (or of
    the session it just opened). ``username`` is what a failed attempt typed,
    kept as typed: JSON escapes it in the line.
    """
    request = request if request is not None else current_request()
    if user is not None:
        user_id = user.pk
    elif user_id is None:
        user_id = signed_in_user_id(request)
    fields = {
        "time": timezone.now(),
        "user_id": user_id,
        "username": username[: SecurityEvent._meta.get_field("username").max_length],
        "session": session_of(request) if session is None else str(session),
        "ip": (client_address(request) or "")[:64] if request is not None else "",
        "user_agent": user_agent(request) if request is not None else "",
        "request_id": getattr(request, "request_id", ""),
        "outcome": outcome or event.outcome,
        "reason": str(reason)[:64],
    }
    if event.stored:
        SecurityEvent.objects.create(event=event.name, **fields)
    line = {**fields, "time": fields["time"].isoformat(), "user_id": user_id}
    logger.log(LEVELS[event.level], event.name, extra=line)


def signed_in_user_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def session_of(request):
    """The session the request signed in to (sign_in notes it), or the sid of its token."""
    # jwt_auth records events too: its module is imported when first needed, not before.
    from jwt_auth.revocation import SESSION_CLAIM

    session = getattr(request, "signed_in_session", None)
    if session is None:
        token = getattr(request, "auth", None)
        session = token.get(SESSION_CLAIM) if hasattr(token, "get") else None
    return str(session) if session else ""
