"""Every baked project's requirements.lock pins exactly what its pyproject.toml asks for.

The locks come from ``make lock`` (tests/locks.py), one per set of
dependencies; the bake only picks one, with no network, and drops the
packages its options do not use. Each lock is checked as the bake keeps it,
against pyproject.toml as the bake renders it; two real bakes show that the
bake keeps exactly those.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hooks.post_gen_project import lock_name, unused_packages, without_packages
from tests.locks import COMPILE, LOCKS, dependency_variants, render_pyproject
from tests.matrix import TEMPLATE_PROJECT, Variant

pytestmark = pytest.mark.slow

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(lock)}


def wanted(pyproject_text: str) -> list[Requirement]:
    pyproject = tomllib.loads(pyproject_text)
    lines = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    return [Requirement(line) for line in lines]


def kept_lock(answers: dict) -> str:
    """The requirements.lock a bake with ``answers`` keeps: its lock, unused packages dropped."""
    with contextlib.chdir(TEMPLATE_PROJECT):  # where the hook reads the algorithm facts
        name = lock_name(answers)
        unused = unused_packages(answers)
    return without_packages((LOCKS / f"{name}.txt").read_text(), unused)


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
LOCK_VARIANTS = [*dependency_variants(), Variant({"mfa": False})]


@pytest.mark.parametrize("variant", LOCK_VARIANTS, ids=lambda variant: variant.id)
def test_each_lock_the_bake_keeps_pins_exactly_the_dependencies_of_its_pyproject(variant):
    answers = variant.answers()
    locked = pins(kept_lock(answers))
    requirements = wanted(render_pyproject(answers))

    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in requirements.lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), requirement
        assert extra_names(requirement) <= set(locked), f"{requirement}: an extra is not locked"
    unneeded = set(locked) - reachable(requirements)
    assert not unneeded, f"requirements.lock pins what pyproject.toml does not ask for: {unneeded}"


@pytest.mark.parametrize("variant", [Variant(), Variant({"mfa": False})], ids=lambda v: v.id)
def test_a_bake_keeps_its_lock_and_nothing_of_the_others(bake, variant):
    project = bake(**variant.overrides)

    assert (project / "requirements.lock").read_text() == kept_lock(variant.answers())
    assert (project / "pyproject.toml").read_text() == render_pyproject(variant.answers())
    assert not (project / "locks").exists()


def test_the_projects_make_lock_runs_the_command_the_template_locks_with(bake):
    makefile = (bake() / "Makefile").read_text()
    target = makefile.split("\nlock:", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    command = shlex.split(target.split("\n", 1)[1])

    assert command == ["$(BIN)/uv", *COMPILE]
    assert "--require-hashes" in makefile
    assert "-r requirements.lock" in makefile
