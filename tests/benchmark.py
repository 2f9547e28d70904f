"""How long the template takes to bake and check, so slowdowns show up.

Measures, and prints as a small plain-text report:

1. one bake of the default answers, repeated ``--bakes`` times (min and median);
2. ``check_variant`` on a freshly baked default project, in total and per step;
3. the peak resident memory of any child process so far (the checks' tools);
4. the whole suite, ``pytest -q -n auto --dist loadgroup``, wall time and pytest's last line
   (minutes; ``--skip-suite`` leaves it out).

Run from the repository root with ``make benchmark``, or by hand::

    python -m tests.benchmark [--bakes N] [--skip-suite]

Not a test: pytest collects only ``test_*.py``.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter
from typing import Any

from cookiecutter.main import cookiecutter

from tests import variants
from tests.variants import ROOT, Variant, check_variant

LABEL_WIDTH = 24
SUITE_COMMAND = [sys.executable, "-m", "pytest", "-q", "-n", "auto", "--dist", "loadgroup"]

StepTimings = list[tuple[str, float]]


@contextmanager
def silenced_stdout() -> Iterator[None]:
    """Send file descriptor 1 to /dev/null: the post-gen hook, a child, prints next steps."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def bake(output_dir: Path, variant: Variant) -> Path:
    """Bake ``variant`` into ``output_dir``, replay files and all kept inside it."""
    config = output_dir / "cookiecutter-config.yaml"
    settings = {
        "cookiecutters_dir": output_dir / "cookiecutters",
        "replay_dir": output_dir / "replay",
    }
    config.write_text("".join(f"{key}: {value}\n" for key, value in settings.items()), "utf-8")
    with silenced_stdout():
        project = cookiecutter(
            str(ROOT),
            no_input=True,
            output_dir=str(output_dir),
            extra_context=dict(variant.overrides),
            config_file=str(config),
        )
    return Path(project)


def time_bakes(runs: int, variant: Variant) -> list[float]:
    seconds = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-bake-") as tmp:
            start = perf_counter()
            bake(Path(tmp), variant)
            seconds.append(perf_counter() - start)
    return seconds


@contextmanager
def timed_steps() -> Iterator[StepTimings]:
    """Time every ``run_step`` that ``check_variant`` makes, in the order it makes them."""
    timings: StepTimings = []
    original = variants.run_step

    @functools.wraps(original)
    def timed_run_step(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        step = inspect.signature(original).bind(*args, **kwargs).arguments["step"]
        start = perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings.append((step, perf_counter() - start))

    variants.run_step = timed_run_step
    try:
        yield timings
    finally:
        variants.run_step = original


def time_checks(variant: Variant) -> tuple[float, StepTimings]:
    """Total seconds of ``check_variant`` on a fresh bake, and each step's."""
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        project = bake(Path(tmp), variant)
        with timed_steps() as timings:
            start = perf_counter()
            check_variant(project, variant)
            total = perf_counter() - start
    return total, timings


def peak_child_rss_mib() -> float:
    """Largest resident set of any child waited for so far (Linux: KiB, macOS: bytes)."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def run_suite() -> tuple[float, int, str]:
    """Wall seconds, exit status and last output line of the whole suite."""
    start = perf_counter()
    result = subprocess.run(SUITE_COMMAND, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = perf_counter() - start
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return seconds, result.returncode, lines[-1] if lines else "(no output)"


def report(label: str, figures: str) -> None:
    print(f"{label:<{LABEL_WIDTH}}{figures}", flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--bakes", type=int, default=5, metavar="N", help="timed bakes (default: 5)"
    )
    parser.add_argument(
        "--skip-suite", action="store_true", help="leave out the whole suite (it takes minutes)"
    )
    args = parser.parse_args(argv)
    if args.bakes < 1:
        parser.error("--bakes must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    variant = Variant()

    bakes = time_bakes(args.bakes, variant)
    report(
        f"bake ({variant.id})",
        f"min {min(bakes):.2f} s  median {statistics.median(bakes):.2f} s  ({len(bakes)} runs)",
    )

    total, steps = time_checks(variant)
    report(f"checks ({variant.id})", f"{total:6.2f} s")
    for step, seconds in steps:
        report(f"  {step}", f"{seconds:6.2f} s")
    report("  (template scan, rest)", f"{total - sum(s for _, s in steps):6.2f} s")
    report("peak child RSS", f"{peak_child_rss_mib():6.1f} MiB")

    if args.skip_suite:
        report("suite", "skipped (--skip-suite)")
        return 0
    seconds, status, last_line = run_suite()
    report("suite (-n auto)", f"{seconds:6.1f} s  exit {status}  {last_line}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
