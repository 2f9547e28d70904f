{%- set hmac = cookiecutter.__key_family == "hmac" -%}
"""Every token names its key; rotation logs nobody out; retirement ends a key's tokens."""

import base64
import json
import stat

import jwt
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError

from signing_keys import checks
{%- if not hmac %}
from signing_keys.algorithms import ALGORITHMS
{%- endif %}
from signing_keys.keys import current_key_set, load_key_set, prepared_key
{%- if not hmac %}
from signing_keys.keyset import new_key
{%- endif %}

from .helpers import (
    claims_of,
    jwt_keys,
    kid_of,
    log_in,
    me,
    me_status,
    refresh_with,
    restart,
    tokens_from,
)

pytestmark = pytest.mark.django_db


def signed(claims, **header):
    """``claims`` signed with the real signing key and algorithm, under ``header``."""
    algorithm = settings.SIMPLE_JWT["ALGORITHM"]
    key = prepared_key(algorithm, current_key_set().signing_key.signing_material)
    return jwt.encode(claims, key, algorithm=algorithm, headers=header)


def test_access_and_refresh_tokens_name_the_signing_key(tokens):
    signing_kid = current_key_set().signing_kid

    assert kid_of(tokens["access"]) == signing_kid
    assert kid_of(tokens["refresh"]) == signing_kid


def test_a_token_signed_with_the_right_key_but_no_kid_is_401(api_client, tokens):
    token = signed(claims_of(tokens["access"]))
    assert "kid" not in jwt.get_unverified_header(token)

    response = me(api_client, token)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


@pytest.mark.parametrize("kid", ["20000101-00000000", "../keys"])
def test_a_token_with_a_kid_this_server_does_not_know_is_401(api_client, tokens, kid):
    response = me(api_client, signed(claims_of(tokens["access"]), kid=kid))

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def signed_under_any_header(claims, header):
    """``claims`` signed with the real key under ``header``, which PyJWT's encode would refuse."""
    name = settings.SIMPLE_JWT["ALGORITHM"]
    algorithm = jwt.get_algorithm_by_name(name)
    key = prepared_key(name, current_key_set().signing_key.signing_material)
    segments = [
        base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=")
        for part in (header, claims)
    ]
    signature = base64.urlsafe_b64encode(algorithm.sign(b".".join(segments), key)).rstrip(b"=")
    return b".".join([*segments, signature]).decode()


@pytest.mark.parametrize("kid", [["a"], None])
def test_a_kid_that_is_not_a_string_is_401(api_client, tokens, kid):
    header = {**jwt.get_unverified_header(tokens["access"]), "kid": kid}
    token = signed_under_any_header(claims_of(tokens["access"]), header)

    response = me(api_client, token)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_rotation_logs_nobody_out_and_new_tokens_name_the_new_key(api_client, user, key_dir):
    old = log_in(api_client)

    output = jwt_keys("rotate")
    restart()
    new = log_in(api_client)

    new_kid = current_key_set().signing_kid
    assert new_kid in output
    assert new_kid != kid_of(old["access"])
    assert kid_of(new["access"]) == kid_of(new["refresh"]) == new_kid
    assert {key.kid for key in current_key_set().keys} == {new_kid, kid_of(old["access"])}
    assert me_status(api_client, old["access"]) == 200
    assert me_status(api_client, new["access"]) == 200
    refreshed = refresh_with(api_client, old["refresh"])
    assert refreshed.status_code == 200
    assert kid_of(tokens_from(refreshed)["access"]) == new_kid


def test_a_token_naming_another_key_of_the_set_is_401(api_client, tokens, key_dir):
    old_kid = kid_of(tokens["access"])
    jwt_keys("rotate")
    restart()

    response = me(api_client, signed(claims_of(tokens["access"]), kid=old_kid))

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_retired_key_refuses_its_tokens_after_a_restart(api_client, user, key_dir):
    old = log_in(api_client)
    jwt_keys("rotate")
    restart()
    new = log_in(api_client)

    jwt_keys("retire", kid_of(old["access"]))
    assert me_status(api_client, old["access"]) == 200  # this process still has the key
    restart()

    assert me_status(api_client, old["access"]) == 401
    assert refresh_with(api_client, old["refresh"]).status_code == 401
    assert me_status(api_client, new["access"]) == 200
    assert [key.kid for key in current_key_set().keys] == [kid_of(new["access"])]


def assert_one_line_and_a_failing_exit(refusal):
    """manage.py prints a CommandError as one line and exits with its return code."""
    assert "\n" not in str(refusal.value)
    assert refusal.value.returncode != 0


def test_the_signing_key_cannot_be_retired(key_dir):
    signing_kid = current_key_set().signing_kid

    with pytest.raises(CommandError, match=f"{signing_kid} is the key that signs") as refusal:
        jwt_keys("retire", signing_kid)

    assert_one_line_and_a_failing_exit(refusal)
    restart()
    assert current_key_set().signing_kid == signing_kid


def test_an_unknown_kid_cannot_be_retired(key_dir):
    with pytest.raises(CommandError, match="there is no key 'no-such-key'") as refusal:
        jwt_keys("retire", "no-such-key")

    assert_one_line_and_a_failing_exit(refusal)


