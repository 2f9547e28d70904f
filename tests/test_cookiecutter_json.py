"""Facts cookiecutter.json computes or states once, in line with the generated code."""

from __future__ import annotations

import pytest
from cookiecutter.environment import StrictEnvironment

from tests.matrix import ALGORITHM, ALGORITHMS, COOKIECUTTER_JSON, choices

PROMPTS = COOKIECUTTER_JSON["__prompts__"][ALGORITHM]
NAMES = COOKIECUTTER_JSON["_algorithm_names"]


@pytest.mark.parametrize("algorithm", choices(ALGORITHM))
def test_the_key_family_the_templates_branch_on_is_the_one_algorithms_py_states(algorithm):
    expression = COOKIECUTTER_JSON["__key_family"]

    family = StrictEnvironment().from_string(expression).render(cookiecutter={ALGORITHM: algorithm})

    assert family == ALGORITHMS[algorithm].family


def test_every_algorithm_has_one_name_for_the_readme():
    assert list(NAMES) == choices(ALGORITHM)


@pytest.mark.parametrize("algorithm", choices(ALGORITHM))
def test_each_algorithm_prompt_shows_its_name_as_the_readme_does(algorithm):
    assert PROMPTS[algorithm].startswith(f"{algorithm} - {NAMES[algorithm]}")
