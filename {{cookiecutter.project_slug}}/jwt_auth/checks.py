"""System checks on the signing keys: a key that does not fit the algorithm
stops the project at start-up rather than at the first login.
"""

{% if cookiecutter.jwt_algorithm[:2] != "HS" -%}
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
{% endif -%}
from django.conf import settings
from django.core.checks import Error, Tags, register
{%- if cookiecutter.jwt_algorithm[:2] == "HS" %}

# An HMAC key must be at least as long as the hash it feeds (RFC 7518, 3.2).
HMAC_KEY_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}


@register(Tags.security)
def check_signing_key(app_configs, **kwargs):
    algorithm = settings.SIMPLE_JWT["ALGORITHM"]
    key = settings.SIMPLE_JWT["SIGNING_KEY"]
    if algorithm not in HMAC_KEY_BYTES:
        return [
            Error(
                f"JWT_ALGORITHM {algorithm!r} does not sign with a shared JWT_SIGNING_KEY.",
                hint="Use HS256, HS384 or HS512 (or generate a project that uses a key pair).",
                id="jwt_auth.E001",
            )
        ]
    errors = []
    if len(key.encode()) < HMAC_KEY_BYTES[algorithm]:
        errors.append(
            Error(
                f"JWT_SIGNING_KEY is shorter than {HMAC_KEY_BYTES[algorithm]} bytes, "
                f"the minimum for {algorithm}.",
                hint="Make one: python -c 'import secrets; print(secrets.token_urlsafe(64))'",
                id="jwt_auth.E002",
            )
        )
    if key == settings.SECRET_KEY:
        errors.append(
            Error(
                "JWT_SIGNING_KEY is the same as DJANGO_SECRET_KEY.",
                hint="Give each its own random value.",
                id="jwt_auth.E003",
            )
        )
    return errors
{%- else %}

MIN_RSA_KEY_BITS = 2048
EC_CURVES = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}


def key_problem(algorithm, private_key):
    """Say what is wrong with ``private_key`` for ``algorithm``, or return None."""
    if algorithm[:2] in ("RS", "PS"):
        if not isinstance(private_key, rsa.RSAPrivateKey):
            return f"{algorithm} needs an RSA key."
        if private_key.key_size < MIN_RSA_KEY_BITS:
            return f"{algorithm} needs an RSA key of at least {MIN_RSA_KEY_BITS} bits."
    elif algorithm in EC_CURVES:
        curve = EC_CURVES[algorithm]
        if (
            not isinstance(private_key, ec.EllipticCurvePrivateKey)
            or private_key.curve.name != curve
        ):
            return f"{algorithm} needs an EC key on the {curve} curve."
    elif algorithm == "EdDSA":
        if not isinstance(private_key, ed25519.Ed25519PrivateKey):
            return "EdDSA needs an Ed25519 key."
    else:
        return f"{algorithm} is not an algorithm this project signs with a key pair."
    return None


def public_pem(key):
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@register(Tags.security)
def check_key_pair(app_configs, **kwargs):
    algorithm = settings.SIMPLE_JWT["ALGORITHM"]
    try:
        private_key = serialization.load_pem_private_key(
            settings.SIMPLE_JWT["SIGNING_KEY"].encode(), password=None
        )
        public_key = serialization.load_pem_public_key(
            settings.SIMPLE_JWT["VERIFYING_KEY"].encode()
        )
    except ValueError as error:
        return [
            Error(
                f"The JWT key files cannot be read as PEM keys: {error}",
                hint="Check JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE.",
                id="jwt_auth.E001",
            )
        ]
    problem = key_problem(algorithm, private_key)
    if problem:
        return [
            Error(
                f"JWT_PRIVATE_KEY_FILE does not fit JWT_ALGORITHM: {problem}",
                id="jwt_auth.E002",
            )
        ]
    if public_pem(private_key.public_key()) != public_pem(public_key):
        return [
            Error(
                "JWT_PUBLIC_KEY_FILE is not the public half of JWT_PRIVATE_KEY_FILE.",
                id="jwt_auth.E003",
            )
        ]
    return []
{%- endif %}
