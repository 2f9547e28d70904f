"""Finish the generated project: keep its lock file, prune unused files, create secrets.

Secrets are made after rendering, never in the Jinja context, so they never
reach cookiecutter's replay file. The project's own scripts/create_env.py
makes them (every new checkout runs it too), writing .env and keys/, which
the generated .gitignore keeps out of version control.

The facts about each algorithm come from the project's signing_keys/algorithms.py,
loaded by path: this hook runs in the generated project's folder.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Final

CONTEXT_JSON: Final = r"""{{ cookiecutter | tojson }}"""
ALGORITHMS_MODULE: Final = Path("signing_keys/algorithms.py")

Answers = Mapping[str, Any]

LOCK_FILE: Final = "requirements.lock"
LOCKS: Final = Path("locks")


def lock_name(answers: Answers) -> str:
    """The name of the lock of the dependencies that ``answers`` give the project.

    The options add at most four: cryptography for a key pair, webauthn for
    passkeys, psycopg for PostgreSQL and redis for the Redis cache (``make
    lock`` in the template). webauthn needs cryptography itself, so passkeys
    share one lock whatever the algorithm.
    """
    extras = [
        name
        for name, needed in (
            ("crypto", needs_key_pair(answers) or uses_passkeys(answers)),
            ("passkeys", uses_passkeys(answers)),
            ("postgresql", answers["database"] == "postgresql"),
            ("redis", answers["cache"] == "redis"),
        )
        if needed
    ]
    return "-".join(extras) or "base"


def keep_lock_file(answers: Answers) -> None:
    """Keep the one lock of this project's dependencies as requirements.lock."""
    (LOCKS / f"{lock_name(answers)}.txt").rename(LOCK_FILE)
    shutil.rmtree(LOCKS)
    lock = Path(LOCK_FILE)
    lock.write_text(without_packages(lock.read_text(), unused_packages(answers)))


def unused_packages(answers: Answers) -> list[str]:
    """The locked packages that the chosen options do not need (the locks hold them all)."""
    return [name for name, needed in OPTIONAL_PACKAGES.items() if not needed(answers)]


def without_packages(lock: str, names: Iterable[str]) -> str:
    """``lock`` without the pins of ``names``: each a line ``name==version \\`` and its hashes."""
    kept, dropping = [], False
    for line in lock.splitlines(keepends=True):
        if not line.startswith((" ", "#")):
            dropping = line.split("==", 1)[0] in names
        if not dropping:
            kept.append(line)
    return "".join(kept)


@functools.cache
def load_algorithms(path: Path = ALGORITHMS_MODULE) -> ModuleType:
    """The generated project's facts about each algorithm (a module that imports nothing else)."""
    spec = importlib.util.spec_from_file_location("signing_keys_algorithms", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def needs_key_pair(answers: Answers) -> bool:
    return not load_algorithms().ALGORITHMS[answers["jwt_algorithm"]].shares_a_secret


def hmac_algorithms() -> list[str]:
    return [name for name, facts in load_algorithms().ALGORITHMS.items() if facts.shares_a_secret]


def can_make_key_pair() -> bool:
    """Whether scripts/create_env.py will find a way to create an asymmetric key."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return shutil.which("openssl") is not None
    return True


def check_key_pair_can_be_made(answers: Answers) -> str | None:
    """One line naming the field if the chosen algorithm's key cannot be made here."""
    algorithm = answers["jwt_algorithm"]
    if needs_key_pair(answers) and not can_make_key_pair():
        return (
            f"jwt_algorithm: {algorithm!r} is not accepted; its key pair needs the "
            "cryptography package or the openssl command where cookiecutter runs: install one "
            f"(pip install cryptography) or choose one of {', '.join(hmac_algorithms())}."
        )
    return None


def uses_cookies(answers: Answers) -> bool:
    return answers["token_storage"] != "header"


def throttles(answers: Answers) -> bool:
    return answers["throttling"]


def registers_users(answers: Answers) -> bool:
    return answers["user_registration"]


def verifies_email(answers: Answers) -> bool:
    return answers["email_verification"] != "none"


def caches_in_the_database(answers: Answers) -> bool:
    return answers["cache"] == "database"


def uses_passkeys(answers: Answers) -> bool:
    return answers["passkeys"]


def has_mfa(answers: Answers) -> bool:
    return answers["mfa"]


# The files (and folders) that only some answers need, each with the test of whether they do.
OPTIONAL_FILES: Final[dict[str, Callable[[Answers], bool]]] = {
    "jwt_auth/cookies.py": uses_cookies,
    "jwt_auth/csrf.py": uses_cookies,
    "tests/test_cookies.py": uses_cookies,
    "api/throttles.py": throttles,
    "api/devices.py": throttles,
    "api/urls.py": throttles,
    "tests/test_throttling.py": throttles,
    "tests/test_registration.py": registers_users,
    "signing_keys/jwks.py": needs_key_pair,
    "signing_keys/urls.py": needs_key_pair,
    "tests/test_jwks.py": needs_key_pair,
    "config/cache.py": caches_in_the_database,
    "config/migrations": caches_in_the_database,
    "email_verification": verifies_email,
    "tests/test_email_verification.py": verifies_email,
    "passkeys": uses_passkeys,
    "tests/authenticator.py": uses_passkeys,
    "tests/test_passkeys.py": uses_passkeys,
    "mfa": has_mfa,
    "tests/test_mfa.py": has_mfa,
    "tests/test_mfa_required.py": has_mfa,
}


# The packages that only some answers need. They have no dependencies of their
# own, so every lock holds them and the bake drops them when unused: no lock
# per combination.
OPTIONAL_PACKAGES: Final[dict[str, Callable[[Answers], bool]]] = {
    "pyotp": has_mfa,
    "segno": has_mfa,
}


def unused_paths(answers: Answers) -> list[str]:
    """List the files that the chosen options do not need."""
    return [path for path, needed in OPTIONAL_FILES.items() if not needed(answers)]


def remove_paths(paths: Iterable[str]) -> None:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def create_secrets() -> None:
    subprocess.run([sys.executable, "scripts/create_env.py"], check=True)


def print_next_steps(answers: Answers) -> None:
    slug = answers["project_slug"]
    print(
        f"\n{answers['project_name']} is ready in ./{slug}, its secrets in .env and keys/"
        " (git-ignored).\n\n"
        f"    cd {slug}\n"
        "    make run     # set up .venv, migrate, serve on http://127.0.0.1:8000\n"
        "    make test    # run the project's tests\n"
        "    .venv/bin/python manage.py jwt_keys list    # the signing keys; rotate, retire\n"
    )


def main() -> None:
    answers = json.loads(CONTEXT_JSON)
    problem = check_key_pair_can_be_made(answers)
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        sys.exit(1)
    keep_lock_file(answers)
    remove_paths(unused_paths(answers))
    create_secrets()
    print_next_steps(answers)


if __name__ == "__main__":
    main()
