"""Run a baked project's commands as steps that say how to reproduce a failure.

Each step runs a real command in the baked project. A failing step names
the variant, the step and the command to type to see it again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.audits import leftover_jinja
from tests.matrix import Variant

BIN = Path(sys.executable).parent
OPENAPI_PLUGINS = ["-p", "no:schemathesis", "-p", "no:hypothesispytest"]


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
    run_step(project, name, "ruff check", [str(BIN / "ruff"), "check", "."])
    run_step(project, name, "ruff format", [str(BIN / "ruff"), "format", "--check", "."])
    if run_tests:
        run_suite(project, variant, name)


def run_suite(project: Path, variant: Variant, name: str) -> None:
    """Run the project's own pytest, its asserts plain, and again rewritten if it fails.

    Rewriting the asserts of a new bake's test modules costs each variant a
    second; the message of a failure needs it to show the values compared.
    """
    tests = [path for path in variant.tests if (project / path).exists()]
    # Only the OpenAPI tests use schemathesis and Hypothesis, and a part of the
    # suite (the key tests) never includes them: it starts without their
    # plugins, half a second sooner. No part named is the whole suite.
    unused = OPENAPI_PLUGINS if tests else []
    # The shared virtualenv's own plugins (pytest-cookies, xdist) stay out.
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:cookies"]
    arguments = ["-p", "no:xdist", *unused, *tests]
    # A second run reuses the plugin modules whose asserts an earlier one rewrote.
    env = {**variant.service_env(), "PYTHONDONTWRITEBYTECODE": ""}
    try:
        run_step(project, name, "pytest", [*pytest, "--assert=plain", *arguments], env)
    except VariantCheckError as plain_failure:
        run_step(project, name, "pytest", [*pytest, *arguments], env)
        raise plain_failure from None  # it passed the second time: a flaky test
