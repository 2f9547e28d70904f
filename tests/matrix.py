"""The variants of the template that the suite bakes: a covering array.

The options come from cookiecutter.json. The generated code sees the
signing algorithm in one place: its key family (HMAC, RSA, EC, EdDSA)
decides the key files, the JWKS route and the token's signature, and the
tests of keys and tokens (``ALGORITHM_TESTS``) are the ones that see it.
So the suite pairs the options in two layers, and tests/test_variants.py
proves each rule:

- every pair of values of two options other than the algorithm is baked
  together in a variant whose whole suite runs: as few such variants as any
  covering array can have (the two largest options' value pairs), found by
  an exact search (``covering_rows``);
- every key family is baked with every value of every other option in a
  variant that runs at least the tests of keys and tokens: the whole-suite
  rows take the families that meet the most new values, and variants that
  run ``ALGORITHM_TESTS`` alone (``-key-tests`` in their ids) bake the rest;
- every algorithm is baked at least once.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import cycle, product
from pathlib import Path
from typing import Any

from hooks.post_gen_project import load_algorithms

ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON: dict[str, Any] = json.loads(
    (ROOT / "cookiecutter.json").read_text(encoding="utf-8")
)
TEMPLATE_PROJECT = ROOT / "{{cookiecutter.project_slug}}"
# The generated project's facts about each algorithm: the one place they are written.
ALGORITHMS = load_algorithms(TEMPLATE_PROJECT / "signing_keys" / "algorithms.py").ALGORITHMS
ALGORITHM = "jwt_algorithm"
KEY_FAMILY = "key_family"
SHORT_NAMES = {
    ALGORITHM: "alg",
    "token_storage": "storage",
    "database": "db",
    "rotate_refresh_tokens": "rotate",
    "user_registration": "register",
    "throttling": "throttle",
}

# The generated tests that exercise what changes with the algorithm alone.
ALGORITHM_TESTS = (
    "tests/test_keys.py",
    "tests/test_forged_tokens.py",
    "tests/test_jwks.py",
    "tests/test_tokens.py",
)

Pair = tuple[tuple[str, Any], tuple[str, Any]]


def options() -> list[str]:
    """Every option of cookiecutter.json, in its order (private keys left out)."""
    return [name for name in COOKIECUTTER_JSON if not name.startswith("_")]


def choices(option: str) -> list[Any]:
    """The values an option can take, as cookiecutter.json declares them."""
    default = COOKIECUTTER_JSON[option]
    if isinstance(default, list):
        return default
    if isinstance(default, bool):
        return [default, not default]
    return [default]


def default_of(option: str) -> Any:
    default = COOKIECUTTER_JSON[option]
    return default[0] if isinstance(default, list) else default


def key_family(algorithm: str) -> str:
    """The family of keys an algorithm signs with; the generated code branches on it."""
    return ALGORITHMS[algorithm].family


def algorithms_by_family() -> dict[str, list[str]]:
    families: dict[str, list[str]] = {}
    for algorithm in choices(ALGORITHM):
        families.setdefault(key_family(algorithm), []).append(algorithm)
    return families


@dataclass(frozen=True)
class Variant:
    """Answers that differ from the defaults; ``id`` names them for humans.

    ``tests`` are the generated test files its check runs; empty, the whole suite.
    """

    overrides: Mapping[str, Any] = field(default_factory=dict)
    tests: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        answers = "-".join(
            f"{SHORT_NAMES.get(name, name)}={format_value(value)}"
            for name, value in self.overrides.items()
        )
        return f"{answers or 'defaults'}{'-key-tests' if self.tests else ''}"

    @property
    def runs_whole_suite(self) -> bool:
        return not self.tests

    def answer(self, option: str) -> Any:
        if option == KEY_FAMILY:
            return key_family(self.answer(ALGORITHM))
        return self.overrides.get(option, default_of(option))

    def answers(self) -> dict[str, Any]:
        """Every answer, as the hooks receive them (tests/locks.py adds the computed ones)."""
        return {**{name: self.answer(name) for name in options()}, "project_slug": "acme_api"}

    def service_env(self) -> dict[str, str]:
        """Environment that gives this variant its own PostgreSQL database."""
        if self.answer("database") != "postgresql":
            return {}
        return {"DATABASE_URL": f"postgres:///variant_{uuid.uuid4().hex[:12]}"}


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def varying_options() -> list[str]:
    """The options that take more than one value, most values first."""
    varying = [name for name in options() if len(choices(name)) > 1]
    return sorted(varying, key=lambda name: -len(choices(name)))


def paired_options() -> list[str]:
    """The options whole suites pair: every varying option but the algorithm."""
    return [name for name in varying_options() if name != ALGORITHM]


def value_pairs(names: list[str]) -> set[Pair]:
    """Every pair of values of two different options."""
    return {
        ((first, first_value), (second, second_value))
        for index, first in enumerate(names)
        for second in names[index + 1 :]
        for first_value in choices(first)
        for second_value in choices(second)
    }


def pairs_of(row: Mapping[str, Any], names: list[str]) -> set[Pair]:
    return {
        ((first, row[first]), (second, row[second]))
        for index, first in enumerate(names)
        for second in names[index + 1 :]
    }


def pairs_baked(variants: Iterable[Variant], names: list[str]) -> set[Pair]:
    """The pairs of values of ``names`` that some variant bakes together."""
    return set().union(
        *(pairs_of({name: variant.answer(name) for name in names}, names) for variant in variants)
    )


# The values that make a whole suite take longer, dearest first: on PostgreSQL
# each query is a round trip to a server (the default bake's suite takes some
# 40 % longer than on SQLite), and each feature brings its own tests (MFA some
# 100, passkeys 70, rate limits 40, registration 20). The search keeps each as
# rare in the whole suites as the covering array allows, in this order.
DEARER = {
    "database": "postgresql",
    "mfa": True,
    "passkeys": True,
    "throttling": True,
    "user_registration": True,
}


def lower_bound(names: list[str]) -> int:
    """No covering array has fewer rows than the two largest options have value pairs."""
    sizes = sorted((len(choices(name)) for name in names), reverse=True)
    return sizes[0] * sizes[1]


# How many candidate columns the search may try: a bound on its time as options are added.
SEARCH_BUDGET = 200_000


def covering_rows(names: list[str]) -> list[dict[str, Any]]:
    """As few rows as any covering array can have, in which every pair of values meets.

    The first row is the default answers: the bake a newcomer makes first,
    whole. Options are placed largest first, those in ``DEARER`` before the
    others of their size and in its order. Each of those tries first the
    columns with its dear value in the fewest rows, and among them those
    that add it to rows with the fewest dear values already: a suite on
    PostgreSQL runs as few of the features' own tests as can be.
    """
    count = lower_bound(names)
    order = sorted(names, key=lambda name: (-len(choices(name)), dearness(name)))
    often = {name: max(len(choices(other)) for other in names if other != name) for name in names}
    options = [(column_candidates(name, count, often[name]), dear_index(name)) for name in order]
    columns = covering_columns(options, (), (0,) * count, [SEARCH_BUDGET])
    assert columns is not None, (
        f"no covering array of {count} rows found within SEARCH_BUDGET: raise it, or let the "
        "array (and test_no_covering_array_could_run_fewer_whole_suites) have more rows"
    )
    return [
        {name: choices(name)[columns[order.index(name)][row]] for name in names}
        for row in range(count)
    ]


def dearness(name: str) -> int:
    """Where an option stands in ``DEARER``: dearest 0, the options that cost nothing last."""
    return list(DEARER).index(name) if name in DEARER else len(DEARER)


def dear_index(name: str) -> int | None:
    """The value index of an option's dear value; None for an option that costs nothing."""
    return choices(name).index(DEARER[name]) if name in DEARER else None


