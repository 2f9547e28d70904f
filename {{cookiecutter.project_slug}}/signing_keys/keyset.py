{%- set hmac = cookiecutter.__key_family == "hmac" -%}
"""The key set: every key that verifies tokens, and the one of them that signs.

It lives in a directory (``JWT_KEYS_DIR``, ``keys/`` by default), which git
ignores:

    keys.json            {"signing": KID, "keys": [{"kid": KID, "created": TIME}, ...]}
{%- if hmac %}
    KID.secret           the HMAC secret of each key (mode 0600)
{%- else %}
    KID.public.pem       the public key of each key
    KID.private.pem      the private key of the key that signs (mode 0600)
{%- endif %}

or whole in the ``JWT_KEYS`` environment variable: the same JSON, each key
carrying its material inline ({% if hmac %}``"secret"``{% else %}``"public"``, and ``"private"`` for the signing key{% endif %}).

Plain Python without Django, so that scripts/create_env.py can make the
first key before anything is installed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
{%- if not hmac %}
import subprocess
{%- endif %}
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .algorithms import {% if hmac %}NEW_HMAC_KEY_BYTES{% else %}RSA_KEY_BITS{% endif %}, Algorithm

MANIFEST = "keys.json"
KID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
{%- if hmac %}
MATERIAL = {"secret": ".secret"}
VERIFYING = "secret"
{%- else %}
MATERIAL = {"public": ".public.pem", "private": ".private.pem"}
VERIFYING = "public"
{%- endif %}


class KeySetError(Exception):
    """The key set cannot be read, or a change to it is refused."""


@dataclass(frozen=True)
class Key:
    kid: str
    created: str
{%- if hmac %}
    secret: str

    @property
    def signing_material(self) -> str:
        return self.secret

    verifying_material = signing_material  # one secret signs and verifies
{%- else %}
    public: str
    private: str | None = None

    @property
    def signing_material(self) -> str | None:
        return self.private

    @property
    def verifying_material(self) -> str:
        return self.public
{%- endif %}


@dataclass(frozen=True)
class KeySet:
    signing_kid: str
    keys: tuple[Key, ...]

    def get(self, kid: str) -> Key | None:
        return next((key for key in self.keys if key.kid == kid), None)

    @property
    def signing_key(self) -> Key:
        return self.get(self.signing_kid)

    def manifest(self, *, with_material: bool = False) -> dict:
        """The JSON of keys.json, or with the material inline that of JWT_KEYS."""
        names = ("kid", "created", *MATERIAL) if with_material else ("kid", "created")

        def entry(key):
            return {name: getattr(key, name) for name in names if getattr(key, name)}

        return {"signing": self.signing_kid, "keys": [entry(key) for key in self.keys]}


def inline_material(entry: dict) -> dict:
    return {name: entry.get(name) for name in MATERIAL}


def parse_key(entry: dict, material_of) -> Key:
    kid = entry["kid"]
    if not isinstance(kid, str) or not KID_PATTERN.fullmatch(kid):
        raise KeySetError(f"the key set is not valid: {kid!r} is not a kid")
    material = {name: value for name, value in material_of(entry).items() if value}
    if VERIFYING not in material:
        raise KeySetError(f"key {kid}: its {VERIFYING} key is missing")
    return Key(kid, str(entry.get("created", "")), **material)


def parse_key_set(document: dict, material_of=inline_material) -> KeySet:
    """Check a manifest's shape; ``material_of(entry)`` gives each key's material."""
    try:
        signing_kid = document["signing"]
        keys = tuple(parse_key(entry, material_of) for entry in document["keys"])
    except (KeyError, TypeError) as error:
        raise KeySetError(f"the key set is not valid: {error!r} is missing or wrong") from error
    if len({key.kid for key in keys}) != len(keys):
        raise KeySetError("the key set is not valid: a kid appears twice")
    key_set = KeySet(signing_kid, keys)
    if key_set.signing_key is None or not key_set.signing_key.signing_material:
        raise KeySetError(f"the signing key {signing_kid!r} is missing from the key set")
    return key_set


def key_set_from_json(text: str) -> KeySet:
    """The key set held whole in JWT_KEYS."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise KeySetError(f"JWT_KEYS is not JSON: {error}") from error
    return parse_key_set(document)


def read_key_set(directory: Path) -> KeySet:
    """The key set stored in ``directory``."""
    try:
        document = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except OSError as error:
        raise KeySetError(
            f"JWT_KEYS_DIR: cannot read {directory / MANIFEST} ({error.strerror}); "
            "scripts/create_env.py makes a first one"
        ) from error
    except ValueError as error:
        raise KeySetError(f"{directory / MANIFEST} is not JSON: {error}") from error

    def material_of(entry):
        files = {name: directory / f"{entry['kid']}{suffix}" for name, suffix in MATERIAL.items()}
        return {name: path.read_text("utf-8") for name, path in files.items() if path.exists()}

    try:
        return parse_key_set(document, material_of)
    except OSError as error:
        message = f"JWT_KEYS_DIR: cannot read {error.filename} ({error.strerror})"
        raise KeySetError(message) from error


