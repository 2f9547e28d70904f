"""The variant matrix: every pair of option values baked, checked and tested.

The variants come from cookiecutter.json through a covering array
(tests/variants.py): each value of each option appears, and each pair of
values of two options appears together in at least one variant.
"""

from __future__ import annotations

import pytest

from hooks import pre_gen_project
from tests.variants import (
    Variant,
    check_variant,
    choices,
    covering_array,
    files_out_of_place,
    pairs_of,
    undocumented,
    value_pairs,
    varying_options,
)

pytestmark = pytest.mark.slow

VARIANTS = covering_array()
# Pairs of option values that the pre-gen hook refuses. None today: every
# combination of choices makes a working project. A new refusal must be
# listed here, and the covering array must leave it out.
REFUSED_PAIRS: set = set()


def test_the_variants_cover_every_pair_of_option_values():
    options = varying_options()
    covered = set().union(
        *(pairs_of({name: v.answer(name) for name in options}, options) for v in VARIANTS)
    )

    assert value_pairs(options) - REFUSED_PAIRS <= covered


def test_every_value_of_every_option_is_baked():
    for option in varying_options():
        baked = {variant.answer(option) for variant in VARIANTS}
        assert baked == set(choices(option)), option


def test_the_hook_refuses_exactly_the_listed_pairs():
    options = varying_options()
    refused = set()
    for pair in value_pairs(options):
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