def column_candidates(name: str, count: int, often: int) -> list[tuple[int, ...]]:
    """The columns an option may take, as value indexes.

    Each starts with 0 (the default) and holds each value at least ``often``
    times (as often as the largest other option has values), or some pair
    could not meet.
    """
    size = len(choices(name))
    return [
        column
        for column in ((0, *rest) for rest in product(range(size), repeat=count - 1))
        if min(column.count(value) for value in range(size)) >= often
    ]


def covering_columns(
    options: list[tuple[list[tuple[int, ...]], int | None]],
    done: tuple[tuple[int, ...], ...],
    dear_per_row: tuple[int, ...],
    budget: list[int],
) -> tuple[tuple[int, ...], ...] | None:
    """A column per option, in which every two columns meet in every pair of their values.

    Depth first, one option at a time. ``dear_per_row`` counts the dear
    values each row holds so far; a dear option tries its candidates cheapest
    first (``covering_rows``).
    """
    if len(done) == len(options):
        return done
    candidates, dear = options[len(done)]
    if dear is not None:
        candidates = sorted(
            candidates,
            key=lambda column: (
                column.count(dear),
                sum(
                    held for value, held in zip(column, dear_per_row, strict=True) if value == dear
                ),
            ),
        )
    for column in candidates:
        budget[0] -= 1
        if budget[0] < 0:
            return None
        if all(
            len(set(zip(column, earlier, strict=True))) == len(set(column)) * len(set(earlier))
            for earlier in done
        ):
            held = tuple(
                count + (value == dear) for value, count in zip(column, dear_per_row, strict=True)
            )
            found = covering_columns(options, (*done, column), held, budget)
            if found is not None or budget[0] < 0:
                return found
    return None


