"""Unit tests of the hooks and of the project's secrets script, without baking."""

from __future__ import annotations

import importlib.util
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from hooks import post_gen_project, pre_gen_project
from tests.variants import COOKIECUTTER_JSON, ROOT, choices, default_of


def load_create_env():
    """Import the generated project's scripts/create_env.py (plain Python, no Jinja)."""
    path = ROOT / "{{cookiecutter.project_slug}}" / "scripts" / "create_env.py"
    spec = importlib.util.spec_from_file_location("create_env", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


create_env = load_create_env()


def default_answers() -> dict[str, object]:
    answers = {option: default_of(option) for option in COOKIECUTTER_JSON if option[0] != "_"}
    return {**answers, "project_slug": "acme_api"}


def test_the_default_answers_pass_every_check():
    assert pre_gen_project.find_problems(default_answers()) == []


BAD_ANSWERS = [
    ("project_name", "   "),
    ("project_slug", "my-api"),
    ("project_slug", "2fast"),
    ("project_slug", "class"),
    ("project_slug", "café"),
    ("author_email", "not-an-email"),
    ("access_token_lifetime_minutes", "0"),
    ("access_token_lifetime_minutes", "-5"),
    ("access_token_lifetime_minutes", "1.5"),
    ("access_token_lifetime_minutes", "ten"),
    ("refresh_token_lifetime_days", "0"),
    ("login_throttle_rate", "5/fortnight"),
    ("refresh_throttle_rate", "many/minute"),
    ("register_throttle_rate", "0/hour"),
    ("anon_throttle_rate", "100"),
    ("user_throttle_rate", "1000 per hour"),
]


@pytest.mark.parametrize(("field", "value"), BAD_ANSWERS, ids=lambda item: str(item))
def test_a_bad_answer_is_refused_in_one_line_naming_field_and_value(field, value):
    problems = pre_gen_project.find_problems({**default_answers(), field: value})

    assert len(problems) == 1
    assert problems[0].startswith(f"{field}: {value!r} is not accepted; ")
    assert "\n" not in problems[0]


def test_a_refresh_lifetime_shorter_than_the_access_lifetime_is_refused():
    answers = {
        **default_answers(),
        "access_token_lifetime_minutes": "2000",
        "refresh_token_lifetime_days": "1",
    }

    [problem] = pre_gen_project.find_problems(answers)

    assert problem.startswith("refresh_token_lifetime_days: '1' is not accepted;")
    assert "use at least 2" in problem


@pytest.mark.parametrize("rate", ["1/s", "10/sec", "5/minute", "100/hour", "7/day", "3/d"])
def test_rates_drf_parses_are_accepted(rate):
    assert pre_gen_project.find_problems({**default_answers(), "login_throttle_rate": rate}) == []


def test_asymmetric_algorithms_are_refused_when_no_key_can_be_made(monkeypatch):
    monkeypatch.setattr(pre_gen_project, "can_make_key_pair", lambda: False)
    answers = {**default_answers(), "jwt_algorithm": "RS256"}

    [problem] = pre_gen_project.find_problems(answers)

    assert problem.startswith("jwt_algorithm: 'RS256' is not accepted;")
    assert "pip install cryptography" in problem


def test_hmac_algorithms_need_no_key_pair(monkeypatch):
    monkeypatch.setattr(pre_gen_project, "can_make_key_pair", lambda: False)

    assert pre_gen_project.find_problems({**default_answers(), "jwt_algorithm": "HS512"}) == []


def test_fill_env_sets_only_the_named_variables():
    example = "# comment\nDJANGO_SECRET_KEY=\nDJANGO_DEBUG=true\nJWT_SIGNING_KEY=\n"

    filled = create_env.fill_env(example, {"DJANGO_SECRET_KEY": "s3cret"})

    assert filled == "# comment\nDJANGO_SECRET_KEY=s3cret\nDJANGO_DEBUG=true\nJWT_SIGNING_KEY=\n"


@pytest.mark.parametrize("algorithm", choices("jwt_algorithm"))
def test_secrets_are_long_random_and_fresh(algorithm):
    first = create_env.generate_secrets(algorithm)
    second = create_env.generate_secrets(algorithm)

    assert len(first["DJANGO_SECRET_KEY"]) >= 50
    assert first["DJANGO_SECRET_KEY"] != second["DJANGO_SECRET_KEY"]
    if algorithm.startswith("HS"):
        assert len(first["JWT_SIGNING_KEY"].encode()) >= 64
        assert first["JWT_SIGNING_KEY"] not in (
            second["JWT_SIGNING_KEY"],
            first["DJANGO_SECRET_KEY"],
        )
    else:
        assert "JWT_SIGNING_KEY" not in first


def expected_key_type(algorithm: str) -> tuple[type, str | None]:
    if algorithm[:2] in ("RS", "PS"):
        return rsa.RSAPrivateKey, None
    if algorithm.startswith("ES"):
        curve = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}[algorithm]
        return ec.EllipticCurvePrivateKey, curve
    return ed25519.Ed25519PrivateKey, None


