"""Finish the generated project: prune unused files, create secrets and keys.

Secrets are made here, never in the Jinja context, so they never reach
cookiecutter's replay file. They go to ``.env`` and ``keys/``, which the
generated ``.gitignore`` keeps out of version control.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

CONTEXT_JSON: Final = r"""{{ cookiecutter | tojson }}"""

ENV_EXAMPLE: Final = Path(".env.example")
ENV_FILE: Final = Path(".env")
KEYS_DIR: Final = Path("keys")
PRIVATE_KEY_FILE: Final = KEYS_DIR / "jwt-private.pem"
PUBLIC_KEY_FILE: Final = KEYS_DIR / "jwt-public.pem"

RSA_KEY_BITS: Final = 3072
EC_CURVES: Final = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
HMAC_KEY_BYTES: Final = 64  # as long as the largest HMAC hash, SHA-512
SECRET_KEY_BYTES: Final = 50

Answers = Mapping[str, Any]


def key_family(algorithm: str) -> str:
    """Name the kind of key an algorithm signs with: hmac, rsa, ec or eddsa."""
    if algorithm.startswith("HS"):
        return "hmac"
    if algorithm.startswith(("RS", "PS")):
        return "rsa"
    if algorithm.startswith("ES"):
        return "ec"
    return "eddsa"


def unused_paths(answers: Answers) -> list[str]:
    """List the files and folders that the chosen options do not need."""
    paths = []
    if not answers["throttling"]:
        paths.append("tests/test_throttling.py")
    if not answers["user_registration"]:
        paths.append("tests/test_registration.py")
    if answers["token_storage"] == "header":
        paths += ["jwt_auth/cookies.py", "tests/test_cookies.py"]
    if answers["token_storage"] == "cookie":
        paths.append("tests/test_tokens.py")
    return paths


def remove_paths(paths: Iterable[str]) -> None:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def write_private_file(path: Path, content: str) -> None:
    """Write ``content`` to a new file that only its owner can read (mode 0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)


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


def write_key_pair(algorithm: str) -> None:
    private_pem, public_pem = make_key_pair(algorithm)
    KEYS_DIR.mkdir(mode=0o700, exist_ok=True)
    write_private_file(PRIVATE_KEY_FILE, private_pem)
    PUBLIC_KEY_FILE.write_text(public_pem, encoding="utf-8")


def generate_secrets(algorithm: str) -> dict[str, str]:
    """Return the secret variables of ``.env``, fresh for every project."""
    values = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(SECRET_KEY_BYTES)}
    if key_family(algorithm) == "hmac":
        values["JWT_SIGNING_KEY"] = secrets.token_urlsafe(HMAC_KEY_BYTES)
    return values


def fill_env(example: str, values: Mapping[str, str]) -> str:
    """Copy ``.env.example``, giving each variable in ``values`` its value."""
    lines = []
    for line in example.splitlines():
        name = line.partition("=")[0]
        lines.append(f"{name}={values[name]}" if name in values else line)
    return "\n".join(lines) + "\n"


def write_env_file(algorithm: str) -> None:
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    write_private_file(ENV_FILE, fill_env(example, generate_secrets(algorithm)))


def print_next_steps(answers: Answers) -> None:
    slug = answers["project_slug"]
    print(
        f"\n{answers['project_name']} is ready in ./{slug}, its secrets in .env"
        f"{' and keys/' if key_family(answers['jwt_algorithm']) != 'hmac' else ''}"
        " (both git-ignored).\n\n"
        f"    cd {slug}\n"
        "    make run     # set up .venv, migrate, serve on http://127.0.0.1:8000\n"
        "    make test    # run the project's tests\n"
    )


def main() -> None:
    answers = json.loads(CONTEXT_JSON)
    algorithm = answers["jwt_algorithm"]
    remove_paths(unused_paths(answers))
    if key_family(algorithm) != "hmac":
        write_key_pair(algorithm)
    write_env_file(algorithm)
    print_next_steps(answers)


if __name__ == "__main__":
    main()