def with_algorithms(
    rows: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Give each whole-suite row an algorithm; add the key-test rows the families still need.

    A family needs a bake for each of its algorithms, and bakes that meet
    every value of every option; a key-test row meets one value of each. So
    once the whole-suite rows are given, a family needs as many key-test rows
    as it has algorithms left or values of one option unmet, whichever is
    more (``rows_still_needed``). The default row keeps the default
    algorithm; each other row takes the family it saves the most key-test
    rows for, a family with no whole suite yet first. Then each family's
    key-test rows answer with the values it has not met.
    """
    names = list(rows[0])
    families = algorithms_by_family()
    unbaked = {family: list(algorithms) for family, algorithms in families.items()}
    turns = {family: cycle(algorithms) for family, algorithms in families.items()}
    unmet = {family: {name: list(choices(name)) for name in names} for family in families}

    def bake(family: str, row: dict[str, Any]) -> dict[str, Any]:
        for name in names:
            if row[name] in unmet[family][name]:
                unmet[family][name].remove(row[name])
        algorithm = unbaked[family].pop(0) if unbaked[family] else next(turns[family])
        return {ALGORITHM: algorithm, **row}

    def rows_still_needed(family: str, row: Mapping[str, Any] | None = None) -> int:
        left = len(unbaked[family]) - (row is not None)
        values = [
            len(unmet[family][name]) - (row is not None and row[name] in unmet[family][name])
            for name in names
        ]
        return max(left, *values)

    whole = [bake(key_family(default_of(ALGORITHM)), rows[0])]
    for row in rows[1:]:
        baked = {key_family(answers[ALGORITHM]) for answers in whole}
        family = max(
            families,
            key=lambda family: (
                rows_still_needed(family) - rows_still_needed(family, row),
                family not in baked,
            ),
        )
        whole.append(bake(family, row))
    key_tests = []
    for family in families:
        while rows_still_needed(family):
            row = {name: (unmet[family][name] or [default_of(name)])[0] for name in names}
            key_tests.append(bake(family, row))
    return whole, key_tests


def covering_array() -> list[Variant]:
    """The variants the suite bakes: whole suites first, then those that run the key tests."""
    whole, key_tests = with_algorithms(covering_rows(paired_options()))
    return [Variant(without_defaults(row)) for row in whole] + [
        Variant(without_defaults(row), tests=ALGORITHM_TESTS) for row in key_tests
    ]


def without_defaults(row: Mapping[str, Any]) -> dict[str, Any]:
    return {option: value for option, value in row.items() if value != default_of(option)}
