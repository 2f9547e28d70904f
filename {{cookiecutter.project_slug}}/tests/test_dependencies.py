"""requirements.lock, which `make` and CI install, pins what pyproject.toml asks for.

After a change to the dependencies in pyproject.toml, this fails until
`make lock` renews the lock.
"""

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .helpers import BASE_DIR

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def test_the_lock_pins_every_dependency_within_its_range():
    pyproject = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    lock = (BASE_DIR / "requirements.lock").read_text(encoding="utf-8")
    locked = {canonicalize_name(name): version for name, version in PIN.findall(lock)}
    lines = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]

    unlocked = [
        line
        for line in lines
        if (version := locked.get(canonicalize_name(Requirement(line).name))) is None
        or not Requirement(line).specifier.contains(version, prereleases=True)
    ]

    assert unlocked == [], f"not pinned by requirements.lock (run make lock): {unlocked}"
