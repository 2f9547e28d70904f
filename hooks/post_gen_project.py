"""Finish the generated project: keep its lock file, prune unused files, create secrets.

Secrets are made after rendering, never in the Jinja context, so they never
reach cookiecutter's replay file. The project's own scripts/create_env.py
makes them (every new checkout runs it too), writing .env and keys/, which
the generated .gitignore keeps out of version control.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

CONTEXT_JSON: Final = r"""{{ cookiecutter | tojson }}"""

Answers = Mapping[str, Any]

LOCK_FILE: Final = "requirements.lock"
LOCKS: Final = Path("locks")


def lock_name(answers: Answers) -> str:
    """The name of the lock of the dependencies that ``answers`` give the project.

    The options add at most three: cryptography for a key pair, psycopg for
    PostgreSQL and redis for the Redis cache (``make lock`` in the template).
    """
    extras = [
        name
        for name, needed in (
            ("crypto", not answers["jwt_algorithm"].startswith("HS")),
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


def uses_cookies(answers: Answers) -> bool:
    return answers["token_storage"] != "header"


def throttles(answers: Answers) -> bool:
    return answers["throttling"]


def registers_users(answers: Answers) -> bool:
    return answers["user_registration"]


def caches_in_the_database(answers: Answers) -> bool:
    return answers["cache"] == "database"


# The files (and folders) that only some answers need, each with the test of whether they do.
OPTIONAL_FILES: Final[dict[str, Callable[[Answers], bool]]] = {
    "jwt_auth/cookies.py": uses_cookies,
    "tests/test_cookies.py": uses_cookies,
    "jwt_auth/throttles.py": throttles,
    "tests/test_throttling.py": throttles,
    "tests/test_registration.py": registers_users,
    "config/cache.py": caches_in_the_database,
    "config/migrations": caches_in_the_database,
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
    keys = "" if answers["jwt_algorithm"].startswith("HS") else " and keys/"
    print(
        f"\n{answers['project_name']} is ready in ./{slug}, its secrets in .env{keys}"
        " (git-ignored).\n\n"
        f"    cd {slug}\n"
        "    make run     # set up .venv, migrate, serve on http://127.0.0.1:8000\n"
        "    make test    # run the project's tests\n"
    )


def main() -> None:
    answers = json.loads(CONTEXT_JSON)
    keep_lock_file(answers)
    remove_paths(unused_paths(answers))
    create_secrets()
    print_next_steps(answers)


if __name__ == "__main__":
    main()
