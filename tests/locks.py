"""The lock files a baked project installs from, one per set of dependencies.

The options change a project's dependencies in four ways: a key pair needs
``cryptography`` (simplejwt's ``crypto`` extra), passkeys need webauthn (and
so cryptography too), PostgreSQL needs psycopg and the Redis cache needs
redis. The template ships one lock file per
combination in ``{{cookiecutter.project_slug}}/locks/``, resolved here with
uv exactly as the project's own ``make lock`` resolves it; the post-gen hook
keeps the matching one as ``requirements.lock``. So a bake needs no network,
and only this command does. Run it after changing the project's
pyproject.toml, from the repository root::

    make lock          # python -m tests.locks

``tests/test_locks.py`` checks that every baked lock agrees with its
pyproject.toml. Not a test: pytest collects only ``test_*.py``.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from cookiecutter.environment import StrictEnvironment

from hooks.post_gen_project import LOCK_FILE, lock_name
from tests.matrix import COOKIECUTTER_JSON, ROOT, TEMPLATE_PROJECT, Variant, choices
from tests.steps import BIN

LOCKS = TEMPLATE_PROJECT / "locks"
# The options that can change the dependencies; lock_name says how.
DEPENDENCY_OPTIONS = ("jwt_algorithm", "passkeys", "database", "cache")
# The command in the project's Makefile (`make lock`), which the lock's header names.
COMPILE = [
    "pip",
    "compile",
    "pyproject.toml",
    "--group",
    "dev",
    "--universal",
    "--generate-hashes",
    "--no-annotate",
    "--custom-compile-command",
    "make lock",
    "--quiet",
    "--output-file",
    LOCK_FILE,
]


def dependency_variants() -> list[Variant]:
    """One variant per set of dependencies the options produce: the first to give each lock."""
    variants: dict[str, Variant] = {}
    with contextlib.chdir(TEMPLATE_PROJECT):  # where the hook reads the algorithm facts
        for values in itertools.product(*(choices(option) for option in DEPENDENCY_OPTIONS)):
            variant = Variant(dict(zip(DEPENDENCY_OPTIONS, values, strict=True)))
            variants.setdefault(lock_name(variant.answers()), variant)
    return list(variants.values())


def with_private_variables(answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` and the private variables cookiecutter.json computes (``__key_family``)."""
    context = dict(answers)
    environment = StrictEnvironment(context={"cookiecutter": context})
    for name, value in COOKIECUTTER_JSON.items():
        if name.startswith("__") and isinstance(value, str):
            context[name] = environment.from_string(value).render(cookiecutter=context)
    return context


def render_pyproject(answers: dict[str, Any]) -> str:
    """The project's pyproject.toml for ``answers``, rendered as cookiecutter renders it."""
    context = with_private_variables(answers)
    environment = StrictEnvironment(context={"cookiecutter": context}, keep_trailing_newline=True)
    source = (TEMPLATE_PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    template = environment.from_string(source)
    return template.render(cookiecutter=context)


def lock(variant: Variant) -> Path:
    """Resolve the lock of ``variant``'s dependencies into the template; return its path."""
    answers = variant.answers()
    with contextlib.chdir(TEMPLATE_PROJECT):  # where the hook reads the algorithm facts
        target = LOCKS / f"{lock_name(answers)}.txt"
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "pyproject.toml").write_text(render_pyproject(answers), encoding="utf-8")
        if target.exists():  # uv keeps the pins it may: only what changed moves
            shutil.copy(target, project / LOCK_FILE)
        subprocess.run([str(BIN / "uv"), *COMPILE], cwd=project, check=True)
        shutil.copy(project / LOCK_FILE, target)
    return target


def main() -> None:
    LOCKS.mkdir(exist_ok=True)
    for variant in dependency_variants():
        print(f"{lock(variant).relative_to(ROOT)}  ({variant.id})")


if __name__ == "__main__":
    main()
