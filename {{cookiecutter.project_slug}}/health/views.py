"""Health checks for a load balancer or an orchestrator.

``/healthz``: the process answers (liveness); it touches no service, so an
outage of the database never gets a healthy process restarted.
``/readyz``: the database and the cache answer (readiness), each within its
connect and socket timeouts (settings.py); 503 names what is down.

Neither is authenticated or rate-limited (they are plain Django views, not
the API's), neither writes, and neither answer is cached.
"""

import functools

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from api.outages import log_outage, service_unavailable


def probe(view):
    """GET or HEAD only (any other method is a JSON 405, as the API's are), never cached."""

    @functools.wraps(view)
    def answer(request):
        if request.method not in ("GET", "HEAD"):
            return JsonResponse(
                {"detail": f'Method "{request.method}" not allowed.', "code": "method_not_allowed"},
                status=405,
                headers={"Allow": "GET, HEAD"},
            )
        return view(request)

    return never_cache(answer)


@probe
def healthz(request):
    return JsonResponse({"status": "alive"})


def database_answers(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        log_outage("database", error, request)
        return False
    return True


def cache_answers(request):
    try:
        cache.get("readyz")  # a read: nothing is written
    except Exception as error:  # each cache backend raises its own errors
        log_outage("cache", error, request)
        return False
    return True


@probe
def readyz(request):
    down = [
        service
        for service, answers in (("database", database_answers), ("cache", cache_answers))
        if not answers(request)
    ]
    if down:
        detail = f"Not ready: the {' and the '.join(down)} did not answer."
        return service_unavailable(detail, down=down)
    return JsonResponse({"status": "ready"})
