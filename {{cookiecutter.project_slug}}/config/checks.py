{% if cookiecutter.cache == "database" -%}
"""System checks on the service the project runs on: its database.

A database that cannot be used stops the start with one error that names
its variable. The cache is a table of that database, made by ``migrate``
(config/migrations). The check runs with ``migrate``, which ``make run`` and
``make serve`` do first, and with ``check --database default``.
"""
{%- else -%}
"""System checks on the services the project runs on: its database and cache.

A database or cache that cannot be used stops the start with one error that
names its variable. The services check runs with ``migrate``, which ``make
run`` and ``make serve`` do first, and with ``check --database default``.
"""
{%- endif %}

{% if cookiecutter.throttling and cookiecutter.cache == "locmem" -%}
from django.conf import settings
{% endif -%}
{% if cookiecutter.cache != "database" -%}
from django.core.cache import cache
{% endif -%}
from django.core.checks import Error, Tags, {% if not cookiecutter.throttling or cookiecutter.cache == "locmem" %}Warning, {% endif %}register
from django.db import DatabaseError, connections


@register(Tags.database)
def check_database(app_configs, databases=None, **kwargs):
    """Connect to the database, so that a bad DATABASE_URL fails now, by name."""
    errors = []
    for alias in databases or ():
        try:
            connections[alias].ensure_connection()
        except DatabaseError as error:
            errors.append(
                Error(
                    f"DATABASE_URL: cannot connect to the database: {error}".strip(),
                    hint="Check DATABASE_URL and that the database server is running.",
                    id="database.E001",
                )
            )
    return errors
{%- if cookiecutter.cache != "database" %}


@register(Tags.database)
def check_cache(app_configs, databases=None, **kwargs):
    """Use the cache, so that a bad {% if cookiecutter.cache == "redis" %}REDIS_URL{% else %}CACHE_URL{% endif %} fails now, by name.

    It runs where the database check runs, since both reach a server.
    """
    if not databases:
        return []
    try:
        cache.get("system-check")
    except Exception as error:  # each cache backend raises its own errors
        return [
            Error(
{%- if cookiecutter.cache == "redis" %}
                f"REDIS_URL: cannot use the cache: {error}",
                hint="Check REDIS_URL and that the Redis server is running.",
{%- else %}
                f"CACHE_URL: cannot use the cache: {error}",
                hint="Check CACHE_URL; a dbcache:// table needs manage.py createcachetable.",
{%- endif %}
                id="cache.E001",
            )
        ]
    return []
{%- endif %}
{%- if cookiecutter.throttling and cookiecutter.cache == "locmem" %}


PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_throttle_cache(app_configs, **kwargs):
    """Rate limits counted per process are no limit once several workers serve."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "Throttle counts live in a per-process cache: each worker counts on its own, "
            "so every extra worker or host multiplies each rate limit.",
            hint="Set CACHE_URL to a cache that all workers share: dbcache://cache_table "
            "(then run manage.py createcachetable) or redis://host:6379/0 (pip install redis).",
            id="cache.W001",
        )
    ]
{%- endif %}
{%- if not cookiecutter.throttling %}


@register(Tags.security, deploy=True)
def check_rate_limits(app_configs, **kwargs):
    """This project was made without rate limits: say so before it goes live."""
    return [
        Warning(
            "No rate limits: logins, password checks (a password change's old password) "
            "and password reset emails are unlimited, per client and per account.",
            hint="Limit them in front of Django (at the proxy or load balancer), then add "
            '"throttling.W001" to SILENCED_SYSTEM_CHECKS in config/settings.py; or make '
            "the project again with throttling=yes.",
            id="throttling.W001",
        )
    ]
{%- endif %}
