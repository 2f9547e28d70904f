"""Every baked project's requirements.lock pins exactly what its pyproject.toml asks for.

The locks come from ``make lock`` (tests/locks.py), one per set of
dependencies; the bake only picks one, with no network.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.locks import COMPILE, dependency_variants
from tests.matrix import Variant

pytestmark = pytest.mark.slow

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(lock.read_text())}


def wanted(project: Path) -> list[Requirement]:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    lines = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    return [Requirement(line) for line in lines]


def extra_names(requirement: Requirement) -> set[str]:
    """The packages that ``requirement``'s extras add, from the installed metadata."""
    names = set()
    for line in metadata.requires(requirement.name) or []:
        dependency = Requirement(line)
        if dependency.marker and any(
            dependency.marker.evaluate({"extra": extra}) for extra in requirement.extras
        ):
            names.add(canonicalize_name(dependency.name))
    return names


def reachable(requirements: list[Requirement]) -> set[str]:
    """Every package the requirements can pull in, on any platform."""
    seen: set[str] = set()
    todo = [(requirement.name, requirement.extras) for requirement in requirements]
    while todo:
        name, extras = todo.pop()
        name = canonicalize_name(name)
        if name in seen and not extras:
            continue
        seen.add(name)
        try:
            lines = metadata.requires(name) or []
        except metadata.PackageNotFoundError:  # a package for another platform only
            continue
        for line in lines:
            dependency = Requirement(line)
            marker = str(dependency.marker or "")
            if "extra ==" in marker and not any(
                dependency.marker.evaluate({"extra": extra}) for extra in extras
            ):
                continue
            todo.append((dependency.name, dependency.extras))
    return seen


# Each lock once, and MFA off once: its packages leave the lock at the bake.
@pytest.mark.parametrize(
    "variant", [*dependency_variants(), Variant({"mfa": False})], ids=lambda variant: variant.id
)
def test_the_baked_lock_pins_exactly_the_dependencies_of_its_pyproject(bake, variant):
    project = bake(**variant.overrides)
    locked = pins(project / "requirements.lock")
    requirements = wanted(project)

    assert not (project / "locks").exists()
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in requirements.lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), requirement
        assert extra_names(requirement) <= set(locked), f"{requirement}: an extra is not locked"
    unneeded = set(locked) - reachable(requirements)
    assert not unneeded, f"requirements.lock pins what pyproject.toml does not ask for: {unneeded}"


def test_the_projects_make_lock_runs_the_command_the_template_locks_with(bake):
    makefile = (bake() / "Makefile").read_text()
    target = makefile.split("\nlock:", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    command = shlex.split(target.split("\n", 1)[1])

    assert command == ["$(BIN)/uv", *COMPILE]
    assert "--require-hashes" in makefile
    assert "-r requirements.lock" in makefile
