"""Every error is JSON with a machine-readable ``code``, as DRF's own are.

Django's own error pages (400, 403, 404, 500 and the CSRF failure) are
replaced too: only the admin's HTML pages stay HTML. An outage of the
database or the cache is a 503 with Retry-After, never a 500 (outages.py).
"""

import sys

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .outages import down_service, log_outage, service_unavailable


def exception_handler(exc, context):
    """DRF's handler, plus the error ``code`` beside a single ``detail`` message."""
    if outage := outage_response(exc, context.get("request")):
        return outage
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", exc.get_codes())
    return response


def bad_request(request, exception):
    return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)


def permission_denied(request, exception):
    return JsonResponse(
        {
            "detail": "You do not have permission to perform this action.",
            "code": "permission_denied",
        },
        status=403,
    )


def csrf_failure(request, reason=""):
    """Django's CSRF refusal (the admin's forms), worded as DRF words its own."""
    return JsonResponse(
        {"detail": f"CSRF Failed: {reason}", "code": "permission_denied"}, status=403
    )


def page_not_found(request, exception):
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def outage_response(error, request):
    """The 503 for an error that says the database or the cache is down, else None."""
    service = down_service(error)
    if service is None:
        return None
    log_outage(service, error, request)
    return service_unavailable(f"The {service} is unavailable; try again shortly.")


def server_error(request):
    # Django calls this while handling the error, wherever it was raised: in
    # a view, the admin's or a middleware (a session read), not only in the API.
    if outage := outage_response(sys.exc_info()[1], request):
        return outage
    return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
