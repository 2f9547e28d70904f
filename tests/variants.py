"""Variants of the template, and the checks every baked variant must pass.

Each step runs a real command in the baked project. A failing step names
the variant, the step and the command to run by hand.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON: dict[str, Any] = json.loads(
    (ROOT / "cookiecutter.json").read_text(encoding="utf-8")
)
BIN = Path(sys.executable).parent
LEFTOVER_JINJA = re.compile(r"{{|{%|cookiecutter")
PRODUCTION_ENV = {"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "api.example.com"}
SHORT_NAMES = {
    "jwt_algorithm": "alg",
    "token_storage": "storage",
    "database": "db",
    "rotate_refresh_tokens": "rotate",
    "user_registration": "register",
    "throttling": "throttle",
}


def choices(option: str) -> list[Any]:
    """The values an option can take, as cookiecutter.json declares them."""
    default = COOKIECUTTER_JSON[option]
    if isinstance(default, list):
        return default
    if isinstance(default, bool):
        return [default, not default]
    return [default]


def default_of(option: str) -> Any:
    default = COOKIECUTTER_JSON[option]
    return default[0] if isinstance(default, list) else default


@dataclass(frozen=True)
class Variant:
    """Answers that differ from the defaults; ``id`` names them for humans."""

    overrides: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        if not self.overrides:
            return "defaults"
        return "-".join(
            f"{SHORT_NAMES.get(name, name)}={format_value(value)}"
            for name, value in self.overrides.items()
        )

    def answer(self, option: str) -> Any:
        return self.overrides.get(option, default_of(option))

    def service_env(self) -> dict[str, str]:
        """Environment that gives this variant its own PostgreSQL database."""
        if self.answer("database") != "postgresql":
            return {}
        return {"DATABASE_URL": f"postgres:///variant_{uuid.uuid4().hex[:12]}"}

    def production_env(self) -> dict[str, str]:
        """What production sets: DEBUG off, a host, and a shared throttle cache."""
        env = {**PRODUCTION_ENV, **self.service_env()}
        if self.answer("throttling") and self.answer("cache") == "locmem":
            env["CACHE_URL"] = "dbcache://cache_table"
        return env


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def single_value_variants() -> list[Variant]:
    """One variant for each value an option can take other than its default."""
    return [
        Variant({option: value})
        for option in COOKIECUTTER_JSON
        if not option.startswith("_")
        for value in choices(option)[1:]
    ]


class VariantCheckError(AssertionError):
    pass


def run_step(
    project: Path,
    variant: str,
    step: str,
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one step in ``project``; fail with what to type to see it again."""
    environment = {**os.environ, **(env or {})}
    result = subprocess.run(
        list(command),
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        prefix = " ".join(f"{name}={value}" for name, value in (env or {}).items())
        by_hand = f"cd {project} && {prefix + ' ' if prefix else ''}{' '.join(command)}"
        raise VariantCheckError(
            f"variant {variant}: step '{step}' failed (exit {result.returncode}).\n"
            f"Reproduce: {by_hand}\n--- stdout\n{result.stdout[-4000:]}\n"
            f"--- stderr\n{result.stderr[-4000:]}"
        )
    return result


def text_files(project: Path) -> list[Path]:
    paths = []
    for path in sorted(project.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            try:
                path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            paths.append(path)
    return paths


def leftover_jinja(project: Path) -> list[str]:
    """Lines of the baked project that still hold template syntax."""
    found = []
    for path in text_files(project):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LEFTOVER_JINJA.search(line):
                found.append(f"{path.relative_to(project)}:{number}: {line.strip()}")
    return found


def check_variant(
    project: Path, variant: Variant, *, name: str | None = None, run_tests: bool = True
) -> None:
    """Lint, check and test a baked project, as its own `make test` would."""
    name = name or variant.id
    leftovers = leftover_jinja(project)
    assert not leftovers, f"variant {name}: template syntax left:\n" + "\n".join(leftovers)
    python = sys.executable
    services = variant.service_env()
    run_step(project, name, "ruff check", [str(BIN / "ruff"), "check", "."])
    run_step(project, name, "ruff format", [str(BIN / "ruff"), "format", "--check", "."])
    run_step(
        project, name, "manage.py check", [python, "manage.py", "check", "--fail-level", "WARNING"]
    )
    run_step(
        project,
        name,
        "makemigrations --check",
        [python, "manage.py", "makemigrations", "--check", "--dry-run"],
    )
    run_step(
        project,
        name,
        "check --deploy",
        [python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=variant.production_env(),
    )
    if run_tests:
        run_step(
            project,
            name,
            "pytest",
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            env=services,
        )
