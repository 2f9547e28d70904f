"""The variant matrix: every family-level pair of option values baked, checked and tested.

The variants come from cookiecutter.json through a covering array
(tests/matrix.py) over the options as the generated code sees them, with the
algorithm's key family in place of the algorithm, and every algorithm
baked at least once.
"""

from __future__ import annotations

import pytest

from hooks import pre_gen_project
from tests.audits import files_out_of_place, undocumented
from tests.matrix import (
    ALGORITHM,
    Variant,
    choices,
    covering_array,
    family_level_choices,
    family_level_options,
    lower_bound,
    options,
    pairs_baked,
    value_pairs,
    varying_options,
)
from tests.steps import check_variant

pytestmark = pytest.mark.slow

VARIANTS = covering_array()
# Pairs of option values that the pre-gen hook refuses. None today: every
# combination of choices makes a working project. A new refusal must be
# listed here, and the covering array must leave it out.
REFUSED_PAIRS: set = set()


def test_every_pair_of_family_level_values_is_baked():
    names = family_level_options()

    whole_suites = [variant for variant in VARIANTS if variant.runs_whole_suite]

    assert value_pairs(names, family_level_choices) - REFUSED_PAIRS <= pairs_baked(
        whole_suites, names
    )


def test_no_covering_array_could_run_fewer_whole_suites():
    whole_suites = [variant for variant in VARIANTS if variant.runs_whole_suite]

    assert len(whole_suites) == lower_bound(family_level_options(), family_level_choices)


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
