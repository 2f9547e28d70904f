"""The shared fixtures: bakers of variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.matrix import Variant


def baker(cookies):
    """Bake the template with ``overrides``; fail unless it bakes; return the project's path."""

    def bake_variant(**overrides) -> Path:
        result = cookies.bake(extra_context=overrides)
        assert result.exit_code == 0, f"{Variant(overrides).id}: bake failed: {result.exception}"
        return Path(result.project_path)

    return bake_variant


@pytest.fixture
def bake(cookies):
    return baker(cookies)


@pytest.fixture(scope="session")
def bake_for_the_run(cookies_session):
    """As ``bake``, for fixtures that live longer than a test."""
    return baker(cookies_session)


# The longest tests, started first so that the short ones fill the workers' last minutes.
LONGEST_FIRST = ("tests/test_variants.py::test_variant", "tests/test_browser.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))