def test_list_shows_each_key_its_algorithm_creation_and_use(key_dir):
    old_kid = current_key_set().signing_kid
    jwt_keys("rotate")
    restart()
    new = current_key_set().signing_key

    lines = jwt_keys("list").splitlines()

    algorithm = settings.SIMPLE_JWT["ALGORITHM"]
    assert lines[0].split() == ["KID", "ALGORITHM", "CREATED", "USE"]
    assert lines[1].split() == [new.kid, algorithm, new.created, "signs"]
    assert lines[2].split()[:2] == [old_kid, algorithm]
    assert lines[2].endswith("verifies only")


def test_a_new_key_is_written_for_its_owner_only(key_dir):
    old_kid = current_key_set().signing_kid
    jwt_keys("rotate")
    restart()
    new_kid = current_key_set().signing_kid

{%- if hmac %}
    secret = key_dir / f"{new_kid}.secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert (key_dir / f"{old_kid}.secret").exists()
{%- else %}
    private = key_dir / f"{new_kid}.private.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert (key_dir / f"{new_kid}.public.pem").exists()
    # The former signing key now only verifies: its private half is gone.
    assert not (key_dir / f"{old_kid}.private.pem").exists()
    assert (key_dir / f"{old_kid}.public.pem").exists()
{%- endif %}
    assert stat.S_IMODE(key_dir.stat().st_mode) & 0o077 == 0


def test_the_key_set_can_come_from_the_environment(api_client, user, key_dir, settings, tmp_path):
    exported = jwt_keys("export")
    settings.JWT_KEYS_DIR = tmp_path / "nowhere"
    settings.JWT_KEYS = exported

    tokens = log_in(api_client)

    assert kid_of(tokens["access"]) == current_key_set().signing_kid
    assert me_status(api_client, tokens["access"]) == 200
    with pytest.raises(CommandError, match="JWT_KEYS is set"):
        jwt_keys("rotate")


def test_a_missing_key_set_stops_the_start_naming_its_variable(settings, tmp_path):
    settings.JWT_KEYS_DIR = tmp_path

    with pytest.raises(ImproperlyConfigured, match=r"JWT_KEYS_DIR: cannot read .*keys\.json"):
        load_key_set()


@pytest.mark.parametrize("value", ["not json", "[]", '{"signing": "a", "keys": [{"kid": "a"}]}'])
def test_a_malformed_jwt_keys_stops_the_start(settings, value):
    settings.JWT_KEYS = value

    with pytest.raises(ImproperlyConfigured, match="JWT key set: "):
        load_key_set()


def test_every_key_of_the_set_passes_the_checks():
    assert checks.check_key_set(None) == []
{%- if hmac %}


def test_a_short_secret_fails_the_checks_by_its_kid(key_dir):
    old_kid = current_key_set().signing_kid
    jwt_keys("rotate")
    (key_dir / f"{old_kid}.secret").write_text("x" * 31)
    restart()

    errors = checks.check_key_set(None)

    assert [error.id for error in errors] == ["signing_keys.E002"]
    assert old_kid in errors[0].msg


def test_the_secret_key_as_a_key_fails_the_checks_by_its_kid(key_dir):
    kid = current_key_set().signing_kid
    (key_dir / f"{kid}.secret").write_text(settings.SECRET_KEY)
    restart()

    errors = checks.check_key_set(None)

    assert "signing_keys.E003" in [error.id for error in errors]
    assert kid in errors[-1].msg


def test_an_algorithm_that_needs_a_key_pair_fails_the_checks(settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ALGORITHM": "RS256"}

    assert [error.id for error in checks.check_key_set(None)] == ["signing_keys.E001"]


def test_there_is_no_jwks_for_a_shared_secret(api_client):
    response = api_client.get("/.well-known/jwks.json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
{%- else %}


def test_a_key_of_another_kind_fails_the_checks_by_its_kid(key_dir):
    old_kid = current_key_set().signing_kid
    jwt_keys("rotate")
    other_kind = new_key(ALGORITHMS["{{ "EdDSA" if cookiecutter.jwt_algorithm != "EdDSA" else "ES256" }}"])
    (key_dir / f"{old_kid}.public.pem").write_text(other_kind.public)
    restart()

    errors = checks.check_key_set(None)

    assert [error.id for error in errors] == ["signing_keys.E002"]
    assert old_kid in errors[0].msg


def test_a_private_key_in_the_public_file_fails_the_checks_by_its_kid(key_dir):
    key = current_key_set().signing_key
    (key_dir / f"{key.kid}.public.pem").write_text(key.private)
    restart()

    errors = checks.check_key_set(None)

    assert [error.id for error in errors] == ["signing_keys.E004"]
    assert key.kid in errors[0].msg


def test_a_public_key_of_another_pair_fails_the_checks_by_its_kid(key_dir):
    kid = current_key_set().signing_kid
    other_pair = new_key(ALGORITHMS[settings.SIMPLE_JWT["ALGORITHM"]])
    (key_dir / f"{kid}.public.pem").write_text(other_pair.public)
    restart()

    errors = checks.check_key_set(None)

    assert [error.id for error in errors] == ["signing_keys.E003"]
    assert kid in errors[0].msg
{%- endif %}
