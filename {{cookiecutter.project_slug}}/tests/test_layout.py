"""Dependencies point one way: config and the apps never import each other, the layers stay apart.

``api`` holds what every endpoint shares, so it imports none of the apps;
the signing keys and the sessions never import each other (simplejwt joins
them: ``signing_keys`` installs its token backend). A newcomer can then read
one app without the others.
"""

import ast

import pytest

from .helpers import BASE_DIR

APPS = sorted(
    path.parent.name for path in BASE_DIR.glob("*/apps.py") if path.parent.name != "config"
)
# Which of this project's packages each may not import.
FORBIDDEN = {
    "config": set(APPS),  # it includes their URLs by name, and imports none of them
    **{app: {"config"} for app in APPS},
    "api": {"config", *APPS} - {"api"},
    "signing_keys": {"config", "jwt_auth"},
    "jwt_auth": {"config", "signing_keys"},
}


def imported_packages(package):
    """The top-level names that the modules of ``package`` import."""
    names = set()
    for path in (BASE_DIR / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_the_apps_are_found():
    assert {"api", "accounts", "jwt_auth", "signing_keys"} <= set(APPS)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_it_must_not(package):
    assert imported_packages(package) & FORBIDDEN[package] == set()
