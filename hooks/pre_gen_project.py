"""Refuse bad answers before cookiecutter writes the project.

Every check returns one line naming the field, the value and what is
accepted, or None. ``main`` prints every line it gets and exits 1, and
cookiecutter then removes the half-made project folder.

Whether the chosen algorithm's key can be made here is checked by
post_gen_project instead. Which algorithms need a key pair is written in the
generated project's signing_keys/algorithms.py, and only the post-gen hook can
read it: this one runs in the still empty project folder, and cookiecutter
gives it the template's path as typed, often relative to another folder.

The answers are read as JSON data (``tojson``), never pasted into code, so
no answer can change what this script does.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any, Final

CONTEXT_JSON: Final = r"""{{ cookiecutter | tojson }}"""

MINUTES_PER_DAY: Final = 24 * 60
RATE_PATTERN: Final = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)")
EMAIL_PATTERN: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Rates that an empty answer turns off.
OPTIONAL_RATES: Final = frozenset({"login_account_throttle_rate"})
# The yes/no options (throttling, ...) are booleans in cookiecutter.json. Prompts
# read them as such from 2.2 on, but an answer given on the command line
# (throttling=no) stays the string "no", which is true, until 2.7: the option
# would be silently on.
MINIMUM_COOKIECUTTER: Final = (2, 7)

Answers = Mapping[str, Any]
Check = Callable[[Answers], "str | None"]


def refuse(field: str, value: object, accepted: str) -> str:
    """Format the one line that tells the user what to change."""
    return f"{field}: {value!r} is not accepted; {accepted}."


def cookiecutter_version() -> str:
    """The installed cookiecutter's version (its ``__version__`` was wrong in 2.2.0)."""
    return metadata.version("cookiecutter")


def release(version: str) -> tuple[int, ...]:
    """(2, 10) for "2.10.1.dev0": the numeric release parts a version starts with."""
    numbers = []
    for part in version.split(".")[: len(MINIMUM_COOKIECUTTER)]:
        digits = re.match(r"[0-9]*", part)[0]
        numbers.append(int(digits or 0))
    return tuple(numbers)


def check_cookiecutter_version() -> str | None:
    version = cookiecutter_version()
    if release(version) >= MINIMUM_COOKIECUTTER:
        return None
    needed = ".".join(map(str, MINIMUM_COOKIECUTTER))
    return (
        f"cookiecutter {version} is too old for this template: it needs cookiecutter "
        f"{needed} or later (pip install --upgrade 'cookiecutter>={needed}')."
    )


def check_project_name(answers: Answers) -> str | None:
    if not str(answers["project_name"]).strip():
        return refuse("project_name", answers["project_name"], "give the project a name")
    return None


def check_project_slug(answers: Answers) -> str | None:
    slug = answers["project_slug"]
    accepted = (
        "use a Python identifier that is not a keyword: ASCII letters, digits "
        "and underscores, not starting with a digit (for example my_api)"
    )
    if not (slug.isascii() and slug.isidentifier()) or keyword.iskeyword(slug):
        return refuse("project_slug", slug, accepted)
    return None


def check_author_email(answers: Answers) -> str | None:
    email = answers["author_email"]
    if not EMAIL_PATTERN.fullmatch(email):
        return refuse("author_email", email, "use an address such as jane@example.com")
    return None


def positive_whole_number(value: object) -> int | None:
    """Return ``value`` as an int if it is written as a positive whole number."""
    text = str(value).strip()
    if text.isascii() and text.isdigit() and int(text) > 0:
        return int(text)
    return None


def check_access_token_lifetime(answers: Answers) -> str | None:
    value = answers["access_token_lifetime_minutes"]
    if positive_whole_number(value) is None:
        return refuse(
            "access_token_lifetime_minutes", value, "use a positive whole number of minutes"
        )
    return None


def check_refresh_token_lifetime(answers: Answers) -> str | None:
    value = answers["refresh_token_lifetime_days"]
    days = positive_whole_number(value)
    if days is None:
        return refuse("refresh_token_lifetime_days", value, "use a positive whole number of days")
    access_minutes = positive_whole_number(answers["access_token_lifetime_minutes"])
    if access_minutes and days * MINUTES_PER_DAY < access_minutes:
        return refuse(
            "refresh_token_lifetime_days",
            value,
            f"a refresh token must live at least as long as the access token "
            f"({access_minutes} minutes): use at least {-(-access_minutes // MINUTES_PER_DAY)}",
        )
    return None


def check_throttle_rates(answers: Answers) -> list[str]:
    """Check every ``*_throttle_rate`` answer against the form DRF parses."""
    accepted = "use number/period with a period of second, minute, hour or day"
    return [
        refuse(
            field, value, accepted + (" (or nothing: no limit)" if field in OPTIONAL_RATES else "")
        )
        for field, value in answers.items()
        if field.endswith("_throttle_rate")
        and not RATE_PATTERN.fullmatch(str(value))
        and not (field in OPTIONAL_RATES and value == "")
    ]


CHECKS: Final[tuple[Check, ...]] = (
    check_project_name,
    check_project_slug,
    check_author_email,
    check_access_token_lifetime,
    check_refresh_token_lifetime,
)


def find_problems(answers: Answers) -> list[str]:
    """Run every check and return the lines of those that failed.

    An old cookiecutter is refused on its own: it misreads the answers, so
    what the other checks would say about them is beside the point.
    """
    if line := check_cookiecutter_version():
        return [line]
    return [line for check in CHECKS if (line := check(answers))] + check_throttle_rates(answers)


def main() -> None:
    problems = find_problems(json.loads(CONTEXT_JSON))
    for line in problems:
        print(f"ERROR: {line}", file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
