"""The variants of the template that the suite bakes: a covering array.

The options come from cookiecutter.json. The covering array is built over
the options *as the code sees them*: the generated project branches on the
algorithm's key family (HMAC, RSA, EC, EdDSA), not on the algorithm, so the
array pairs families. Then each family's algorithms are spread over that
family's rows, with a row added for any algorithm left over. Two rules
follow, and tests/test_variants.py proves both:

- every pair of family-level values of two options is baked together, in a
  variant whose whole suite runs;
- every algorithm is baked at least once.

An algorithm left over once its family's rows are taken is baked with the
default answers otherwise: that variant differs from the default one only in
the key, so it runs the tests of keys and tokens (``ALGORITHM_TESTS``), not
the whole suite again.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import cycle
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
        """Every answer, as the hooks and templates receive them (computed ones included)."""
        return {
            **{name: self.answer(name) for name in options()},
            "project_slug": "acme_api",
            "__key_family": self.answer(KEY_FAMILY),
            "_algorithm_names": COOKIECUTTER_JSON["_algorithm_names"],
        }

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


def family_level_options() -> list[str]:
    """The varying options as the code sees them: the key family instead of the algorithm."""
    return [KEY_FAMILY if name == ALGORITHM else name for name in varying_options()]


def family_level_choices(option: str) -> list[Any]:
    return list(algorithms_by_family()) if option == KEY_FAMILY else choices(option)


def value_pairs(names: list[str], values=choices) -> set[Pair]:
    """Every pair of values of two different options."""
    return {
        ((first, first_value), (second, second_value))
        for index, first in enumerate(names)
        for second in names[index + 1 :]
        for first_value in values(first)
        for second_value in values(second)
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


# The greedy search tries seeds in this order and stops at the first array as
# small as any can be. The first is the one that found it for today's options,
# so a run tries one; new options may need a few more tries, or keep the best.
SEEDS = (133, *range(2000))


def covering_rows(names: list[str], values) -> list[dict[str, Any]]:
    """As few rows as the seeded greedy search finds in which every pair of values meets.

    No array can have fewer rows than the two largest options have value pairs
    (``lower_bound``); the search stops at the first seed that reaches it, or
    keeps the smallest array of them all. Deterministic: the seeds are fixed.
    """
    best: list[dict[str, Any]] | None = None
    for seed in SEEDS:
        rows = greedy_rows(names, values, random.Random(seed))  # noqa: S311 (an order, no secret)
        if best is None or len(rows) < len(best):
            best = rows
        if len(best) == lower_bound(names, values):
            break
    return best


def lower_bound(names: list[str], values) -> int:
    sizes = sorted((len(values(name)) for name in names), reverse=True)
    return sizes[0] * sizes[1]


def greedy_rows(names: list[str], values, rng: random.Random) -> list[dict[str, Any]]:
    """Rows in which every pair of values of two options appears at least once.

    Each row starts from the first pair not yet covered, then gives every other
    option, in an order ``rng`` shuffles, the value that covers the most
    uncovered pairs (``rng`` breaks ties).
    """
    defaults = {option: values(option)[0] for option in names}
    uncovered = value_pairs(names, values) - pairs_of(defaults, names)
    rows: list[dict[str, Any]] = [defaults]  # the bake a newcomer makes first, whole
    while uncovered:
        (first, first_value), (second, second_value) = min(
            uncovered, key=lambda pair: pair_order(pair, names, values)
        )
        row = {first: first_value, second: second_value}
        others = [option for option in names if option not in row]
        rng.shuffle(others)
        for option in others:
            row[option] = best_value(option, row, names, values, uncovered, rng)
        uncovered -= pairs_of(row, names)
        rows.append({option: row[option] for option in names})
    return rows


def best_value(
    option: str, row: Mapping[str, Any], names: list[str], values, uncovered, rng
) -> Any:
    """The value of ``option`` that covers the most uncovered pairs with ``row``."""

    def gain(value: Any) -> tuple[int, float]:
        candidate = {**row, option: value}
        chosen = [name for name in names if name in candidate]
        return len(pairs_of(candidate, chosen) & uncovered), rng.random()

    return max(values(option), key=gain)


def pair_order(pair: Pair, names: list[str], values) -> tuple[int, ...]:
    (first, first_value), (second, second_value) = pair
    return (
        names.index(first),
        names.index(second),
        values(first).index(first_value),
        values(second).index(second_value),
    )


def with_algorithms(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Give each row an algorithm of its family; return the rows and the algorithms left over.

    A family's rows take its algorithms in turn; algorithms still unbaked
    when its rows run out are left over, for a variant each.
    """
    families = algorithms_by_family()
    unbaked = {family: list(algorithms) for family, algorithms in families.items()}
    turns = {family: cycle(algorithms) for family, algorithms in families.items()}
    concrete = []
    for row in rows:
        family = row.pop(KEY_FAMILY)
        algorithm = unbaked[family].pop(0) if unbaked[family] else next(turns[family])
        concrete.append({ALGORITHM: algorithm, **row})
    leftovers = [algorithm for algorithms in unbaked.values() for algorithm in algorithms]
    return concrete, leftovers


def covering_array() -> list[Variant]:
    """The variants the suite bakes: every family-level pair, every algorithm."""
    rows, leftovers = with_algorithms(covering_rows(family_level_options(), family_level_choices))
    return [Variant(without_defaults(row)) for row in rows] + [
        Variant(without_defaults({ALGORITHM: algorithm}), tests=ALGORITHM_TESTS)
        for algorithm in leftovers
    ]


def without_defaults(row: Mapping[str, Any]) -> dict[str, Any]:
    return {option: value for option, value in row.items() if value != default_of(option)}