def write_private_file(path: Path, content: str) -> None:
    """Write ``content`` to a new file that only its owner can read (mode 0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)


def write_manifest(directory: Path, key_set: KeySet) -> None:
    """Replace keys.json in one step, so that no reader ever sees half of it."""
    draft = directory / f".{MANIFEST}.new"
    draft.write_text(json.dumps(key_set.manifest(), indent=2) + "\n", encoding="utf-8")
    draft.replace(directory / MANIFEST)
{%- if hmac %}


def new_key(algorithm: Algorithm) -> Key:
    """A fresh random secret, at least as long as ``algorithm``'s hash."""
    created = datetime.now(UTC).replace(microsecond=0)
    kid = f"{created:%Y%m%d}-{secrets.token_hex(4)}"
    length = max(NEW_HMAC_KEY_BYTES, algorithm.min_hmac_key_bytes)
    return Key(kid, created.isoformat(), secret=secrets.token_urlsafe(length))
{%- else %}


def private_key_with_cryptography(algorithm: Algorithm):
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if algorithm.family == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    if algorithm.family == "ec":
        return ec.generate_private_key(getattr(ec, algorithm.cryptography_curve)())
    return ed25519.Ed25519PrivateKey.generate()


def key_pair_with_cryptography(algorithm: Algorithm) -> tuple[str, str]:
    """(private PEM, public PEM) made by the cryptography package."""
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


def genpkey_options(algorithm: Algorithm) -> list[str]:
    """openssl genpkey options for the key that cryptography would make."""
    if algorithm.family == "rsa":
        return ["-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{RSA_KEY_BITS}"]
    if algorithm.family == "ec":
        return [
            "-algorithm",
            "EC",
            "-pkeyopt",
            f"ec_paramgen_curve:{algorithm.curve}",
            "-pkeyopt",
            "ec_param_enc:named_curve",
        ]
    return ["-algorithm", algorithm.curve]


def key_pair_with_openssl(algorithm: Algorithm) -> tuple[str, str]:
    """(private PEM, public PEM) made by the openssl command."""
    private_pem = subprocess.run(
        ["openssl", "genpkey", *genpkey_options(algorithm)],
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


def make_key_pair(algorithm: Algorithm) -> tuple[str, str]:
    """A key pair from cryptography if it is importable, else from openssl."""
    try:
        return key_pair_with_cryptography(algorithm)
    except ImportError:
        return key_pair_with_openssl(algorithm)


def new_key(algorithm: Algorithm) -> Key:
    """A fresh key pair of the kind and strength ``algorithm`` needs."""
    created = datetime.now(UTC).replace(microsecond=0)
    kid = f"{created:%Y%m%d}-{secrets.token_hex(4)}"
    private_pem, public_pem = make_key_pair(algorithm)
    return Key(kid, created.isoformat(), public=public_pem, private=private_pem)
{%- endif %}


def write_key(directory: Path, key: Key) -> None:
    """Write the material of ``key``; {% if hmac %}the secret is{% else %}the private key is{% endif %} readable by its owner only."""
{%- if hmac %}
    write_private_file(directory / f"{key.kid}{MATERIAL['secret']}", key.secret)
{%- else %}
    (directory / f"{key.kid}{MATERIAL['public']}").write_text(key.public, encoding="utf-8")
    write_private_file(directory / f"{key.kid}{MATERIAL['private']}", key.private)
{%- endif %}


def delete_key_files(directory: Path, kid: str) -> None:
    for suffix in MATERIAL.values():
        (directory / f"{kid}{suffix}").unlink(missing_ok=True)


def create_key_set(directory: Path, algorithm: Algorithm) -> bool:
    """Make the first signing key in ``directory``, unless it holds a key set already."""
    if (directory / MANIFEST).exists():
        return False
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = new_key(algorithm)
    write_key(directory, key)
    write_manifest(directory, KeySet(key.kid, (key,)))
    return True


def rotate(directory: Path, algorithm: Algorithm) -> Key:
    """Add a fresh key that signs from now on; the earlier keys keep verifying."""
    key_set = read_key_set(directory)
    key = new_key(algorithm)
    write_key(directory, key)
    write_manifest(directory, KeySet(key.kid, (key, *key_set.keys)))
{%- if not hmac %}
    # The former signing key only verifies now: its private half is no longer needed.
    (directory / f"{key_set.signing_kid}{MATERIAL['private']}").unlink()
{%- endif %}
    return key


def retire(directory: Path, kid: str) -> None:
    """Drop the key ``kid``: tokens it signed are refused from the next start on."""
    key_set = read_key_set(directory)
    if kid == key_set.signing_kid:
        raise KeySetError(f"{kid} is the key that signs; rotate first, then retire it")
    if key_set.get(kid) is None:
        raise KeySetError(f"there is no key {kid!r} (jwt_keys list shows them)")
    remaining = tuple(key for key in key_set.keys if key.kid != kid)
    write_manifest(directory, KeySet(key_set.signing_kid, remaining))
    delete_key_files(directory, kid)
