"""One id per request (X-Request-ID), in its security events and in its answer.

A proxy in front (``NUM_PROXIES``) may send the id it logged the request
under; it is kept when sane: at most 128 characters of letters, digits and
``._:+/=-``. Without a proxy the header comes from the client, so, as for
X-Forwarded-For, it is not believed. Otherwise a new id is made.
"""

import contextvars
import re
import uuid

from django.conf import settings

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")

# The request being answered, for security events recorded far from the view.
_current_request = contextvars.ContextVar("current_request", default=None)


def current_request():
    """The request this thread (or task) is answering, or None in a command."""
    return _current_request.get()


def request_id_of(request):
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    if settings.NUM_PROXIES and SANE_REQUEST_ID.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request its id, keep it current for ``record``, echo the id in X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
