"""Unit tests of the hooks' functions, without baking."""

from __future__ import annotations

import keyword

import pytest
from cookiecutter.prompt import prompt_for_config

from hooks import post_gen_project, pre_gen_project
from tests.matrix import COOKIECUTTER_JSON, TEMPLATE_PROJECT, Variant


@pytest.fixture
def in_the_project(monkeypatch):
    """Work where post_gen_project runs: in the generated project's folder."""
    monkeypatch.chdir(TEMPLATE_PROJECT)


def test_the_default_answers_pass_every_check():
    assert pre_gen_project.find_problems(Variant().answers()) == []


BAD_ANSWERS = [
    pytest.param("project_name", "   ", id="blank project name"),
    pytest.param("project_slug", "my-api", id="slug with a dash"),
    pytest.param("project_slug", "2fast", id="slug starting with a digit"),
    pytest.param("project_slug", "class", id="slug that is a keyword"),
    pytest.param("project_slug", "café", id="slug that is not ASCII"),
    pytest.param("author_email", "not-an-email", id="email without @"),
    pytest.param("access_token_lifetime_minutes", "0", id="access lifetime zero"),
    pytest.param("access_token_lifetime_minutes", "-5", id="access lifetime negative"),
    pytest.param("access_token_lifetime_minutes", "1.5", id="access lifetime fractional"),
    pytest.param("access_token_lifetime_minutes", "ten", id="access lifetime in words"),
    pytest.param("refresh_token_lifetime_days", "0", id="refresh lifetime zero"),
    pytest.param("login_throttle_rate", "5/fortnight", id="rate with an unknown period"),
    pytest.param("refresh_throttle_rate", "many/minute", id="rate without a number"),
    pytest.param("register_throttle_rate", "0/hour", id="rate of zero"),
    pytest.param("anon_throttle_rate", "100", id="rate without a period"),
    pytest.param("user_throttle_rate", "1000 per hour", id="rate in words"),
    pytest.param("login_account_throttle_rate", "10 an hour", id="account rate in words"),
    pytest.param("login_throttle_rate", "", id="empty login rate"),
]


@pytest.mark.parametrize(("field", "value"), BAD_ANSWERS)
def test_a_bad_answer_is_refused_in_one_line_naming_field_and_value(field, value):
    problems = pre_gen_project.find_problems({**Variant().answers(), field: value})

    assert len(problems) == 1
    assert problems[0].startswith(f"{field}: {value!r} is not accepted; ")
    assert "\n" not in problems[0]


def test_a_refresh_lifetime_shorter_than_the_access_lifetime_is_refused():
    answers = {
        **Variant().answers(),
        "access_token_lifetime_minutes": "2000",
        "refresh_token_lifetime_days": "1",
    }

    [problem] = pre_gen_project.find_problems(answers)

    assert problem.startswith("refresh_token_lifetime_days: '1' is not accepted;")
    assert "use at least 2" in problem


@pytest.mark.parametrize("rate", ["1/s", "10/sec", "5/minute", "100/hour", "7/day", "3/d"])
def test_rates_drf_parses_are_accepted(rate):
    assert pre_gen_project.find_problems({**Variant().answers(), "login_throttle_rate": rate}) == []


def test_an_empty_account_login_rate_is_accepted_as_no_limit():
    answers = {**Variant().answers(), "login_account_throttle_rate": ""}

    assert pre_gen_project.find_problems(answers) == []


@pytest.mark.usefixtures("in_the_project")
def test_asymmetric_algorithms_are_refused_when_no_key_can_be_made(monkeypatch):
    monkeypatch.setattr(post_gen_project, "can_make_key_pair", lambda: False)
    answers = {**Variant().answers(), "jwt_algorithm": "RS256"}

    problem = post_gen_project.check_key_pair_can_be_made(answers)

    assert problem.startswith("jwt_algorithm: 'RS256' is not accepted;")
    assert "pip install cryptography" in problem
    assert "\n" not in problem


@pytest.mark.usefixtures("in_the_project")
def test_hmac_algorithms_need_no_key_pair(monkeypatch):
    monkeypatch.setattr(post_gen_project, "can_make_key_pair", lambda: False)
    answers = {**Variant().answers(), "jwt_algorithm": "HS512"}

    assert post_gen_project.check_key_pair_can_be_made(answers) is None


COOKIE_FILES = {"jwt_auth/cookies.py", "jwt_auth/csrf.py", "tests/test_cookies.py"}
JWKS_FILES = {"signing_keys/jwks.py", "signing_keys/urls.py", "tests/test_jwks.py"}
DATABASE_CACHE_FILES = {"config/cache.py", "config/migrations"}
EMAIL_VERIFICATION_FILES = {"email_verification", "tests/test_email_verification.py"}
PASSKEY_FILES = {"passkeys", "tests/authenticator.py", "tests/test_passkeys.py"}
MFA_FILES = {"mfa", "tests/test_mfa.py", "tests/test_mfa_required.py"}


