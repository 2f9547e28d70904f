"""What an outage of the database or the cache looks like, and how it is answered.

A service that is down or hangs raises one of a few errors, once its
connect or socket timeout (settings.py) has passed. Clients get ``503
{"code": "service_unavailable"}`` with ``Retry-After`` for them, never a 500:
they and the load balancer can tell an outage from a bug, and try again.
Nothing is kept from the failure: the next request connects afresh, so
service resumes by itself once the server is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
{%- if cookiecutter.cache == "redis" %}
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
{%- endif %}

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 5

# Connection refused, lost or timed out; not a query's own fault (IntegrityError).
DATABASE_DOWN = (OperationalError, InterfaceError)
{%- if cookiecutter.cache == "redis" %}
CACHE_DOWN = (RedisConnectionError, RedisTimeoutError)
{%- elif cookiecutter.cache == "database" %}
# The cache is a table of the database: it is down when the database is.
CACHE_DOWN = DATABASE_DOWN
{%- else %}
# The cache is this process's memory.
CACHE_DOWN = ()
{%- endif %}
SERVICE_DOWN = DATABASE_DOWN + CACHE_DOWN


def down_service(error):
    """The service ``error`` says is down ("database" or "cache"), or None."""
    if isinstance(error, DATABASE_DOWN):
        return "database"
    if isinstance(error, CACHE_DOWN):
        return "cache"
    return None


def log_outage(service, error, request=None):
    """One line that says what failed and where, instead of a traceback."""
    path = f" ({request.method} {request.path})" if request is not None else ""
    logger.error("The %s is unavailable%s: %s", service, path, error)


def service_unavailable(detail, **extra):
    """The 503 answer, with ``Retry-After``."""
    return JsonResponse(
        {"detail": detail, "code": "service_unavailable", **extra},
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
