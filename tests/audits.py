"""Audits of a baked tree: what it holds, compared with what the options promise."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from hooks import post_gen_project
from tests.matrix import Variant

LEFTOVER_JINJA = re.compile(r"{{|{%|cookiecutter")
SETTINGS_VARIABLE = re.compile(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"')
EXAMPLE_VARIABLE = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
URL_PATH = re.compile(r'path\(\s*"([^"]+)"')
# A route's parameter as the README writes it: <str:id> is <id>.
URL_CONVERTER = re.compile(r"<\w+:(\w+)>")


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
    """Lines of the baked project that still hold template syntax (Django's templates aside)."""
    return [
        f"{path.relative_to(project)}:{number}: {line.strip()}"
        for path, text in text_files(project).items()
        if not is_django_template(path.relative_to(project))
        for number, line in enumerate(text.splitlines(), 1)
        if LEFTOVER_JINJA.search(line)
    ]


def is_django_template(path: Path) -> bool:
    """An app's Django template (templates/**.html): its own {% %} tags are meant."""
    return path.suffix == ".html" and "templates" in path.parts[1:-1]


def files_out_of_place(project: Path, variant: Variant) -> list[str]:
    """Files the answers need but are missing, and files present that they do not need.

    The post-gen hook's own table says which files go with which answers (it
    reads the algorithm facts from the project it runs in); the secrets
    script always writes .env and the key set.
    """
    answers = variant.answers()
    with contextlib.chdir(project):
        wanted = {path: needed(answers) for path, needed in post_gen_project.OPTIONAL_FILES.items()}
    wanted |= {
        ".env": True,
        "keys/keys.json": True,
        ".github/workflows/ci.yml": True,
        "requirements.lock": True,
        "locks": False,
    }
    return [
        f"{path} {'missing' if needed else 'not needed'}"
        for path, needed in wanted.items()
        if (project / path).exists() != needed
    ]


def undocumented(project: Path) -> list[str]:
    """Variables and endpoints the project uses but its README or .env.example omits."""
    settings = (project / "config" / "settings.py").read_text()
    example = (project / ".env.example").read_text()
    readme = (project / "README.md").read_text()
    used = set(SETTINGS_VARIABLE.findall(settings))
    listed = set(EXAMPLE_VARIABLE.findall(example))
    endpoints = {
        "/api/auth/" + URL_CONVERTER.sub(r"<\1>", route)
        for app in (
            "jwt_auth",
            "accounts",
            "security_events",
            "email_verification",
            "passkeys",
            "mfa",
        )
        if (project / app / "urls.py").exists()
        for route in URL_PATH.findall((project / app / "urls.py").read_text())
    }
    return sorted(
        [f"{name} not in .env.example" for name in used - listed]
        + [f"{name} not in README.md" for name in (used | listed) if f"`{name}`" not in readme]
        + [f"{path} not in README.md" for path in endpoints if f"`{path}`" not in readme]
    )
