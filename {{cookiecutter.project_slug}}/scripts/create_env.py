{%- set family = {"HS": "hmac", "RS": "rsa", "PS": "rsa", "ES": "ec", "Ed": "eddsa"}[cookiecutter.jwt_algorithm[:2]] -%}
#!/usr/bin/env python3
{% if family == "hmac" -%}
"""Write .env with fresh secrets.

The template ran this when it made the project; run it (``make .env``) in
every new checkout, since .env is never committed. It copies .env.example
and fills in the secrets. It never overwrites a file: delete .env first to
make new ones.
"""
{% else -%}
"""Write .env with fresh secrets, and keys/ with a new key pair.

The template ran this when it made the project; run it (``make .env``) in
every new checkout, since .env and keys/ are never committed. It copies
.env.example and fills in the secrets. The key pair comes from the
cryptography package when it is importable, from the openssl command
otherwise. It never overwrites a file: delete .env (or the keys) first to
make new ones.
"""
{% endif %}
from __future__ import annotations

import os
import secrets
{%- if family != "hmac" %}
import subprocess
{%- endif %}
import sys
from collections.abc import Mapping
from pathlib import Path

SECRET_KEY_BYTES = 50
{%- if family == "hmac" %}
HMAC_KEY_BYTES = 64  # as long as the largest HMAC hash, SHA-512
{%- elif family == "rsa" %}
RSA_KEY_BITS = 3072
{%- elif family == "ec" %}
CURVE = "{{ {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[cookiecutter.jwt_algorithm] }}"
{%- endif %}
{%- if family != "hmac" %}


def private_key_with_cryptography():
{%- if family == "rsa" %}
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
{%- elif family == "ec" %}
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.{{ {"ES256": "SECP256R1", "ES384": "SECP384R1", "ES512": "SECP521R1"}[cookiecutter.jwt_algorithm] }}())
{%- else %}
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519.Ed25519PrivateKey.generate()
{%- endif %}


def key_pair_with_cryptography():
    """Return (private PEM, public PEM) made by the cryptography package."""
    from cryptography.hazmat.primitives import serialization

    private_key = private_key_with_cryptography()
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


# openssl genpkey options for the same key.
{%- if family == "rsa" %}
GENPKEY_OPTIONS = ["-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{RSA_KEY_BITS}"]
{%- elif family == "ec" %}
GENPKEY_OPTIONS = [
    "-algorithm",
    "EC",
    "-pkeyopt",
    f"ec_paramgen_curve:{CURVE}",
    "-pkeyopt",
    "ec_param_enc:named_curve",
]
{%- else %}
GENPKEY_OPTIONS = ["-algorithm", "ED25519"]
{%- endif %}


def key_pair_with_openssl():
    """Return (private PEM, public PEM) made by the openssl command."""
    private_pem = subprocess.run(
        ["openssl", "genpkey", *GENPKEY_OPTIONS],
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


def make_key_pair():
    """Make a key pair with cryptography if it is importable, else with openssl."""
    try:
        return key_pair_with_cryptography()
    except ImportError:
        return key_pair_with_openssl()


def write_key_pair(private_path: Path, public_path: Path) -> None:
    """Create the key pair files, unless the private key is already there."""
    if private_path.exists():
        return
    private_pem, public_pem = make_key_pair()
    private_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private_file(private_path, private_pem)
    public_path.write_text(public_pem, encoding="utf-8")


def read_variables(text: str) -> dict[str, str]:
    """The NAME=value lines of an env file (comments and blank lines skipped)."""
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {name: value for name, value in pairs if not name.startswith("#")}
{%- endif %}


def write_private_file(path: Path, content: str) -> None:
    """Write ``content`` to a new file that only its owner can read (mode 0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)


def generate_secrets() -> dict[str, str]:
    """Return the secret variables of .env, fresh on every call."""
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(SECRET_KEY_BYTES),
{%- if family == "hmac" %}
        "JWT_SIGNING_KEY": secrets.token_urlsafe(HMAC_KEY_BYTES),
{%- endif %}
    }


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
{%- if family != "hmac" %}
    variables = read_variables(example)
    write_key_pair(
        base_dir / variables["JWT_PRIVATE_KEY_FILE"],
        base_dir / variables["JWT_PUBLIC_KEY_FILE"],
    )
{%- endif %}
    write_private_file(env_file, fill_env(example, generate_secrets()))


if __name__ == "__main__":
    create_env(Path(__file__).resolve().parent.parent)
