"""An access token whose signature is checked once per process, not once per request."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.utils import aware_utcnow

# Enough for every token a worker sees within an access token's lifetime on a
# busy API; each entry is a token and its claims, about a kilobyte.
VERIFIED_TOKENS = 4096


class AccessToken(tokens.AccessToken):
    """simplejwt's access token, with the claims of a token that verified once kept.

    Only a token that passed the signature, algorithm, issuer and audience
    checks is kept; ``exp``, the token type and ``jti`` are checked again on
    every use, so a kept token still expires on time.
    """

    def __init__(self, token=None, verify=True):
        if token is None or not verify:
            super().__init__(token, verify)
            return
        self.token = token
        self.current_time = aware_utcnow()
        self.payload = dict(verified_claims(token))
        self.verify()


@lru_cache(maxsize=VERIFIED_TOKENS)
def verified_claims(token):
    """Decode and fully verify ``token`` (raising TokenError, which is never kept)."""
    return tokens.AccessToken(token).payload


@receiver(setting_changed)
def forget_verified_tokens(*, setting, **kwargs):
    if setting == "SIMPLE_JWT":
        verified_claims.cache_clear()
