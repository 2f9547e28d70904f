"""System checks on the signing keys.

Every key of the key set must fit the algorithm{% if cookiecutter.__key_family != "hmac" %}, and each public key
must be the other half of its private key{% endif %}: a key that does not stops the
project at start-up, by its kid, rather than at the first login.
"""

{% if cookiecutter.__key_family != "hmac" -%}
import jwt
{% endif -%}
from django.conf import settings
from django.core.checks import Error, Tags, register

from .algorithms import ALGORITHMS{% if cookiecutter.__key_family != "hmac" %}, MIN_RSA_KEY_BITS{% endif %}
from .keys import current_key_set{% if cookiecutter.__key_family != "hmac" %}, public_jwk{% endif %}
{%- if cookiecutter.__key_family == "hmac" %}

ROTATE_HINT = "Make a new key with manage.py jwt_keys rotate, then retire this one."


@register(Tags.security)
def check_key_set(app_configs, **kwargs):
    """Each secret is at least as long as the hash (RFC 7518, 3.2) and is not SECRET_KEY."""
    name = settings.SIMPLE_JWT["ALGORITHM"]
    algorithm = ALGORITHMS.get(name)
    if algorithm is None or not algorithm.shares_a_secret:
        hmac = ", ".join(other for other, facts in ALGORITHMS.items() if facts.shares_a_secret)
        return [
            Error(
                f"JWT_ALGORITHM {name!r} does not sign with a shared secret.",
                hint=f"Use one of {hmac} (or generate a project that uses a key pair).",
                id="signing_keys.E001",
            )
        ]
    errors = []
    for key in current_key_set().keys:
        if len(key.secret.encode()) < algorithm.min_hmac_key_bytes:
            errors.append(
                Error(
                    f"JWT key {key.kid}: the secret is shorter than "
                    f"{algorithm.min_hmac_key_bytes} bytes, the minimum for {name}.",
                    hint=ROTATE_HINT,
                    id="signing_keys.E002",
                )
            )
        if key.secret == settings.SECRET_KEY:
            errors.append(
                Error(
                    f"JWT key {key.kid}: the secret is the same as DJANGO_SECRET_KEY.",
                    hint=ROTATE_HINT,
                    id="signing_keys.E003",
                )
            )
    return errors
{%- else %}


def key_problem(algorithm, public_key):
    """Say what is wrong with ``public_key`` (as a JWK) for ``algorithm``, or return None."""
    if public_key["kty"] != algorithm.key_type or public_key.get("crv") != algorithm.curve:
        curve = f" on {algorithm.curve}" if algorithm.curve else ""
        return f"{algorithm.name} needs an {algorithm.key_type} key{curve}."
    if algorithm.family == "rsa":
        bits = len(jwt.utils.base64url_decode(public_key["n"])) * 8
        if bits < MIN_RSA_KEY_BITS:
            return f"{algorithm.name} needs an RSA key of at least {MIN_RSA_KEY_BITS} bits."
    return None


def check_key(algorithm, key):
    """The errors of one key of the set, each naming its kid."""
    if "PRIVATE KEY" in key.public:
        return [
            Error(
                f"JWT key {key.kid}: its public key file holds a private key.",
                hint="Keep only the public half there, and the private key in a mode 0600 file.",
                id="signing_keys.E004",
            )
        ]
    try:
        public_key = public_jwk(algorithm.name, key.public)
        public_half = key.private and public_jwk(algorithm.name, key.private)
    except (jwt.InvalidKeyError, ValueError) as error:
        problem = f"{error}"
    else:
        problem = key_problem(algorithm, public_key)
    if problem:
        message = f"JWT key {key.kid} does not fit {algorithm.name}: {problem}"
        return [Error(message, id="signing_keys.E002")]
    if public_half and public_half != public_key:
        return [
            Error(
                f"JWT key {key.kid}: the public key is not the other half of the private key.",
                id="signing_keys.E003",
            )
        ]
    return []


@register(Tags.security)
def check_key_set(app_configs, **kwargs):
    name = settings.SIMPLE_JWT["ALGORITHM"]
    algorithm = ALGORITHMS.get(name)
    if algorithm is None or algorithm.shares_a_secret:
        return [
            Error(
                f"JWT_ALGORITHM {name!r} is not an algorithm this project signs with a key pair.",
                hint="Use an algorithm of the same kind as the one the project was made with.",
                id="signing_keys.E001",
            )
        ]
    return [error for key in current_key_set().keys for error in check_key(algorithm, key)]
{%- endif %}
