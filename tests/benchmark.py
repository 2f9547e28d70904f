"""How fast the template and the projects it makes are, so slowdowns show up.

Measures, and prints as a small plain-text report:

1. one bake of the default answers, repeated ``--bakes`` times (min and median);
2. ``check_variant`` on a freshly baked default project, in total and per step;
3. the cost of the project's JWT authentication, for one algorithm of each
   key family: a baked project served by gunicorn (one worker, production
   mode) answers a trivial view with its authentication and the same view
   with none, ``--requests`` times each, interleaved; the report gives both
   medians and their ratio (1.00 would be free authentication; the target is
   at least 0.85);
4. what a login's security event costs: the project's login against the same
   login with its ``record`` call left out, timed interleaved in one served
   project with the production hasher (the target is at most 5 %);
5. logins per second with the project's password hasher against Django's
   default PBKDF2, timed in the same run, and the memory each needs;
6. whether a password reset tells who has an account by its timing: the
   default bake, served as in 3., answers reset requests for an address with
   an account and one without, ``--requests`` times each, interleaved; the
   report gives each one's 10th, 50th and 90th percentiles and how often the
   address with an account was the slower of a pair (50 % means nothing
   tells them apart; the third attack run measured 67-76 % before the lookup
   and the email moved behind the answer);
7. multi-factor sign-in: a login without MFA in a project with the ``mfa``
   option and in one without (ratio: the option's cost to users who do not
   use it), and with MFA on, the second step (mfa_token and a TOTP code)
   against one check of the password with the project's hasher (ratio);
8. the whole suite, ``pytest -q -n auto``, wall time and pytest's last line
   (minutes; ``--skip-suite`` leaves it out).

Run from the repository root with ``make benchmark``, or by hand::

    python -m tests.benchmark [--bakes N] [--requests N] [--skip-suite]

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

from tests import steps
from tests.matrix import ROOT, Variant, algorithms_by_family
from tests.servers import migrate_with_user, request, serving
from tests.steps import BIN, check_variant

LABEL_WIDTH = 24
# The first algorithm of each key family: HS256, RS256, ES256, EdDSA.
AUTH_ALGORITHMS = [algorithms[0] for algorithms in algorithms_by_family().values()]
WARM_UP_REQUESTS = 100
WARM_UP_LOGINS = 5
BENCH_USER = "bench-user"
BENCH_PASSWORD = "a-long-bench-passphrase"
# Written into the baked project for the timing only: the same trivial view,
# once open to all and once behind the project's authentication. Neither is
# throttled, so the difference is the authentication alone.
BENCH_URLS = """
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from jwt_auth import transport
from jwt_auth.views import LoginView


class OpenView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()

    def get(self, request):
        return Response({"ok": True})


class AuthenticatedView(OpenView):
    authentication_classes = APIView.authentication_classes
    permission_classes = (IsAuthenticated,)


# The project's login without its security event: the baseline of the event's cost.
class UnrecordedLoginView(LoginView):
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=transport.login_request_data(request))
        serializer.is_valid(raise_exception=True)
        return transport.sign_in(request, serializer.user)


urlpatterns = [
    path("bench/open/", OpenView.as_view()),
    path("bench/authenticated/", AuthenticatedView.as_view()),
    path("bench/login-unrecorded/", UnrecordedLoginView.as_view()),
    *project_urlpatterns,
]
"""
BENCH_SETTINGS = """from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
# Logins timed by the hundred: no login rate limit.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
"""
# Logs in ``runs`` times with one hasher; prints seconds per login and peak RSS (KiB).
LOGIN_TIMER = """
import resource, sys, time
import django
django.setup()
from django.utils.module_loading import import_string
hasher, runs = import_string(sys.argv[1])(), int(sys.argv[2])
encoded = hasher.encode("a-long-bench-passphrase", hasher.salt())
start = time.perf_counter()
for _ in range(runs):
    assert hasher.verify("a-long-bench-passphrase", encoded)
