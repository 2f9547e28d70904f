"""Password hashing: Argon2id at OWASP's parameters, upgrades, and equal-cost failures."""

import pytest
from django.contrib.auth import hashers

from config import settings as production_settings

from .helpers import PASSWORD

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
