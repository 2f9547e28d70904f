"""Passwords: exactly as typed, no context words, Argon2id at OWASP's parameters, equal costs."""

import pytest
from django.contrib.auth import hashers
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from config import settings as production_settings

from .helpers import PASSWORD, authenticate, log_in

pytestmark = pytest.mark.django_db


class CountingHasher(hashers.MD5PasswordHasher):
    """A fast hasher that counts how many hashes it computes."""

    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)


class CheaperArgon2Hasher(hashers.Argon2PasswordHasher):
    """Argon2 with other parameters, as an older deployment may have used."""

    memory_cost = 8 * 1024
    time_cost = 1
    parallelism = 1


def hashes_computed_by_a_login(api_client, settings, username, password):
    settings.PASSWORD_HASHERS = ["tests.test_passwords.CountingHasher"]
    before = CountingHasher.computed
    response = api_client.post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 401
    return CountingHasher.computed - before


def test_an_unknown_username_costs_one_hash_like_a_wrong_password(api_client, settings, user):
    settings.PASSWORD_HASHERS = ["tests.test_passwords.CountingHasher"]
    user.set_password(PASSWORD)
    user.save()

    wrong_password = hashes_computed_by_a_login(api_client, settings, "alice", "wrong")
    unknown_user = hashes_computed_by_a_login(api_client, settings, "nobody", "wrong")

    assert wrong_password == unknown_user == 1


def test_a_hash_with_other_parameters_is_upgraded_at_the_next_login(api_client, settings, user):
    settings.PASSWORD_HASHERS = [
        *production_settings.PASSWORD_HASHERS,
        "tests.test_passwords.CheaperArgon2Hasher",
    ]
    user.password = hashers.make_password(PASSWORD, hasher=CheaperArgon2Hasher())
    user.save()

    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    user.refresh_from_db()
    assert response.status_code == 200
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


PADDED = "  a padded passphrase  "


@pytest.fixture
def padded_user(django_user_model):
    return django_user_model.objects.create_user(
        username="pat", email="pat@example.com", password=PADDED
    )


def test_a_padded_password_logs_in_only_exactly_as_typed(api_client, padded_user):
    def login_status(password):
        response = api_client.post("/api/auth/token/", {"username": "pat", "password": password})
        return response.status_code

    assert login_status(PADDED) == 200
    assert login_status(PADDED.strip()) == 401


def test_the_admin_reads_a_padded_password_exactly_as_typed(padded_user):
    padded_user.is_staff = True
    padded_user.save()

    trimmed = Client().post("/admin/login/", {"username": "pat", "password": PADDED.strip()})
    exact = Client().post("/admin/login/", {"username": "pat", "password": PADDED})

    assert trimmed.status_code == 200  # the form again, with its error
    assert exact.status_code == 302


def test_a_password_change_keeps_the_new_password_as_typed(api_client, padded_user):
    authenticate(api_client, log_in(api_client, "pat", PADDED)["access"])
    change = {"old_password": PADDED, "new_password": "  another padded passphrase "}

    response = api_client.post("/api/auth/password/change/", change)

    padded_user.refresh_from_db()
    assert response.status_code == 200
    assert padded_user.check_password("  another padded passphrase ")


def test_a_password_change_checks_the_old_password_as_typed(api_client, padded_user):
    authenticate(api_client, log_in(api_client, "pat", PADDED)["access"])
    change = {"old_password": PADDED.strip(), "new_password": "another long passphrase"}

    response = api_client.post("/api/auth/password/change/", change)

    assert response.status_code == 400
    assert "old_password" in response.json()


def test_a_user_made_by_createsuperuser_with_a_padded_password_logs_in(api_client, monkeypatch):
    """createsuperuser --noinput takes the password from the environment as it is."""
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PADDED)
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    call_command("createsuperuser", interactive=False, verbosity=0)

    response = api_client.post("/api/auth/token/", {"username": "root", "password": PADDED})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "password",
    [
        "acme_api_password",
        "acme-api-2026-rocks",
        "ACME-rocks-every-day",
        "correct-alice-battery",
        "staple-alice.smith-horse",
        "horse-battery-letmein-9",
    ],
)
def test_context_words_are_refused(password, django_user_model):
    candidate = django_user_model(username="alice", email="alice.smith@example.com")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=candidate)

    assert "password_has_context_word" in {error.code for error in refused.value.error_list}


def test_a_password_without_context_words_is_accepted(django_user_model):
    candidate = django_user_model(username="alice", email="alice@example.com")

    validate_password("correct-horse-battery-staple", user=candidate)


def test_the_context_word_validator_is_configured():
    names = [validator["NAME"] for validator in production_settings.AUTH_PASSWORD_VALIDATORS]

    assert "accounts.validators.ContextWordsValidator" in names
