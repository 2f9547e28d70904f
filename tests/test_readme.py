"""The Options table of README.md says what cookiecutter.json says.

cookiecutter.json is the single source of truth; the README must list every
option once, with its default and, for list options, every choice in order.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from tests.matrix import COOKIECUTTER_JSON, ROOT, choices, default_of

README = ROOT / "README.md"
OPTIONS_HEADING = re.compile(r"#+ Options")
COLUMNS = ("Option", "Default", "Choices", "What it does")
NO_CHOICES = "—"
OPTION_CELL = re.compile(r"`(\w+)`")

OPTIONS = [name for name in COOKIECUTTER_JSON if not name.startswith("_")]
LIST_OPTIONS = [name for name in OPTIONS if isinstance(COOKIECUTTER_JSON[name], list)]
BOOLEAN_OPTIONS = [name for name in OPTIONS if isinstance(COOKIECUTTER_JSON[name], bool)]
TEXT_OPTIONS = [name for name in OPTIONS if isinstance(COOKIECUTTER_JSON[name], str)]
# project_slug's default is a Jinja expression, described in words in the README.
FREE_TEXT_OPTIONS = [name for name in TEXT_OPTIONS if name != "project_slug"]


def readme_text() -> str:
    return README.read_text(encoding="utf-8")


def options_table_lines(text: str) -> list[str]:
    """The lines of the first table after the Options heading."""
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if OPTIONS_HEADING.fullmatch(line))
    table = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            table.append(line)
        elif table or line.startswith("#"):
            break
    return table


def cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in inner.split("|")]


def option_rows() -> list[dict[str, str]]:
    """The rows of the Options table, each as {column: cell}."""
    header, _separator, *rows = (cells(line) for line in options_table_lines(readme_text()))
    assert tuple(header) == COLUMNS, f"the Options table's columns are {header}"
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def option_name(row: dict[str, str]) -> str:
    """`jwt_algorithm` in the first cell gives jwt_algorithm."""
    match = OPTION_CELL.fullmatch(row["Option"])
    assert match, f"the Option cell {row['Option']!r} is not one name in backticks"
    return match[1]


def row_of(option: str) -> dict[str, str]:
    rows = [row for row in option_rows() if option_name(row) == option]
    assert len(rows) == 1, f"README.md has {len(rows)} rows for {option}, not one"
    return rows[0]


def as_answer(value: Any) -> str:
    """A value as a person types it at the prompt: booleans are yes and no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def code(value: Any) -> str:
    return f"`{as_answer(value)}`"


def test_every_option_has_one_row_in_the_readme():
    counts = Counter(option_name(row) for row in option_rows())

    wrong = {option: counts[option] for option in OPTIONS if counts[option] != 1}
    assert not wrong, f"options without exactly one row in README.md (name: rows): {wrong}"


def test_the_readme_has_no_row_for_an_unknown_option():
    unknown = [option_name(row) for row in option_rows() if option_name(row) not in OPTIONS]

    assert not unknown, f"README.md has rows for options not in cookiecutter.json: {unknown}"


@pytest.mark.parametrize("option", LIST_OPTIONS)
def test_a_list_option_shows_every_choice_in_order_and_the_first_as_default(option):
    row = row_of(option)

    assert row["Choices"] == ", ".join(code(choice) for choice in choices(option))
    assert row["Default"] == code(default_of(option))


@pytest.mark.parametrize("option", BOOLEAN_OPTIONS)
def test_a_boolean_option_shows_its_default_as_yes_or_no(option):
    row = row_of(option)

    assert row["Default"] == code(default_of(option))
    assert row["Choices"] == "`yes`, `no`"


@pytest.mark.parametrize("option", FREE_TEXT_OPTIONS)
def test_a_free_text_option_shows_the_default_of_cookiecutter_json(option):
    assert row_of(option)["Default"] == code(default_of(option))


@pytest.mark.parametrize("option", TEXT_OPTIONS)
def test_a_free_text_option_has_no_choices(option):
    assert row_of(option)["Choices"] == NO_CHOICES


@pytest.mark.parametrize("command", ["make demo", "make test"])
def test_the_readme_names_the_maintainer_commands(command):
    assert f"`{command}`" in readme_text()
