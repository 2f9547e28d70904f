"""The JWK Set at /.well-known/jwks.json, and the README's verifier for other services."""

import re

import jwt
import pytest
from django.conf import settings

from signing_keys.algorithms import ALGORITHMS
from signing_keys.keys import current_key_set

from .helpers import BASE_DIR, jwt_keys, kid_of, log_in, restart

pytestmark = pytest.mark.django_db

JWKS_PATH = "/.well-known/jwks.json"
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
README_PYTHON = re.compile(r"```python\n(.*?)```", re.DOTALL)


def jwks(client):
    response = client.get(JWKS_PATH)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_jwks_holds_every_public_key_and_no_private_member(api_client):
    algorithm = settings.SIMPLE_JWT["ALGORITHM"]

    keys = jwks(api_client)["keys"]

    assert [key["kid"] for key in keys] == [key.kid for key in current_key_set().keys]
    for key in keys:
        assert key["kty"] == ALGORITHMS[algorithm].key_type
        assert key["use"] == "sig"
        assert key["alg"] == algorithm
        assert not PRIVATE_MEMBERS & set(key)


def test_a_jwks_key_verifies_the_tokens_it_names(api_client, tokens):
    [key] = [key for key in jwks(api_client)["keys"] if key["kid"] == kid_of(tokens["access"])]

    claims = jwt.decode(
        tokens["access"],
        jwt.PyJWK(key).key,
        algorithms=[settings.SIMPLE_JWT["ALGORITHM"]],
        audience=settings.SIMPLE_JWT["AUDIENCE"],
    )

    assert claims["token_type"] == "access"


def test_the_jwks_needs_no_credentials_and_is_cacheable_for_an_hour_at_most(api_client):
    api_client.cookies["access_token"] = "not-a-token"
    response = api_client.get(JWKS_PATH, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in directives
    [max_age] = [int(part.split("=")[1]) for part in directives if part.startswith("max-age=")]
    assert 0 < max_age <= 3600
{%- if cookiecutter.throttling %}


def test_polling_the_jwks_is_never_throttled(api_client):
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0])

    statuses = {api_client.get(JWKS_PATH).status_code for _ in range(limit + 1)}

    assert statuses == {200}
{%- endif %}


def test_rotation_publishes_both_keys_and_retirement_drops_the_old_one(api_client, key_dir):
    old_kid = current_key_set().signing_kid
    jwt_keys("rotate")
    restart()
    new_kid = current_key_set().signing_kid

    assert {key["kid"] for key in jwks(api_client)["keys"]} == {old_kid, new_kid}

    jwt_keys("retire", old_kid)
    restart()

    assert [key["kid"] for key in jwks(api_client)["keys"]] == [new_kid]


def readme_verifier(live_server):
    """The README's verifier for other services, as written there, aimed at ``live_server``."""
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    [code] = [block for block in README_PYTHON.findall(readme) if "PyJWKClient" in block]
    url = re.search(r'^JWKS_URL = "(.*)"$', code, re.MULTILINE)[1]
    namespace = {}
    exec(code.replace(url, live_server.url + JWKS_PATH), namespace)  # noqa: S102
    return namespace["verify"]


def test_another_service_verifies_tokens_with_the_readme_verifier(
    live_server, api_client, user, key_dir, settings
):
    settings.SECURE_SSL_REDIRECT = False
    verify = readme_verifier(live_server)
    old = log_in(api_client)

    assert str(verify(old["access"])["user_id"]) == str(user.pk)
    with pytest.raises(jwt.InvalidTokenError):
        verify(old["refresh"])

    jwt_keys("rotate")
    restart()
    new = log_in(api_client)
    # PyJWT fetches the set again for a kid it has not seen, at most every 30 seconds:
    # a verifier that starts now stands for one after that pause.
    verify = readme_verifier(live_server)

    assert kid_of(new["access"]) != kid_of(old["access"])
    assert str(verify(new["access"])["user_id"]) == str(user.pk)
    assert str(verify(old["access"])["user_id"]) == str(user.pk)
