"""The settings this project promises: keys, hashers, production checks."""

import os
import runpy
import shutil
from datetime import timedelta

import jwt
import pytest
{%- if cookiecutter.jwt_algorithm[:2] != "HS" %}
from cryptography.hazmat.primitives.asymmetric import ed25519
{%- endif %}
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils.module_loading import import_string

from config import settings as production_settings
from jwt_auth import checks

from .conftest import BASE_DIR, PRODUCTION, fresh_setting, manage, python


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
    lifetime = "settings.SIMPLE_JWT['ACCESS_TOKEN_LIFETIME']"

    assert fresh_setting(lifetime, JWT_ACCESS_TOKEN_LIFETIME_MINUTES="7") == "0:07:00"


def test_the_signing_key_passes_the_system_checks():
    assert run_checks(tags=["security"], include_deployment_checks=False) == []


def test_a_short_key_warning_from_pyjwt_is_an_error():
    with pytest.raises(jwt.warnings.InsecureKeyLengthWarning):
        jwt.encode({"sub": "1"}, "too-short", algorithm="HS256")
{%- if cookiecutter.jwt_algorithm[:2] == "HS" %}


def test_the_signing_key_is_as_long_as_the_hash():
    key = settings.SIMPLE_JWT["SIGNING_KEY"].encode()

    assert len(key) >= checks.HMAC_KEY_BYTES[settings.SIMPLE_JWT["ALGORITHM"]]


def test_the_signing_key_is_not_the_secret_key():
    assert settings.SIMPLE_JWT["SIGNING_KEY"] != settings.SECRET_KEY


def test_a_short_signing_key_fails_the_checks(settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "SIGNING_KEY": "x" * 31}

    assert [error.id for error in checks.check_signing_key(None)] == ["jwt_auth.E002"]


def test_the_secret_key_as_signing_key_fails_the_checks(settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "SIGNING_KEY": settings.SECRET_KEY}

    assert "jwt_auth.E003" in [error.id for error in checks.check_signing_key(None)]


def test_an_algorithm_that_needs_a_key_pair_fails_the_checks(settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ALGORITHM": "RS256"}

    assert [error.id for error in checks.check_signing_key(None)] == ["jwt_auth.E001"]
{%- else %}


def test_the_private_key_file_is_readable_by_its_owner_only():
    path = BASE_DIR / os.environ.get("JWT_PRIVATE_KEY_FILE", "keys/jwt-private.pem")

    assert path.stat().st_mode & 0o077 == 0


def test_a_key_of_another_kind_fails_the_checks(settings):
    settings.SIMPLE_JWT = {
        **settings.SIMPLE_JWT,
        "ALGORITHM": "{{ 'ES256' if cookiecutter.jwt_algorithm[:2] in ('RS', 'PS') else 'RS256' }}",
    }

    assert [error.id for error in checks.check_key_pair(None)] == ["jwt_auth.E002"]


def test_a_public_key_of_another_pair_fails_the_checks(settings):
    other = checks.public_pem(ed25519.Ed25519PrivateKey.generate().public_key()).decode()
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "VERIFYING_KEY": other}

    assert [error.id for error in checks.check_key_pair(None)] == ["jwt_auth.E003"]


def test_a_key_that_is_not_pem_fails_the_checks(settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "SIGNING_KEY": "not a key"}

    assert [error.id for error in checks.check_key_pair(None)] == ["jwt_auth.E001"]
{%- endif %}


def test_the_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_check_deploy_passes_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_over_plain_http_when_the_redirect_is_turned_off():
    plain_http = {**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "false"}

    result = manage("check", "--deploy", "--fail-level", "WARNING", **plain_http)

    assert result.returncode == 0, result.stderr


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
        ("EMAIL_URL", "smtp.example.com:587"),
    ],
)
def test_a_bad_email_setting_stops_the_start_naming_its_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)

    with pytest.raises(ImproperlyConfigured, match=f"^{variable} "):
        runpy.run_path(str(BASE_DIR / "config" / "settings.py"))


def test_the_development_environment_prints_emails_and_production_sends_them_by_smtp():
    backend = "settings.EMAIL_BACKEND"

    assert fresh_setting(backend) == "django.core.mail.backends.console.EmailBackend"
    assert fresh_setting(backend, EMAIL_URL="smtp+tls://user:secret@smtp.example.com:587") == (
        "django.core.mail.backends.smtp.EmailBackend"
    )
