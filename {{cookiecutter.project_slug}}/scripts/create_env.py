#!/usr/bin/env python3
"""Write .env with a fresh DJANGO_SECRET_KEY, and the key set with its first signing key.

The template ran this when it made the project; run it (``make .env``) in
every new checkout, since .env and keys/ are never committed. It copies
.env.example and fills in the secret, and makes a key of the kind
JWT_ALGORITHM needs in JWT_KEYS_DIR (see signing_keys/keyset.py), each unless it
is there already: it never overwrites a file. Later keys come from
``manage.py jwt_keys rotate``.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # runs before anything is installed: no Django needed

from signing_keys.algorithms import ALGORITHMS  # noqa: E402
from signing_keys.keyset import create_key_set, write_private_file  # noqa: E402

SECRET_KEY_BYTES = 50


def read_variables(text: str) -> dict[str, str]:
    """The NAME=value lines of an env file (comments and blank lines skipped)."""
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {name: value for name, value in pairs if not name.startswith("#")}


def generate_secrets() -> dict[str, str]:
    """Return the secret variables of .env, fresh on every call."""
    return {"DJANGO_SECRET_KEY": secrets.token_urlsafe(SECRET_KEY_BYTES)}


def fill_env(example: str, values: Mapping[str, str]) -> str:
    """Copy .env.example, giving each variable in ``values`` its value."""
    lines = []
    for line in example.splitlines():
        name = line.partition("=")[0]
        lines.append(f"{name}={values[name]}" if name in values else line)
    return "\n".join(lines) + "\n"


def create_env(base_dir: Path) -> None:
    example = (base_dir / ".env.example").read_text(encoding="utf-8")
    variables = read_variables(example)
    keys = base_dir / variables["JWT_KEYS_DIR"]
    made_keys = create_key_set(keys, ALGORITHMS[variables["JWT_ALGORITHM"]])
    env_file = base_dir / ".env"
    if not env_file.exists():
        write_private_file(env_file, fill_env(example, generate_secrets()))
    elif not made_keys:
        print(f"{env_file} and {keys} exist already: kept. Delete them to make new secrets.")


if __name__ == "__main__":
    create_env(BASE_DIR)
