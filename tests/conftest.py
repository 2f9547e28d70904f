"""The shared fixtures: bakers of variants."""

from __future__ import annotations

from pathlib import Path

import cookiecutter.generate
import pytest
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from tests.matrix import Variant


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for the whole run.

    Jinja keys each by the template's name and checks it against the
    source's checksum, so an edited file compiles again.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(autouse=True, scope="session")
def templates_compiled_once():
    """Each worker compiles the template's files once, not once per bake (half a bake's time)."""
    compiled = CompiledTemplates()
    make_environment = cookiecutter.generate.create_env_with_context

    def environment_that_remembers(context):
        environment = make_environment(context)
        environment.bytecode_cache = compiled
        return environment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cookiecutter.generate, "create_env_with_context", environment_that_remembers)
        yield


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