@pytest.mark.usefixtures("in_the_project")
@pytest.mark.parametrize(
    ("overrides", "pruned"),
    [
        pytest.param({}, COOKIE_FILES | JWKS_FILES, id="defaults"),
        pytest.param({"jwt_algorithm": "HS384"}, COOKIE_FILES | JWKS_FILES, id="HMAC: no JWKS"),
        pytest.param({"jwt_algorithm": "ES384"}, COOKIE_FILES, id="key pair: JWKS"),
        pytest.param(
            {"throttling": False},
            COOKIE_FILES
            | JWKS_FILES
            | {"api/throttles.py", "api/devices.py", "api/urls.py", "tests/test_throttling.py"},
            id="no throttling",
        ),
        pytest.param(
            {"user_registration": False},
            COOKIE_FILES | JWKS_FILES | {"tests/test_registration.py"},
            id="no registration",
        ),
        pytest.param({"token_storage": "cookie"}, JWKS_FILES, id="cookie transport"),
        pytest.param({"mfa": False}, COOKIE_FILES | JWKS_FILES | MFA_FILES, id="no MFA"),
        pytest.param(
            {"email_verification": "optional"},
            COOKIE_FILES | JWKS_FILES,
            id="optional email verification",
        ),
        pytest.param(
            {"email_verification": "none"},
            COOKIE_FILES | JWKS_FILES | EMAIL_VERIFICATION_FILES,
            id="no email verification",
        ),
        pytest.param(
            {"passkeys": False},
            COOKIE_FILES | JWKS_FILES | PASSKEY_FILES,
            id="no passkeys",
        ),
        pytest.param(
            {"cache": "redis"},
            COOKIE_FILES | JWKS_FILES | DATABASE_CACHE_FILES,
            id="cache in redis",
        ),
    ],
)
def test_unused_paths_follow_the_options(overrides, pruned):
    assert set(post_gen_project.unused_paths({**Variant().answers(), **overrides})) == pruned


@pytest.mark.parametrize(
    ("mfa", "dropped"),
    [pytest.param(True, [], id="MFA"), pytest.param(False, ["pyotp", "segno"], id="no MFA")],
)
def test_unused_packages_follow_the_options(mfa, dropped):
    assert post_gen_project.unused_packages({**Variant().answers(), "mfa": mfa}) == dropped


def test_a_package_leaves_the_lock_with_its_hashes_and_nothing_else():
    lock = (
        "# made by make lock\n"
        "django==5.2 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
        "pyotp==2.12.1 \\\n    --hash=sha256:cc\n"
        "segno==1.6.6 ; python_version >= '3.11' \\\n    --hash=sha256:dd\n"
        "sqlparse==0.5 \\\n    --hash=sha256:ee\n"
    )

    kept = post_gen_project.without_packages(lock, ["pyotp", "segno"])

    assert kept == (
        "# made by make lock\n"
        "django==5.2 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
        "sqlparse==0.5 \\\n    --hash=sha256:ee\n"
    )


def test_every_optional_file_is_in_the_template():
    assert [
        path for path in post_gen_project.OPTIONAL_FILES if not (TEMPLATE_PROJECT / path).exists()
    ] == []


def derived_slug(project_name: str) -> str:
    """The project_slug cookiecutter derives from ``project_name`` without prompting."""
    context = {"cookiecutter": {**COOKIECUTTER_JSON, "project_name": project_name}}
    return prompt_for_config(context, no_input=True)["project_slug"]


@pytest.mark.parametrize(
    ("project_name", "slug"),
    [
        ("Acme API", "acme_api"),
        ("Pet Store 2.0", "pet_store_2_0"),
        ("Café API", "cafe_api"),
        ("Acme's API", "acmes_api"),
        ("Acme\u2019s API", "acmes_api"),
        ("Déjà-Vu: the API!", "deja_vu_the_api"),
        ("2048 Game", "project_2048_game"),
        ("Import", "project_import"),
        ("!!!", "project"),
    ],
)
def test_the_slug_derived_from_any_name_is_accepted(project_name, slug):
    derived = derived_slug(project_name)

    assert derived == slug
    assert pre_gen_project.check_project_slug({"project_slug": derived}) is None


@pytest.mark.parametrize("project_name", ["日本語 API", "Straße für Ärzte", "class", "With", "3"])
def test_any_name_gives_an_ascii_identifier_that_is_not_a_keyword(project_name):
    slug = derived_slug(project_name)

    assert slug.isascii()
    assert slug.isidentifier()
    assert not keyword.iskeyword(slug)


@pytest.mark.parametrize("version", ["2.7.0", "2.7.1", "2.10.1.dev0", "3.0"])
def test_cookiecutter_27_or_later_is_accepted(monkeypatch, version):
    monkeypatch.setattr(pre_gen_project, "cookiecutter_version", lambda: version)

    assert pre_gen_project.find_problems(Variant().answers()) == []


@pytest.mark.parametrize("version", ["1.7.3", "2.1.2.dev0", "2.2.0", "2.6.0"])
def test_an_older_cookiecutter_is_refused_in_one_line_naming_the_version_needed(
    monkeypatch, version
):
    monkeypatch.setattr(pre_gen_project, "cookiecutter_version", lambda: version)

    [problem] = pre_gen_project.find_problems({**Variant().answers(), "throttling": "no"})

    assert problem.startswith(f"cookiecutter {version} is too old for this template:")
    assert "needs cookiecutter 2.7 or later" in problem


@pytest.mark.usefixtures("in_the_project")
@pytest.mark.parametrize(
    ("overrides", "name"),
    [
        pytest.param({}, "crypto-passkeys", id="defaults: passkeys need cryptography"),
        pytest.param({"passkeys": False}, "base", id="no passkeys"),
        pytest.param({"jwt_algorithm": "EdDSA", "passkeys": False}, "crypto", id="key pair"),
        pytest.param({"jwt_algorithm": "EdDSA"}, "crypto-passkeys", id="key pair and passkeys"),
        pytest.param(
            {"database": "postgresql", "cache": "locmem", "passkeys": False},
            "postgresql",
            id="postgresql",
        ),
        pytest.param(
            {"jwt_algorithm": "PS512", "database": "postgresql", "cache": "redis"},
            "crypto-passkeys-postgresql-redis",
            id="key pair, passkeys, postgresql and redis",
        ),
    ],
)
def test_the_lock_kept_follows_the_options_that_change_dependencies(overrides, name):
    assert post_gen_project.lock_name({**Variant().answers(), **overrides}) == name
