#!/usr/bin/env python3
"""Write .env with fresh secrets, and keys/ for the algorithms that sign with a key pair.

The template ran this when it made the project; run it (``make .env``) in
every new checkout, since .env and keys/ are never committed. It copies
.env.example and fills in the secrets. Key pairs come from the cryptography
package when it is importable, from the openssl command otherwise. It never
overwrites a file: delete .env (or the keys) first to make new ones.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

RSA_KEY_BITS: Final = 3072
EC_CURVES: Final = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
HMAC_KEY_BYTES: Final = 64  # as long as the largest HMAC hash, SHA-512
SECRET_KEY_BYTES: Final = 50
PRIVATE_KEY_FILE: Final = "JWT_PRIVATE_KEY_FILE"
PUBLIC_KEY_FILE: Final = "JWT_PUBLIC_KEY_FILE"


def key_family(algorithm: str) -> str:
    """Name the kind of key an algorithm signs with: hmac, rsa, ec or eddsa."""
    if algorithm.startswith("HS"):
        return "hmac"
    if algorithm.startswith(("RS", "PS")):
        return "rsa"
    if algorithm.startswith("ES"):
        return "ec"
    return "eddsa"


def private_key_with_cryptography(algorithm: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    family = key_family(algorithm)
    if family == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    if family == "ec":
        curve = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
        return ec.generate_private_key(curve[EC_CURVES[algorithm]]())
    return ed25519.Ed25519PrivateKey.generate()


def key_pair_with_cryptography(algorithm: str) -> tuple[str, str]:
    """Return (private PEM, public PEM) made by the cryptography package."""
    from cryptography.hazmat.primitives import serialization

    private_key = private_key_with_cryptography(algorithm)
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo,
    )
    return private_pem.decode(), public_pem.decode()


def openssl_genpkey_options(algorithm: str) -> list[str]:
    family = key_family(algorithm)
    if family == "rsa":
        return ["-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{RSA_KEY_BITS}"]
    if family == "ec":
        return [
            "-algorithm",
            "EC",
            "-pkeyopt",
            f"ec_paramgen_curve:{EC_CURVES[algorithm]}",
            "-pkeyopt",
            "ec_param_enc:named_curve",
        ]
    return ["-algorithm", "ED25519"]


def key_pair_with_openssl(algorithm: str) -> tuple[str, str]:
    """Return (private PEM, public PEM) made by the openssl command."""
    private_pem = subprocess.run(
        ["openssl", "genpkey", *openssl_genpkey_options(algorithm)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    public_pem = subprocess.run(
        ["openssl", "pkey", "-pubout"],
        input=private_pem,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return private_pem, public_pem


def make_key_pair(algorithm: str) -> tuple[str, str]:
    """Make a key pair with cryptography if it is importable, else with openssl."""
    try:
        return key_pair_with_cryptography(algorithm)
    except ImportError:
        return key_pair_with_openssl(algorithm)


def write_private_file(path: Path, content: str) -> None:
    """Write ``content`` to a new file that only its owner can read (mode 0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)


def write_key_pair(algorithm: str, private_path: Path, public_path: Path) -> None:
    """Create the key pair files, unless the private key is already there."""
    if private_path.exists():
        return
    private_pem, public_pem = make_key_pair(algorithm)
    private_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private_file(private_path, private_pem)
    public_path.write_text(public_pem, encoding="utf-8")


def generate_secrets(algorithm: str) -> dict[str, str]:
    """Return the secret variables of .env, fresh on every call."""
    values = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(SECRET_KEY_BYTES)}
    if key_family(algorithm) == "hmac":
        values["JWT_SIGNING_KEY"] = secrets.token_urlsafe(HMAC_KEY_BYTES)
    return values


def read_variables(text: str) -> dict[str, str]:
    """The NAME=value lines of an env file (comments and blank lines skipped)."""
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {name: value for name, value in pairs if not name.startswith("#")}


def fill_env(example: str, values: Mapping[str, str]) -> str:
    """Copy .env.example, giving each variable in ``values`` its value."""
    lines = []
    for line in example.splitlines():
        name = line.partition("=")[0]
        lines.append(f"{name}={values[name]}" if name in values else line)
    return "\n".join(lines) + "\n"


def create_env(base_dir: Path) -> None:
    env_file = base_dir / ".env"
    if env_file.exists():
        sys.exit(f"{env_file} exists already; delete it first to make new secrets.")
    example = (base_dir / ".env.example").read_text(encoding="utf-8")
    variables = read_variables(example)
    algorithm = variables["JWT_ALGORITHM"]
    if key_family(algorithm) != "hmac":
        write_key_pair(
            algorithm,
            base_dir / variables[PRIVATE_KEY_FILE],
            base_dir / variables[PUBLIC_KEY_FILE],
        )
    write_private_file(env_file, fill_env(example, generate_secrets(algorithm)))


if __name__ == "__main__":
    create_env(Path(__file__).resolve().parent.parent)
