"""What each signing algorithm needs of its keys: the one place these facts are written.

Plain Python that imports nothing from Django or this project, so that
scripts/create_env.py (which runs before anything is installed) can use it
as well as the key commands, the system checks and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

# RSA keys below this size are refused; new ones get RSA_KEY_BITS.
MIN_RSA_KEY_BITS = 2048
RSA_KEY_BITS = 3072
# New HMAC secrets are as long as the largest hash, whatever the algorithm.
NEW_HMAC_KEY_BYTES = 64


@dataclass(frozen=True)
class Algorithm:
    name: str
    family: str  # "hmac", "rsa", "ec" or "eddsa": the kind of key it signs with
    key_type: str  # the JWK "kty" of its keys
    hash_bytes: int  # size of its SHA-2 hash; an HMAC key is at least this long
    curve: str | None = None  # the JWK "crv" (also openssl's name) of EC and EdDSA keys
    cryptography_curve: str | None = None  # the cryptography package's class for that curve

    @property
    def shares_a_secret(self) -> bool:
        """HMAC signs and verifies with one secret, which is never published."""
        return self.family == "hmac"

    @property
    def min_hmac_key_bytes(self) -> int:
        return self.hash_bytes


ALGORITHMS = {
    algorithm.name: algorithm
    for algorithm in (
        Algorithm("HS256", "hmac", "oct", 32),
        Algorithm("HS384", "hmac", "oct", 48),
        Algorithm("HS512", "hmac", "oct", 64),
        Algorithm("RS256", "rsa", "RSA", 32),
        Algorithm("RS384", "rsa", "RSA", 48),
        Algorithm("RS512", "rsa", "RSA", 64),
        Algorithm("PS256", "rsa", "RSA", 32),
        Algorithm("PS384", "rsa", "RSA", 48),
        Algorithm("PS512", "rsa", "RSA", 64),
        Algorithm("ES256", "ec", "EC", 32, "P-256", "SECP256R1"),
        Algorithm("ES384", "ec", "EC", 48, "P-384", "SECP384R1"),
        Algorithm("ES512", "ec", "EC", 64, "P-521", "SECP521R1"),
        Algorithm("EdDSA", "eddsa", "OKP", 64, "Ed25519"),
    )
}
