"""The shared fixtures (bakers of variants, the template compiled once) and the order of the run."""

from __future__ import annotations

from pathlib import Path

import cookiecutter.generate
import pytest
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from xdist.scheduler import LoadScopeScheduling

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


def expected_length(item: pytest.Item) -> int:
    """0: a whole-suite variant's check; 1: a part-suite one's; 2: a test that serves a
    bake (marked ``server``); 3: everything else."""
    if getattr(item, "originalname", None) == "test_variant":
        return 0 if item.callspec.params["variant"].runs_whole_suite else 1
    return 2 if item.get_closest_marker("server") else 3


def pytest_collection_modifyitems(items):
    """The longest tests first, so that the short ones fill the workers' last minutes."""
    items.sort(key=expected_length)


# Modules whose tests share servers that a module fixture starts once.
SERVER_MODULES = {"tests/test_browser.py", "tests/test_two_instances.py"}


class ServerModulesWhole(LoadScopeScheduling):
    """One test at a time to whichever worker is idle; a server module whole to one.

    The tests go out in the order above. A module of ``SERVER_MODULES`` is
    one unit (handed out first: xdist starts with the units of most tests), so
    its servers start once. xdist's ``--dist loadgroup`` is meant to do this
    with marks, but with pytest 9 and xdist 3.8 it still spread the marked
    tests over both workers.
    """

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in SERVER_MODULES else nodeid


@pytest.hookimpl(optionalhook=True)  # run without xdist (-p no:xdist), there is no such hook
def pytest_xdist_make_scheduler(config, log):
    return ServerModulesWhole(config, log)
