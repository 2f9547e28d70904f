"""System checks on the settings and services this app relies on.

A key that does not fit the algorithm stops the project at start-up rather
than at the first login; so does a database or cache that cannot be used
(the services check runs with ``migrate``, which ``make run`` and ``make
serve`` do first, and with ``check --database default``).
"""

{% if cookiecutter.jwt_algorithm[:2] != "HS" -%}
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
{% endif -%}
from django.conf import settings
from django.core.cache import cache
from django.core.checks import Error, Tags, {% if cookiecutter.throttling and cookiecutter.cache == "locmem" %}Warning, {% endif %}register
from django.db import DatabaseError, connections
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


@register(Tags.database)
def check_services(app_configs, databases=None, **kwargs):
    """Use the database and the cache, so that a bad URL fails now, by name."""
    errors = []
    for alias in databases or ():
        try:
            connections[alias].ensure_connection()
        except DatabaseError as error:
            errors.append(
                Error(
                    f"DATABASE_URL: cannot connect to the database: {error}".strip(),
                    hint="Check DATABASE_URL and that the database server is running.",
                    id="jwt_auth.E010",
                )
            )
    if databases:
        try:
            cache.get("system-check")
        except Exception as error:  # each cache backend raises its own errors
            errors.append(
                Error(
{%- if cookiecutter.cache == "redis" %}
                    f"REDIS_URL: cannot use the cache: {error}",
                    hint="Check REDIS_URL and that the Redis server is running.",
{%- else %}
                    f"CACHE_URL: cannot use the cache: {error}",
                    hint="Check CACHE_URL; a dbcache:// table needs manage.py createcachetable.",
{%- endif %}
                    id="jwt_auth.E011",
                )
            )
    return errors
{%- if cookiecutter.throttling and cookiecutter.cache == "locmem" %}


PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_throttle_cache(app_configs, **kwargs):
    """Rate limits counted per process are no limit once several workers serve."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "Throttle counts live in a per-process cache: each worker counts on its own, "
            "so every extra worker or host multiplies each rate limit.",
            hint="Set CACHE_URL to a cache that all workers share: dbcache://cache_table "
            "(then run manage.py createcachetable) or redis://host:6379/0 (pip install redis).",
            id="jwt_auth.W001",
        )
    ]
{%- endif %}
