"""The variant matrix: every pair of option values baked, checked and tested.

The variants come from cookiecutter.json through a covering array
(tests/matrix.py): every pair of values of two options meets in a variant
whose whole suite runs, every key family meets every value of every option
in a variant that runs the tests of keys and tokens, and every algorithm is
baked at least once.
"""

from __future__ import annotations

import pytest

from hooks import pre_gen_project
from tests.audits import files_out_of_place, undocumented
from tests.matrix import (
    ALGORITHM,
    ALGORITHM_TESTS,
    DEARER,
    KEY_FAMILY,
    Variant,
    algorithms_by_family,
    choices,
    covering_array,
    lower_bound,
    options,
    paired_options,
    pairs_baked,
    value_pairs,
    varying_options,
)
from tests.steps import check_variant

pytestmark = pytest.mark.slow

VARIANTS = covering_array()
WHOLE_SUITES = [variant for variant in VARIANTS if variant.runs_whole_suite]
# Pairs of option values that the pre-gen hook refuses. None today: every
# combination of choices makes a working project. A new refusal must be
# listed here, and the covering array must leave it out.
REFUSED_PAIRS: set = set()


def test_every_pair_of_values_but_the_algorithm_meets_in_a_whole_suite():
    names = paired_options()

    assert value_pairs(names) - REFUSED_PAIRS <= pairs_baked(WHOLE_SUITES, names)


def test_every_key_family_meets_every_value_in_a_variant_that_tests_keys():
    tests_keys = [
        variant
        for variant in VARIANTS
        if variant.runs_whole_suite or set(ALGORITHM_TESTS) <= set(variant.tests)
    ]

    met = {
        (variant.answer(KEY_FAMILY), name, variant.answer(name))
        for variant in tests_keys
        for name in paired_options()
    }

    assert met == {
        (family, name, value)
        for family in algorithms_by_family()
        for name in paired_options()
        for value in choices(name)
    }


def test_every_key_family_runs_a_whole_suite():
    assert {variant.answer(KEY_FAMILY) for variant in WHOLE_SUITES} == set(algorithms_by_family())


def test_no_covering_array_could_run_fewer_whole_suites():
    assert len(WHOLE_SUITES) == lower_bound(paired_options())


def test_each_dear_value_runs_in_fewer_whole_suites_than_its_alternative():
    """The array is as small as can be and, within that, as cheap: see ``DEARER``."""
    for option, dear in DEARER.items():
        runs = [variant.answer(option) for variant in WHOLE_SUITES]
        assert runs.count(dear) < len(runs) / 2, option


def test_the_default_answers_run_the_whole_suite_first():
    assert VARIANTS[0] == Variant()


def test_every_algorithm_is_baked():
    assert {variant.answer(ALGORITHM) for variant in VARIANTS} == set(choices(ALGORITHM))


def test_every_value_of_every_option_is_baked():
    for option in options():
        baked = {variant.answer(option) for variant in VARIANTS}
        assert baked == set(choices(option)), option


def test_the_hook_refuses_exactly_the_listed_pairs():
    names = varying_options()
    refused = set()
    for pair in value_pairs(names):
        answers = {**Variant().answers(), **dict(pair)}
        if pre_gen_project.find_problems(answers):
            refused.add(pair)

    assert refused == REFUSED_PAIRS


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda variant: variant.id)
def test_variant(bake, variant):
    project = bake(**variant.overrides)

    assert files_out_of_place(project, variant) == [], f"variant {variant.id}"
    assert undocumented(project) == [], f"variant {variant.id}"
    check_variant(project, variant)
