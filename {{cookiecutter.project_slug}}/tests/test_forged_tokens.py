"""Tokens an attacker could craft are refused with 401 (RFC 8725)."""

import base64
{%- if cookiecutter.__key_family != "hmac" %}
import hashlib
import hmac
{%- endif %}
import json

import jwt
import pytest
from django.conf import settings
from freezegun import freeze_time

from signing_keys import keyset
from signing_keys.algorithms import ALGORITHMS
from signing_keys.keys import current_key_set, prepared_key

from .helpers import claims_of, kid_of, log_in, me_status

pytestmark = pytest.mark.django_db


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(claims):
    return b64url(json.dumps(claims).encode())


def kid_header(token):
    """The header of ``token``'s key, so that only the forged part differs."""
    return {"kid": kid_of(token)}


def signing_key():
    """The project's signing key, parsed once as the API parses it (an RSA key is slow to load)."""
    return prepared_key(
        settings.SIMPLE_JWT["ALGORITHM"], current_key_set().signing_key.signing_material
    )


def foreign_key():
    """A key of the right kind that this project never issued."""
    return keyset.new_key(ALGORITHMS[settings.SIMPLE_JWT["ALGORITHM"]]).signing_material


def test_a_genuine_token_is_accepted(api_client, tokens):
    assert me_status(api_client, tokens["access"]) == 200


def test_alg_none_is_401(api_client, tokens):
    header = segment({"alg": "none", "typ": "JWT", **kid_header(tokens["access"])})
    unsigned = f"{header}.{segment(claims_of(tokens['access']))}."

    assert me_status(api_client, unsigned) == 401


def test_a_tampered_payload_is_401(api_client, tokens, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="unused-password")
    header, _payload, signature = tokens["access"].split(".")
    claims = {**claims_of(tokens["access"]), "user_id": str(admin.pk)}

    assert me_status(api_client, f"{header}.{segment(claims)}.{signature}") == 401


def test_an_expired_token_is_401(api_client, user):
    with freeze_time() as clock:
        access = log_in(api_client)["access"]
        assert me_status(api_client, access) == 200

        clock.tick(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() + 1)

        assert me_status(api_client, access) == 401


def test_a_token_for_another_audience_is_401(api_client, tokens):
    claims = {**claims_of(tokens["access"]), "aud": "another-api"}
    forged = jwt.encode(
        claims,
        signing_key(),
        algorithm=settings.SIMPLE_JWT["ALGORITHM"],
        headers=kid_header(tokens["access"]),
    )

    assert me_status(api_client, forged) == 401


def well_signed(claims, token):
    """``claims`` signed with the project's own key, under ``token``'s kid."""
    return jwt.encode(
        claims,
        signing_key(),
        algorithm=settings.SIMPLE_JWT["ALGORITHM"],
        headers=kid_header(token),
    )


@pytest.mark.parametrize("issuer", ["another-issuer", "", None], ids=["wrong", "empty", "missing"])
def test_a_well_signed_token_from_another_issuer_or_none_is_401(api_client, tokens, issuer):
    claims = {**claims_of(tokens["access"]), "iss": issuer}
    if issuer is None:
        del claims["iss"]

    assert me_status(api_client, well_signed(claims_of(tokens["access"]), tokens["access"])) == 200
    assert me_status(api_client, well_signed(claims, tokens["access"])) == 401


def test_a_token_signed_by_a_foreign_key_is_401(api_client, tokens):
    forged = jwt.encode(
        claims_of(tokens["access"]),
        foreign_key(),
        algorithm=settings.SIMPLE_JWT["ALGORITHM"],
        headers=kid_header(tokens["access"]),
    )

    assert me_status(api_client, forged) == 401
{%- if cookiecutter.__key_family != "hmac" %}


def test_hs256_signed_with_the_public_key_is_401(api_client, tokens):
    """The classic algorithm confusion: the public key used as an HMAC secret."""
    public_pem = current_key_set().signing_key.public.encode()
    header = segment({"alg": "HS256", "typ": "JWT", **kid_header(tokens["access"])})
    signing_input = f"{header}.{segment(claims_of(tokens['access']))}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

    assert me_status(api_client, f"{signing_input}.{b64url(signature)}") == 401


@pytest.mark.parametrize(
    "secret", [b"any-secret-at-all-of-32-bytes-or-more!", b""], ids=["secret", "empty"]
)
def test_an_hs256_token_naming_a_known_kid_gets_a_clean_401(api_client, tokens, secret):
    """HS256 is never a candidate: the answer is the JSON 401 of any bad token, not an error."""
    header = segment({"alg": "HS256", "typ": "JWT", **kid_header(tokens["access"])})
    signing_input = f"{header}.{segment(claims_of(tokens['access']))}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{b64url(signature)}"

    response = api_client.post("/api/auth/token/verify/", {"token": forged})

    assert me_status(api_client, forged) == 401
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
{%- else %}


def test_a_token_naming_another_hmac_algorithm_is_401(api_client, tokens):
    """Even with the right key, a token whose header picks the algorithm is refused."""
    other = "HS512" if settings.SIMPLE_JWT["ALGORITHM"] != "HS512" else "HS256"
    forged = jwt.encode(
        claims_of(tokens["access"]),
        signing_key(),
        algorithm=other,
        headers=kid_header(tokens["access"]),
    )

    assert me_status(api_client, forged) == 401
{%- endif %}