print((time.perf_counter() - start) / runs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
# Times the API's login steps in-process (Django's test client, a fresh SQLite
# database, no rate limits); prints the median seconds of each measure.
LOGIN_STEPS_TIMER = """
import statistics, sys, tempfile, time
from pathlib import Path
import django
from django.conf import settings
settings.DATABASES["default"]["NAME"] = Path(tempfile.mkdtemp()) / "bench.sqlite3"
settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
settings.ALLOWED_HOSTS = ["testserver"]  # the test client's host
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password, check_password
from django.test import Client
call_command("migrate", verbosity=0)
runs, password = int(sys.argv[1]), "a-long-bench-passphrase"
User = get_user_model()
plain = User.objects.create_user("plain", password=password)
client = Client()

def median(step, prepare=lambda: None):
    seconds = []
    for _ in range(runs):
        prepared = prepare()
        start = time.perf_counter()
        step(prepared)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)

def log_in(username):
    body = {"username": username, "password": password}
    response = client.post("/api/auth/token/", body, "application/json")
    assert response.status_code == 200, response.content
    return response.json()

times = {"login": median(lambda _: log_in("plain"))}
if "mfa" in settings.INSTALLED_APPS:
    import pyotp
    from mfa import factors
    from mfa.models import TOTPDevice
    second = User.objects.create_user("second", password=password)
    device = factors.start_totp(second)
    factors.confirm_totp(None, second, device)

    def challenge():
        TOTPDevice.objects.filter(user=second).update(last_step=None)  # a fresh code each run
        return log_in("second")["mfa_token"], pyotp.TOTP(device.secret).now()

    def verify(prepared):
        body = {"mfa_token": prepared[0], "code": prepared[1]}
        response = client.post("/api/auth/mfa/verify/", body, "application/json")
        assert response.status_code == 200, response.content

    encoded = make_password(password)
    times["first step"] = median(lambda _: log_in("second"))
    times["second step"] = median(verify, challenge)
    times["password check"] = median(lambda _: check_password(password, encoded))
print(" ".join(f"{name.replace(' ', '_')}={seconds}" for name, seconds in times.items()))
"""
SUITE_COMMAND = [sys.executable, "-m", "pytest", "-q", "-n", "auto"]

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
    original = steps.run_step

    @functools.wraps(original)
    def timed_run_step(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        step = inspect.signature(original).bind(*args, **kwargs).arguments["step"]
        start = perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings.append((step, perf_counter() - start))

    steps.run_step = timed_run_step
    try:
        yield timings
    finally:
        steps.run_step = original


def time_checks(variant: Variant) -> tuple[float, StepTimings]:
    """Total seconds of ``check_variant`` on a fresh bake, and each step's."""
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        project = bake(Path(tmp), variant)
        with timed_steps() as timings:
            start = perf_counter()
            check_variant(project, variant)
            total = perf_counter() - start
    return total, timings


def timed_get(port: int, path: str, token: str | None = None) -> float:
    """Seconds one GET takes, connection included (gunicorn closes it after each)."""
    start = perf_counter()
    status, _body = request(port, "GET", path, token=token)
    seconds = perf_counter() - start
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return seconds


@contextmanager
def bench_server(algorithm: str) -> Iterator[int]:
    """A baked project with the bench views, served by one gunicorn worker; yields its port."""
    with tempfile.TemporaryDirectory(prefix="bench-auth-") as tmp:
        project = bake(Path(tmp), Variant({"jwt_algorithm": algorithm}))
        (project / "bench_urls.py").write_text(BENCH_URLS, encoding="utf-8")
        (project / "bench_settings.py").write_text(BENCH_SETTINGS, encoding="utf-8")
        env = {
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
        }
        migrate_with_user(project, algorithm, env, BENCH_USER, BENCH_PASSWORD)
        command = [str(BIN / "gunicorn"), "config.wsgi", "--workers", "1", "--bind"]
        log = Path(tmp) / "gunicorn.log"
        with serving([*command, "127.0.0.1:{port}"], project, env, log) as port:
            yield port


def time_authentication(algorithm: str, requests: int) -> tuple[float, float]:
    """Median seconds of the open and the authenticated view, timed interleaved."""
    with bench_server(algorithm) as port:
        credentials = {"username": BENCH_USER, "password": BENCH_PASSWORD}
        _status, tokens = request(port, "POST", "/api/auth/token/", credentials)
        access = tokens["access"]
        open_times, authenticated_times = [], []
        for index in range(WARM_UP_REQUESTS + requests):
            opened = timed_get(port, "/bench/open/")
            authenticated = timed_get(port, "/bench/authenticated/", access)
            if index >= WARM_UP_REQUESTS:
                open_times.append(opened)
                authenticated_times.append(authenticated)
    return statistics.median(open_times), statistics.median(authenticated_times)


def timed_login(port: int, path: str) -> float:
    """Seconds one successful login takes at ``path``."""
    start = perf_counter()
    status, _body = request(
        port, "POST", path, {"username": BENCH_USER, "password": BENCH_PASSWORD}
    )
    seconds = perf_counter() - start
    if status != 200:
        raise RuntimeError(f"POST {path} answered {status}")
    return seconds


def time_login_event(logins: int) -> tuple[float, float]:
    """Median seconds of a login with its security event and of the same login without."""
    with bench_server(AUTH_ALGORITHMS[0]) as port:
        recorded, unrecorded = [], []
        for index in range(WARM_UP_LOGINS + logins):
            # Each goes first every other time: neither always follows the other.
            if index % 2:
                without_event = timed_login(port, "/bench/login-unrecorded/")
                with_event = timed_login(port, "/api/auth/token/")
            else:
                with_event = timed_login(port, "/api/auth/token/")
                without_event = timed_login(port, "/bench/login-unrecorded/")
            if index >= WARM_UP_LOGINS:
                recorded.append(with_event)
                unrecorded.append(without_event)
    return statistics.median(recorded), statistics.median(unrecorded)


def timed_reset(port: int, email: str) -> float:
    """Seconds one password reset request takes; it must answer 202."""
    start = perf_counter()
    status, _body = request(port, "POST", "/api/auth/password/reset/", {"email": email})
    seconds = perf_counter() - start
    if status != 202:
        raise RuntimeError(f"password reset for {email} answered {status}")
    return seconds


def time_password_resets(requests: int) -> tuple[list[float], list[float]]:
    """Seconds of each reset for an address with an account and one without, interleaved."""
    with tempfile.TemporaryDirectory(prefix="bench-reset-") as tmp:
        project = bake(Path(tmp), Variant())
        env = {
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            # The emails stay in memory; the limits stay out of the timing.
            "EMAIL_URL": "memorymail://",
            "THROTTLE_ANON_RATE": "1000000/hour",
            "THROTTLE_USER_RATE": "1000000/hour",
            "THROTTLE_PASSWORD_RESET_RATE": "1000000/hour",
        }
        migrate_with_user(project, "reset", env, BENCH_USER, BENCH_PASSWORD)
        command = [str(BIN / "gunicorn"), "config.wsgi", "--workers", "1", "--bind"]
        log = Path(tmp) / "gunicorn.log"
        known, unknown = [], []
        with serving([*command, "127.0.0.1:{port}"], project, env, log) as port:
            for index in range(WARM_UP_REQUESTS + requests):
                # Alternate which goes first, so neither always follows the other's email.
                pair = [f"{BENCH_USER}@example.com", "nobody@example.com"]
                order = pair if index % 2 else pair[::-1]
                seconds = {email: timed_reset(port, email) for email in order}
                if index >= WARM_UP_REQUESTS:
                    known.append(seconds[pair[0]])
                    unknown.append(seconds[pair[1]])
    return known, unknown


def percentiles(samples: Sequence[float]) -> str:
    """The 10th, 50th and 90th percentiles of ``samples``, in microseconds."""
    deciles = [f"{seconds * 1e6:5.0f}" for seconds in statistics.quantiles(samples, n=10)]
    return f"p10 {deciles[0]}  p50 {deciles[4]}  p90 {deciles[8]} us"


def time_logins(hashers: Sequence[str], runs: int) -> dict[str, tuple[float, float]]:
    """Seconds per login and peak MiB for each hasher, each in a fresh process, alternating."""
    with tempfile.TemporaryDirectory(prefix="bench-login-") as tmp:
        project = bake(Path(tmp), Variant())
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        samples: dict[str, list[tuple[float, float]]] = {hasher: [] for hasher in hashers}
        for _round in range(3):
            for hasher in hashers:
                result = subprocess.run(
                    [sys.executable, "-c", LOGIN_TIMER, hasher, str(runs)],
                    cwd=project,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                seconds, rss_kib = result.stdout.split()
                samples[hasher].append((float(seconds), int(rss_kib) / 2**10))
    return {
        hasher: (min(s for s, _ in runs_), max(m for _, m in runs_))
        for hasher, runs_ in samples.items()
    }


def time_login_steps(runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds of the login steps with the ``mfa`` option, and of a login without it."""
    measures = []
    for mfa in (True, False):
        with tempfile.TemporaryDirectory(prefix="bench-mfa-") as tmp:
            project = bake(Path(tmp), Variant({"mfa": mfa}))
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
            result = subprocess.run(
                [sys.executable, "-c", LOGIN_STEPS_TIMER, str(runs)],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            pairs = (item.split("=") for item in result.stdout.split())
            measures.append({name.replace("_", " "): float(value) for name, value in pairs})
    return measures[0], measures[1]


def project_hasher() -> str:
    """The first (hashing) entry of the default bake's PASSWORD_HASHERS."""
    with tempfile.TemporaryDirectory(prefix="bench-hasher-") as tmp:
        project = bake(Path(tmp), Variant())
        script = "from config import settings; print(settings.PASSWORD_HASHERS[0])"
        return subprocess.run(
            [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=True
        ).stdout.strip()


def peak_child_rss_mib() -> float:
    """Largest resident set of any child waited for so far (Linux: KiB, macOS: bytes)."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def run_suite() -> tuple[float, int, str]:
    """Wall seconds, exit status and last output line of the whole suite."""
    start = perf_counter()
    # As `make check` runs it: pytest may cache the plugin modules it rewrites.
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    result = subprocess.run(
        SUITE_COMMAND, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
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
        "--requests",
        type=int,
        default=1500,
        metavar="N",
        help="timed requests per view and algorithm (default: 1500)",
    )
    parser.add_argument(
        "--logins",
        type=int,
        default=100,
        metavar="N",
        help="timed logins with and without their security event (default: 100)",
    )
    parser.add_argument(
        "--skip-suite", action="store_true", help="leave out the whole suite (it takes minutes)"
    )
    args = parser.parse_args(argv)
    if args.bakes < 1:
        parser.error("--bakes must be at least 1")
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    if args.logins < 1:
        parser.error("--logins must be at least 1")
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

    for algorithm in AUTH_ALGORITHMS:
        opened, authenticated = time_authentication(algorithm, args.requests)
        report(
            f"authentication {algorithm}",
            f"open {opened * 1e6:5.0f} us  authenticated {authenticated * 1e6:5.0f} us  "
            f"ratio {opened / authenticated:.2f}  (target >= 0.85)",
        )

    recorded, unrecorded = time_login_event(args.logins)
    report(
        "login security event",
        f"with {recorded * 1e3:6.1f} ms  without {unrecorded * 1e3:6.1f} ms  "
        f"growth {(recorded / unrecorded - 1) * 100:+.1f} %  (target <= +5 %)",
    )

    default_pbkdf2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    ours = project_hasher()
    logins = time_logins([ours, default_pbkdf2], runs=10)
    for hasher, (seconds, mib) in logins.items():
        report(f"login {hasher.rsplit('.', 1)[-1]}", f"{1 / seconds:6.1f} /s  peak {mib:5.1f} MiB")
    report("login speed-up", f"{logins[default_pbkdf2][0] / logins[ours][0]:6.1f} x PBKDF2")

    known, unknown = time_password_resets(args.requests)
    report("reset, with account", percentiles(known))
    report("reset, without", percentiles(unknown))
    slower = sum(k > u for k, u in zip(known, unknown, strict=True)) / len(known)
    report("reset, account slower", f"{slower:6.1%} of {len(known)} pairs (50 % = no tell)")
    with_option, without_option = time_login_steps(runs=20)
    report(
        "login without MFA",
        f"{with_option['login'] * 1e3:6.1f} ms (mfa=yes)  {without_option['login'] * 1e3:6.1f} ms "
        f"(mfa=no)  ratio {with_option['login'] / without_option['login']:.2f}",
    )
    report(
        "login with MFA",
        f"first step {with_option['first step'] * 1e3:6.1f} ms  "
        f"second step {with_option['second step'] * 1e3:6.1f} ms",
    )
    report(
        "second step",
        f"{with_option['second step'] / with_option['password check']:6.2f} x a password check "
        f"({with_option['password check'] * 1e3:.1f} ms)",
    )

    if args.skip_suite:
        report("suite", "skipped (--skip-suite)")
        return 0
    seconds, status, last_line = run_suite()
    report("suite (-n auto)", f"{seconds:6.1f} s  exit {status}  {last_line}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
