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

from hooks.post_gen_project import load_algorithms

ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON: dict[str, Any] = json.loads(
    (ROOT / "cookiecutter.json").read_text(encoding="utf-8")
)
TEMPLATE_PROJECT = ROOT / "{{cookiecutter.project_slug}}"
# The generated project's facts about each algorithm: the one place they are written.
ALGORITHMS = load_algorithms(TEMPLATE_PROJECT / "jwt_auth" / "algorithms.py").ALGORITHMS
BIN = Path(sys.executable).parent
LEFTOVER_JINJA = re.compile(r"{{|{%|cookiecutter")
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

    def answers(self) -> dict[str, Any]:
        """Every answer, as the hooks receive them."""
        options = [name for name in COOKIECUTTER_JSON if not name.startswith("_")]
        return {**{name: self.answer(name) for name in options}, "project_slug": "acme_api"}

    def service_env(self) -> dict[str, str]:
        """Environment that gives this variant its own PostgreSQL database."""
        if self.answer("database") != "postgresql":
            return {}
        return {"DATABASE_URL": f"postgres:///variant_{uuid.uuid4().hex[:12]}"}


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def varying_options() -> list[str]:
    """The options that take more than one value, most values first."""
    options = [name for name in COOKIECUTTER_JSON if not name.startswith("_")]
    varying = [name for name in options if len(choices(name)) > 1]
    return sorted(varying, key=lambda name: -len(choices(name)))


def value_pairs(options: list[str]) -> set[tuple[tuple[str, Any], tuple[str, Any]]]:
    """Every pair of values of two different options."""
    return {
        ((first, first_value), (second, second_value))
        for index, first in enumerate(options)
        for second in options[index + 1 :]
        for first_value in choices(first)
        for second_value in choices(second)
    }


def pairs_of(row: Mapping[str, Any], options: list[str]) -> set:
    return {
        ((first, row[first]), (second, row[second]))
        for index, first in enumerate(options)
        for second in options[index + 1 :]
    }


def covering_array() -> list[Variant]:
    """Variants in which every pair of values of two options appears at least once.

    Greedy and deterministic: each row starts from the first pair not yet
    covered, then gives every other option the value that covers the most
    uncovered pairs (the earlier choice on a tie).
    """
    options = varying_options()
    uncovered = value_pairs(options)
    rows: list[dict[str, Any]] = []
    while uncovered:
        (first, first_value), (second, second_value) = min(
            uncovered, key=lambda pair: pair_order(pair, options)
        )
        row = {first: first_value, second: second_value}
        for option in options:
            if option not in row:
                row[option] = best_value(option, row, options, uncovered)
        uncovered -= pairs_of(row, options)
        rows.append(row)
    return [Variant(without_defaults(row)) for row in rows]


def best_value(option: str, row: Mapping[str, Any], options: list[str], uncovered: set) -> Any:
    """The value of ``option`` that covers the most uncovered pairs with ``row``."""

    def gain(value: Any) -> tuple[int, int]:
        candidate = {**row, option: value}
        chosen = [name for name in options if name in candidate]
        return len(pairs_of(candidate, chosen) & uncovered), -choices(option).index(value)

    return max(choices(option), key=gain)


def pair_order(pair, options: list[str]) -> tuple[int, ...]:
    (first, first_value), (second, second_value) = pair
    return (
        options.index(first),
        options.index(second),
        choices(first).index(first_value),
        choices(second).index(second_value),
    )


def without_defaults(row: Mapping[str, Any]) -> dict[str, Any]:
    return {option: value for option, value in row.items() if value != default_of(option)}


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


def text_files(project: Path) -> dict[Path, str]:
    """The text of every file of the project that is text."""
    texts = {}
    for path in sorted(project.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            try:
                texts[path] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return texts


def leftover_jinja(project: Path) -> list[str]:
    """Lines of the baked project that still hold template syntax."""
    return [
        f"{path.relative_to(project)}:{number}: {line.strip()}"
        for path, text in text_files(project).items()
        for number, line in enumerate(text.splitlines(), 1)
        if LEFTOVER_JINJA.search(line)
    ]


def files_out_of_place(project: Path, variant: Variant) -> list[str]:
    """Files the options need but are missing, and files present that they do not need."""
    storage = variant.answer("token_storage")
    publishes_keys = not ALGORITHMS[variant.answer("jwt_algorithm")].shares_a_secret
    wanted = {
        "jwt_auth/cookies.py": storage != "header",
        "tests/test_cookies.py": storage != "header",
        "jwt_auth/throttles.py": variant.answer("throttling"),
        "tests/test_throttling.py": variant.answer("throttling"),
        "tests/test_registration.py": variant.answer("user_registration"),
        "jwt_auth/jwks.py": publishes_keys,
        "tests/test_jwks.py": publishes_keys,
        "keys/keys.json": True,
        ".env": True,
        ".github/workflows/ci.yml": True,
    }
    return [
        f"{path} {'missing' if needed else 'not needed'}"
        for path, needed in wanted.items()
        if (project / path).exists() != needed
    ]


SETTINGS_VARIABLE = re.compile(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"')
EXAMPLE_VARIABLE = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
URL_PATH = re.compile(r'path\("([^"]+)"')


def undocumented(project: Path) -> list[str]:
    """Variables and endpoints the project uses but its README or .env.example omits."""
    settings = (project / "config" / "settings.py").read_text()
    example = (project / ".env.example").read_text()
    readme = (project / "README.md").read_text()
    used = set(SETTINGS_VARIABLE.findall(settings))
    listed = set(EXAMPLE_VARIABLE.findall(example))
    endpoints = {
        f"/api/auth/{route}"
        for app in ("jwt_auth", "accounts")
        for route in URL_PATH.findall((project / app / "urls.py").read_text())
    }
    return sorted(
        [f"{name} not in .env.example" for name in used - listed]
        + [f"{name} not in README.md" for name in (used | listed) if f"`{name}`" not in readme]
        + [f"{path} not in README.md" for path in endpoints if f"`{path}`" not in readme]
    )


def check_variant(
    project: Path, variant: Variant, *, name: str | None = None, run_tests: bool = True
) -> None:
    """Lint a baked project and run its own test suite, as its `make test` would.

    The suite runs the system checks, the missing-migrations check and
    ``check --deploy`` in production mode among its tests, so each of those
    fails by name in the pytest output.
    """
    name = name or variant.id
    leftovers = leftover_jinja(project)
    assert not leftovers, f"variant {name}: template syntax left:\n" + "\n".join(leftovers)
    python = sys.executable
    services = variant.service_env()
    run_step(project, name, "ruff check", [str(BIN / "ruff"), "check", "."])
    run_step(project, name, "ruff format", [str(BIN / "ruff"), "format", "--check", "."])
    if run_tests:
        run_step(
            project,
            name,
            "pytest",
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            env=services,
        )
