"""The key set this process signs and verifies with, and simplejwt's backend over it.

Every token names its key in the ``kid`` header and is verified with that
key alone, and only with the pinned algorithm: the header picks a key, never
an algorithm. The key set is read once per process, so a rotation or a
retirement takes effect when the server restarts.
"""

import functools

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import TokenBackendError

from .keyset import KeySetError, key_set_from_json, read_key_set


def load_key_set():
    """The key set as it is now: from JWT_KEYS if set, else from JWT_KEYS_DIR."""
    try:
        if settings.JWT_KEYS:
            return key_set_from_json(settings.JWT_KEYS)
        return read_key_set(settings.JWT_KEYS_DIR)
    except KeySetError as error:
        raise ImproperlyConfigured(f"JWT key set: {error}") from error


@functools.cache
def current_key_set():
    """The key set as this process first read it; it changes with a restart."""
    return load_key_set()


@receiver(setting_changed)
def forget_key_set(setting, **kwargs):
    if setting in ("JWT_KEYS", "JWT_KEYS_DIR"):
        current_key_set.cache_clear()


@functools.cache
def prepared_key(algorithm, material):
    """``material`` parsed once as a key for ``algorithm`` (PyJWT refuses a key of another kind)."""
    return jwt.get_algorithm_by_name(algorithm).prepare_key(material)
{%- if cookiecutter.__key_family != "hmac" %}


def public_jwk(algorithm, pem):
    """The public key in ``pem`` as a JWK: never a private member, even if ``pem`` is private."""
    key = prepared_key(algorithm, pem)
    public_key = key.public_key() if hasattr(key, "private_bytes") else key
    return jwt.get_algorithm_by_name(algorithm).to_jwk(public_key, as_dict=True)
{%- endif %}


class KeySetTokenBackend(TokenBackend):
    """Sign with the key set's signing key, named in ``kid``; verify with the key ``kid`` names."""

    def encode(self, payload):
        key = current_key_set().signing_key
        claims = {**payload}
        if self.audience is not None:
            claims["aud"] = self.audience
        if self.issuer is not None:
            claims["iss"] = self.issuer
        return jwt.encode(
            claims,
            prepared_key(self.algorithm, key.signing_material),
            algorithm=self.algorithm,
            headers={"kid": key.kid},
            json_encoder=self.json_encoder,
        )

    def get_verifying_key(self, token):
        kid = jwt.get_unverified_header(token).get("kid")
        key = current_key_set().get(kid) if isinstance(kid, str) else None
        if key is None:
            raise TokenBackendError(_("Token names no key that this server knows"))
        return prepared_key(self.algorithm, key.verifying_material)
