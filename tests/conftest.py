"""Shared fixtures: the options read from cookiecutter.json, and a baker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.variants import Variant

ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))


@pytest.fixture
def bake(cookies):
    """Bake the template with ``overrides`` and return the project's path."""

    def bake_variant(**overrides) -> Path:
        result = cookies.bake(extra_context=overrides)
        assert result.exit_code == 0, f"{Variant(overrides).id}: bake failed: {result.exception}"
        return Path(result.project_path)

    return bake_variant
