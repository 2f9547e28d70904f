"""The shared fixture: a baker of variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.matrix import Variant


@pytest.fixture
def bake(cookies):
    """Bake the template with ``overrides`` and return the project's path."""

    def bake_variant(**overrides) -> Path:
        result = cookies.bake(extra_context=overrides)
        assert result.exit_code == 0, f"{Variant(overrides).id}: bake failed: {result.exception}"
        return Path(result.project_path)

    return bake_variant
