"""The settings this project promises: algorithm, lifetimes, hashers, production checks."""

import os
import shutil
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
{% if not cookiecutter.throttling %}from django.core.checks import run_checks
{% endif %}from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
{%- if not cookiecutter.throttling %}
from django.core.management.base import SystemCheckError
{%- endif %}
from django.utils.module_loading import import_string

from config import settings as production_settings

from .helpers import BASE_DIR, PRODUCTION, fresh_settings, in_production, python


def test_passwords_hash_with_argon2id_at_owasp_parameters_and_pbkdf2_still_verifies():
    hashers = production_settings.PASSWORD_HASHERS
    hasher = import_string(hashers[0])()

    assert hasher.algorithm == "argon2"
    assert (hasher.memory_cost, hasher.time_cost, hasher.parallelism) == (19 * 1024, 2, 1)
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers


def test_the_algorithm_is_the_one_chosen_unless_the_environment_says_otherwise():
    expected = os.environ.get("JWT_ALGORITHM", "{{ cookiecutter.jwt_algorithm }}")

    assert settings.SIMPLE_JWT["ALGORITHM"] == expected


def test_token_lifetimes_are_the_ones_chosen_unless_the_environment_says_otherwise():
    minutes = int(os.environ.get("JWT_ACCESS_TOKEN_LIFETIME_MINUTES", "{{ cookiecutter.access_token_lifetime_minutes | int }}"))
    days = int(os.environ.get("JWT_REFRESH_TOKEN_LIFETIME_DAYS", "{{ cookiecutter.refresh_token_lifetime_days | int }}"))

    assert settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] == timedelta(minutes=minutes)
    assert settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"] == timedelta(days=days)


def test_a_lifetime_in_the_environment_wins():
    fresh = fresh_settings(JWT_ACCESS_TOKEN_LIFETIME_MINUTES="7")

    assert fresh.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] == timedelta(minutes=7)


def test_a_short_key_warning_from_pyjwt_is_an_error():
    with pytest.raises(jwt.warnings.InsecureKeyLengthWarning):
        jwt.encode({"sub": "1"}, "too-short", algorithm="HS256")


def test_the_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


{% if cookiecutter.throttling -%}
def test_check_deploy_passes_in_production():
    with in_production():
        call_command("check", deploy=True, fail_level="WARNING")
{%- else -%}
def test_check_deploy_warns_that_nothing_is_rate_limited_and_of_nothing_else():
    with in_production(), pytest.raises(SystemCheckError) as refusal:
        call_command("check", deploy=True, fail_level="WARNING")

    assert "(throttling.W001) No rate limits" in str(refusal.value)
    assert "System check identified 1 issue" in str(refusal.value)


def test_the_rate_limit_warning_is_for_deploy_checks_only():
    assert "throttling.W001" not in {message.id for message in run_checks()}
    assert "throttling.W001" in {
        message.id for message in run_checks(include_deployment_checks=True)
    }
{%- endif %}


SITE_WIDE_COOKIES = {
    "SESSION_COOKIE_NAME": "sessionid",
    "CSRF_COOKIE_NAME": "csrftoken",
{%- if cookiecutter.throttling %}
    "DEVICE_COOKIE_NAME": "device",
{%- endif %}
}


@pytest.mark.parametrize(("debug", "prefix"), [("false", "__Host-"), ("true", "")])
def test_site_wide_cookies_are_host_prefixed_in_production(debug, prefix):
    """No sibling subdomain can plant or shadow them; plain http (make run) keeps plain names."""
    fresh = fresh_settings(**{**PRODUCTION, "DJANGO_DEBUG": debug})

    names = [getattr(fresh, setting) for setting in SITE_WIDE_COOKIES]
    assert names == [f"{prefix}{name}" for name in SITE_WIDE_COOKIES.values()]


def test_turning_the_redirect_off_silences_its_deploy_warning_only():
    """With the production checks above passing, `make serve` then serves plain http."""
    plain_http = {**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "false"}

    assert fresh_settings(**plain_http).SILENCED_SYSTEM_CHECKS == ["security.W008"]
    assert fresh_settings(**PRODUCTION).SILENCED_SYSTEM_CHECKS == []


def test_without_a_secret_key_nothing_starts(tmp_path):
    """No insecure fallback: with DJANGO_SECRET_KEY neither set nor in .env, it stops."""
    copy = tmp_path / "project"
    shutil.copytree(BASE_DIR, copy, ignore=shutil.ignore_patterns(".env", ".venv", "*.sqlite3*"))
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_SECRET_KEY"}

    result = python("manage.py", "check", cwd=copy, environment={**environment, **PRODUCTION})

    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PASSWORD_RESET_URL", "https://app.example.com/reset?token={token}"),
        ("PASSWORD_RESET_URL", "https://app.example.com/{user}?uid={uid}&token={token}"),
        ("PASSWORD_RESET_URL", "https://app.example.com/reset?uid={uid&token={token}"),
{%- if cookiecutter.email_verification != "none" %}
        ("EMAIL_VERIFY_URL", "https://app.example.com/verify?uid={uid}"),
        ("EMAIL_VERIFY_URL", "https://app.example.com/verify?uid={uid}&token={token}&{next}"),
        ("EMAIL_VERIFY_TIMEOUT_HOURS", "0"),
{%- endif %}
        ("EMAIL_URL", "smtp.example.com:587"),
    ],
)
def test_a_bad_email_setting_stops_the_start_naming_its_variable(variable, value):
    with pytest.raises(ImproperlyConfigured, match=f"^{variable} "):
        fresh_settings(**{variable: value})


def test_the_development_environment_prints_emails_and_production_sends_them_by_smtp():
    smtp = "smtp+tls://user:secret@smtp.example.com:587"

    assert fresh_settings().EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert fresh_settings(EMAIL_URL=smtp).EMAIL_BACKEND == (
        "django.core.mail.backends.smtp.EmailBackend"
    )
