"""A bad service URL stops the start with one error that names its variable.

A malformed URL is refused while settings.py is read (here, in this
process); an unreachable service by the system checks of a fresh process.
"""
{%- if cookiecutter.cache == "database" %}

import sqlite3
{%- endif %}

{% if cookiecutter.throttling and cookiecutter.cache == "locmem" -%}
import environ
{% endif -%}
import pytest
{%- if cookiecutter.cache == "database" %}
from django.conf import settings
from django.core.cache import cache
{%- endif %}
from django.core.exceptions import ImproperlyConfigured
{%- if cookiecutter.throttling and cookiecutter.cache == "locmem" %}
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from config import checks
{%- endif %}

from .helpers import fresh_settings, {% if cookiecutter.throttling and cookiecutter.cache == "locmem" %}in_production, {% endif %}manage


def test_a_malformed_database_url_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL is not a database URL"):
        fresh_settings(DATABASE_URL="not-a-database-url")


def test_an_unreachable_database_is_one_error_naming_database_url():
{%- if cookiecutter.database == "postgresql" %}
    unreachable = "postgres://nobody@127.0.0.1:9/nowhere"
{%- else %}
    unreachable = "sqlite:////no/such/folder/db.sqlite3"
{%- endif %}

    result = manage("check", "--database", "default", DATABASE_URL=unreachable)

    assert result.returncode != 0
    assert "(database.E001) DATABASE_URL: cannot connect to the database" in result.stderr
    assert "Traceback" not in result.stderr
{%- if cookiecutter.cache == "redis" %}


def test_a_malformed_redis_url_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match=r"^REDIS_URL is not a Redis URL"):
        fresh_settings(REDIS_URL="127.0.0.1:6379")


def test_an_unreachable_redis_is_one_error_naming_redis_url():
    result = manage("check", "--database", "default", REDIS_URL="redis://127.0.0.1:9/0")

    assert result.returncode != 0
    assert "(cache.E001) REDIS_URL: cannot use the cache" in result.stderr
    assert "Traceback" not in result.stderr
{%- elif cookiecutter.cache == "database" %}


@pytest.mark.django_db
def test_the_cache_keeps_every_clients_counter_past_a_few_hundred():
    for number in range(400):
        cache.add(f"counter-{number:03}", 1, 3600)

    assert cache.get("counter-000") == 1


def test_migrate_makes_the_cache_table_of_a_new_database(tmp_path):
    """`make migrate` alone makes the table (the test database gets it from createcachetable)."""
    database = tmp_path / "db.sqlite3"

    result = manage("migrate", "config", "--noinput", DATABASE_URL=f"sqlite:///{database}")

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as sqlite:
        tables = {name for (name,) in sqlite.execute("SELECT name FROM sqlite_master")}
    assert settings.CACHES["default"]["LOCATION"] in tables
{%- else %}


def test_a_malformed_cache_url_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match=r"^CACHE_URL is not a cache URL"):
        fresh_settings(CACHE_URL="nonsense://")


def test_a_database_cache_without_its_table_is_one_error_naming_cache_url(tmp_path):
    result = manage(
        "check",
        "--database",
        "default",
        CACHE_URL="dbcache://missing_table",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode != 0
    assert "(cache.E001) CACHE_URL: cannot use the cache" in result.stderr
    assert "Traceback" not in result.stderr
{%- endif %}
{%- if cookiecutter.throttling and cookiecutter.cache == "locmem" %}


def test_a_per_process_throttle_cache_fails_the_deploy_checks():
    with in_production(CACHE_URL="locmemcache://"), pytest.raises(SystemCheckError) as refusal:
        call_command("check", deploy=True, fail_level="WARNING")

    assert "cache.W001" in str(refusal.value)


@pytest.mark.parametrize(
    ("debug", "cache_url", "warned"),
    [
        (False, "locmemcache://", True),
        (True, "locmemcache://", False),
        (False, "dbcache://cache_table", False),
    ],
)
def test_the_throttle_cache_check_warns_only_for_per_process_caches_in_production(
    settings, debug, cache_url, warned
):
    settings.DEBUG = debug
    settings.CACHES = {"default": environ.Env.cache_url_config(cache_url)}

    assert bool(checks.check_throttle_cache(None)) is warned
{%- endif %}