ASYMMETRIC = [algorithm for algorithm in choices("jwt_algorithm") if not algorithm.startswith("HS")]


@pytest.mark.parametrize(
    "make_pair",
    [create_env.key_pair_with_cryptography, create_env.key_pair_with_openssl],
    ids=["cryptography", "openssl"],
)
@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "ES384", "ES512", "EdDSA"])
def test_key_pairs_fit_their_algorithm(make_pair, algorithm):
    private_pem, public_pem = make_pair(algorithm)

    private_key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    key_type, curve = expected_key_type(algorithm)
    assert isinstance(private_key, key_type)
    if curve:
        assert private_key.curve.name == curve
    if isinstance(private_key, rsa.RSAPrivateKey):
        assert private_key.key_size >= 2048
    derived = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert derived.decode() == public_pem


def test_every_asymmetric_algorithm_has_a_key_family():
    families = {create_env.key_family(algorithm) for algorithm in ASYMMETRIC}

    assert families == {"rsa", "ec", "eddsa"}


def test_private_files_are_created_owner_only(tmp_path):
    path = tmp_path / "secret"

    create_env.write_private_file(path, "value")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "value"


def test_private_files_never_overwrite(tmp_path):
    path = tmp_path / "secret"
    path.write_text("old")

    with pytest.raises(FileExistsError):
        create_env.write_private_file(path, "new")


@pytest.mark.parametrize(
    ("overrides", "pruned"),
    [
        ({}, {"jwt_auth/cookies.py", "tests/test_cookies.py"}),
        ({"throttling": False}, {"tests/test_throttling.py"}),
        ({"user_registration": False}, {"tests/test_registration.py"}),
        ({"token_storage": "cookie"}, set()),
    ],
)
def test_unused_paths_follow_the_options(overrides, pruned):
    paths = set(post_gen_project.unused_paths({**default_answers(), **overrides}))

    assert pruned <= paths
    if "token_storage" in overrides:
        assert "jwt_auth/cookies.py" not in paths


def test_read_variables_skips_comments():
    text = "# NAME=commented\nJWT_ALGORITHM=ES256\n\n# note\nEMPTY=\n"

    assert create_env.read_variables(text) == {"JWT_ALGORITHM": "ES256", "EMPTY": ""}


def test_create_env_never_overwrites_an_env_file(tmp_path):
    (tmp_path / ".env.example").write_text("JWT_ALGORITHM=HS256\nDJANGO_SECRET_KEY=\n")
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=keep-me\n")

    with pytest.raises(SystemExit, match="exists already"):
        create_env.create_env(tmp_path)

    assert (tmp_path / ".env").read_text() == "DJANGO_SECRET_KEY=keep-me\n"


def test_create_env_keeps_an_existing_key_pair(tmp_path):
    example = (
        "JWT_ALGORITHM=EdDSA\nJWT_PRIVATE_KEY_FILE=keys/p.pem\nJWT_PUBLIC_KEY_FILE=keys/k.pem\n"
    )
    (tmp_path / ".env.example").write_text(example + "DJANGO_SECRET_KEY=\n")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "p.pem").write_text("existing")

    create_env.create_env(tmp_path)

    assert (tmp_path / "keys" / "p.pem").read_text() == "existing"
    assert (
        len(create_env.read_variables((tmp_path / ".env").read_text())["DJANGO_SECRET_KEY"]) >= 50
    )
