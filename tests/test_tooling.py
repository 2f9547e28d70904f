"""The tooling a baked project ships: pre-commit and its GitHub Actions workflow."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.matrix import ROOT, Variant
from tests.steps import BIN, run_step

pytestmark = pytest.mark.slow


def ruff_pin(pre_commit_config: Path) -> set[str]:
    config = yaml.safe_load(pre_commit_config.read_text())
    return {
        dependency
        for repo in config["repos"]
        for hook in repo["hooks"]
        for dependency in hook.get("additional_dependencies", [])
        if dependency.startswith("ruff")
    }


def run_pre_commit_in_a_new_repository(folder: Path, name: str) -> None:
    for command in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *command], cwd=folder, check=True)
    run_step(
        folder,
        name,
        "pre-commit",
        [str(BIN / "pre-commit"), "run", "--all-files", "--show-diff-on-failure"],
    )


def test_pre_commit_runs_clean_on_a_baked_project(bake):
    run_pre_commit_in_a_new_repository(bake(), "defaults")


def test_pre_commit_runs_clean_on_the_template_itself(tmp_path):
    copy = tmp_path / "template"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", ".demo", "__pycache__")
    )

    run_pre_commit_in_a_new_repository(copy, "template")


@pytest.mark.parametrize("where", ["template", "baked project"])
def test_pre_commit_configs_are_valid_and_pin_the_ruff_of_make_test(bake, where):
    folder = ROOT if where == "template" else bake()
    config = folder / ".pre-commit-config.yaml"
    pyproject = tomllib.loads((folder / "pyproject.toml").read_text())
    groups = pyproject["dependency-groups"]
    ruff_requirements = {item for group in groups.values() for item in group if "ruff" in item}

    run_step(
        folder, where, "validate-config", [str(BIN / "pre-commit"), "validate-config", str(config)]
    )
    assert ruff_pin(config) == ruff_requirements


@pytest.mark.parametrize(
    "variant",
    [Variant(), Variant({"database": "postgresql", "cache": "redis"})],
    ids=lambda variant: variant.id,
)
def test_the_workflow_is_valid_and_runs_make_test(bake, variant):
    project = bake(**variant.overrides)
    workflow_file = project / ".github" / "workflows" / "ci.yml"
    workflow = yaml.safe_load(workflow_file.read_text())
    [job] = workflow["jobs"].values()

    run_step(
        project,
        variant.id,
        "workflow schema",
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow_file),
        ],
    )
    assert [step["run"] for step in job["steps"] if "run" in step] == ["make test"]
    services = set(job.get("services", {}))
    assert ("postgres" in services) == (variant.answer("database") == "postgresql")
    assert ("redis" in services) == (variant.answer("cache") == "redis")
    if variant.answer("database") == "postgresql":
        assert job["env"]["DATABASE_URL"].startswith("postgres://")


def test_make_test_of_a_baked_project_runs_lint_and_pytest(bake):
    """The workflow's one command does what the README promises."""
    makefile = (bake() / "Makefile").read_text()
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]

    assert "lint" in recipe.splitlines()[0]
    assert "-m pytest" in recipe
    assert "ruff check ." in lint
    assert "ruff format --check ." in lint
