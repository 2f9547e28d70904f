"""Bake the template for real and check what comes out."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.locks import render_pyproject
from tests.matrix import ROOT, Variant
from tests.steps import check_variant, run_step

pytestmark = pytest.mark.slow


def env_values(project: Path) -> dict[str, str]:
    lines = (project / ".env").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def signing_secret(project: Path) -> str:
    """The text of the signing key's owner-only file: its HMAC secret or private key."""
    signing_kid = json.loads((project / "keys" / "keys.json").read_text())["signing"]
    [path] = [
        path
        for path in (project / "keys").glob(f"{signing_kid}.*")
        if stat.S_IMODE(path.stat().st_mode) == 0o600
    ]
    return path.read_text()


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project, check=True, capture_output=True, text=True
    ).stdout


def test_secrets_are_private_and_never_tracked(bake):
    project = bake(jwt_algorithm="ES256")
    git(project, "init", "-q")
    git(project, "add", "-A")
    tracked = git(project, "ls-files").split()

    assert ".env" not in tracked
    assert not [name for name in tracked if name.startswith("keys/")]
    assert ".env.example" in tracked
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600
    secret = env_values(project)["DJANGO_SECRET_KEY"]
    private_pem = signing_secret(project)
    for name in tracked:
        text = (project / name).read_text(encoding="utf-8", errors="replace")
        assert secret not in text, name
        assert private_pem not in text, name


def test_two_bakes_never_share_a_secret(bake, tmp_path):
    first = bake(jwt_algorithm="HS384")
    first_env, first_secret = env_values(first), signing_secret(first)
    first.rename(tmp_path / "first")
    second = bake(jwt_algorithm="HS384")
    second_env = env_values(second)

    assert first_env["DJANGO_SECRET_KEY"] != second_env["DJANGO_SECRET_KEY"]
    assert first_secret != signing_secret(second)


def test_two_bakes_never_share_a_key_pair(bake, tmp_path):
    first = bake(jwt_algorithm="EdDSA")
    first_key = signing_secret(first)
    first.rename(tmp_path / "first")
    second = bake(jwt_algorithm="EdDSA")

    assert signing_secret(second) != first_key


def test_secrets_never_reach_the_replay_file(cookies):
    result = cookies.bake(extra_context={"jwt_algorithm": "HS256"})
    secret = env_values(Path(result.project_path))["DJANGO_SECRET_KEY"]
    replay_dir = Path(cookies._config_file).parent / "cookiecutter_replay"
    replay_files = list(replay_dir.rglob("*.json"))

    assert replay_files
    for replay in replay_files:
        assert secret not in replay.read_text()


HOSTILE_TEXT = 'Bob\'s "API" \\ with \\n, """triple""", {braces} and a trailing \\'


def test_quotes_and_backslashes_in_answers_still_give_valid_code(bake):
    variant = Variant({"project_name": HOSTILE_TEXT, "description": HOSTILE_TEXT})
    project = bake(
        project_slug="hostile",
        author_name=HOSTILE_TEXT,
        **variant.overrides,
    )

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == HOSTILE_TEXT
    assert pyproject["project"]["authors"][0]["name"] == HOSTILE_TEXT
    check_variant(project, variant, name="hostile-text", run_tests=False)
    run_step(project, "hostile-text", "manage.py check", [sys.executable, "manage.py", "check"])
    title = subprocess.run(
        [
            sys.executable,
            "-c",
            "from config import settings; print(settings.SPECTACULAR_SETTINGS['TITLE'])",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert title == HOSTILE_TEXT.replace('"', "'").replace("\\", "") + "\n"


def test_an_answer_cannot_run_code_in_the_hooks(cookies, tmp_path):
    marker = tmp_path / "pwned"
    payload = f'"""\nimport pathlib; pathlib.Path({str(marker)!r}).touch()\n"""'

    cookies.bake(extra_context={"project_name": payload, "project_slug": "safe"})

    assert not marker.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("project_slug", "my-api"),
        ("project_slug", "import"),
        ("access_token_lifetime_minutes", "fifteen"),
        ("refresh_token_lifetime_days", "0"),
        ("login_throttle_rate", "5/fortnight"),
    ],
)
def test_a_bad_answer_stops_the_bake_and_leaves_nothing(cookies, capfd, field, value):
    result = cookies.bake(extra_context={field: value})
    stderr = capfd.readouterr().err

    assert result.exit_code != 0
    assert f"ERROR: {field}: {value!r} is not accepted;" in stderr
    assert list(Path(cookies._new_output_dir()).parent.rglob("manage.py")) == []


def test_a_refresh_lifetime_shorter_than_the_access_lifetime_stops_the_bake(cookies, capfd):
    result = cookies.bake(
        extra_context={"access_token_lifetime_minutes": "4320", "refresh_token_lifetime_days": "2"}
    )

    assert result.exit_code != 0
    assert "refresh_token_lifetime_days: '2' is not accepted" in capfd.readouterr().err


def shadow_cryptography(tmp_path: Path) -> dict[str, str]:
    """An environment where ``import cryptography`` fails, as if not installed."""
    shadow = tmp_path / "shadow" / "cryptography"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('cryptography is not installed')\n")
    return {**os.environ, "PYTHONPATH": str(shadow.parent)}


def bake_in_subprocess(tmp_path: Path, env: dict[str, str], algorithm: str, *options: str):
    output = tmp_path / "out"
    return output, subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            *options,
            "--output-dir",
            str(output),
            str(ROOT),
            f"jwt_algorithm={algorithm}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_cryptography_the_key_pair_comes_from_openssl(tmp_path):
    output, result = bake_in_subprocess(tmp_path, shadow_cryptography(tmp_path), "ES384")

    assert result.returncode == 0, result.stderr
    project = output / "acme_api"
    check_variant(project, Variant({"jwt_algorithm": "ES384"}), name="openssl", run_tests=False)
    run_step(project, "openssl", "manage.py check", [sys.executable, "manage.py", "check"])


def test_without_cryptography_or_openssl_an_asymmetric_bake_is_refused(tmp_path):
    env = {**shadow_cryptography(tmp_path), "PATH": str(tmp_path / "empty")}
    output, result = bake_in_subprocess(tmp_path, env, "RS256")

    assert result.returncode != 0
    assert "ERROR: jwt_algorithm: 'RS256' is not accepted;" in result.stderr
    assert "pip install cryptography" in result.stderr
    assert not (output / "acme_api").exists()


def test_every_baked_dependency_is_installed_here():
    """The one shared virtualenv must hold what every variant asks for."""
    for overrides in ({}, {"jwt_algorithm": "RS256", "database": "postgresql", "cache": "redis"}):
        pyproject = tomllib.loads(render_pyproject(Variant(overrides).answers()))
        wanted = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
        for line in wanted:
            requirement = Requirement(line)
            version = metadata.version(requirement.name)
            assert requirement.specifier.contains(version, prereleases=True), line


def test_baking_again_over_a_project_keeps_its_secrets(tmp_path):
    """cookiecutter -f rewrites the template's files; .env and the keys stay as they were."""
    output, first = bake_in_subprocess(tmp_path, dict(os.environ), "EdDSA")
    assert first.returncode == 0, first.stderr
    secrets_before = {
        path: path.read_bytes() for path in (output / "acme_api" / "keys").iterdir()
    } | {output / "acme_api" / ".env": (output / "acme_api" / ".env").read_bytes()}

    output, again = bake_in_subprocess(tmp_path, dict(os.environ), "EdDSA", "-f")

    assert again.returncode == 0, again.stderr
    assert {path: path.read_bytes() for path in secrets_before} == secrets_before
