"""The generated project's scripts/create_env.py and signing_keys/keyset.py, as rendered.

The hook runs create_env.py to make the first secrets and key, and every new
checkout runs it too (``make .env``); ``manage.py jwt_keys`` makes the later
keys with the same keyset.py. Here their functions are tested one by one,
against the facts of signing_keys/algorithms.py.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import stat
import sys
from pathlib import Path
from types import ModuleType

import jwt
import pytest
from cookiecutter.main import cookiecutter

from tests.matrix import ALGORITHMS, ROOT

pytestmark = pytest.mark.slow

# One algorithm of each kind of key: each family, and each curve.
ONE_PER_KEY_KIND = list(
    {(facts.family, facts.curve): name for name, facts in ALGORITHMS.items()}.values()
)
ASYMMETRIC = [name for name in ONE_PER_KEY_KIND if not ALGORITHMS[name].shares_a_secret]
HMAC = next(name for name in ONE_PER_KEY_KIND if ALGORITHMS[name].shares_a_secret)


@pytest.fixture(scope="session")
def renders() -> dict[str, Path]:
    """One project per algorithm for the whole run: the tests only read its modules."""
    return {}


def render(algorithm: str, output: Path) -> Path:
    """The project rendered for ``algorithm``, without the hooks: the tests make its keys."""
    return Path(
        cookiecutter(
            str(ROOT),
            no_input=True,
            extra_context={"jwt_algorithm": algorithm},
            output_dir=str(output),
            accept_hooks=False,
        )
    )


@pytest.fixture
def project(renders, request, monkeypatch, tmp_path_factory) -> Path:
    """A project rendered with ``request.param`` as algorithm, its modules importable."""
    if request.param not in renders:
        renders[request.param] = render(request.param, tmp_path_factory.mktemp(request.param))
    path = renders[request.param]
    monkeypatch.syspath_prepend(str(path))
    for name in [name for name in sys.modules if name.split(".")[0] == "signing_keys"]:
        monkeypatch.delitem(sys.modules, name)  # another bake's, rendered for another algorithm
    return path


@pytest.fixture
def keyset(project) -> ModuleType:
    return importlib.import_module("signing_keys.keyset")


@pytest.fixture
def create_env(project) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "create_env", project / "scripts" / "create_env.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def algorithm_of(request) -> str:
    return request.node.callspec.params["project"]


@pytest.mark.parametrize("project", [HMAC], indirect=True)
def test_secrets_are_long_random_and_fresh(create_env):
    first, second = create_env.generate_secrets(), create_env.generate_secrets()

    assert set(first) == {"DJANGO_SECRET_KEY"}
    assert len(first["DJANGO_SECRET_KEY"]) >= 50
    assert first["DJANGO_SECRET_KEY"] != second["DJANGO_SECRET_KEY"]


@pytest.mark.parametrize(
    "project", [name for name in ALGORITHMS if ALGORITHMS[name].shares_a_secret], indirect=True
)
def test_hmac_secrets_are_at_least_as_long_as_the_hash_and_fresh(keyset, request):
    facts = ALGORITHMS[algorithm_of(request)]
    first, second = keyset.new_key(facts), keyset.new_key(facts)

    assert len(first.secret.encode()) >= facts.min_hmac_key_bytes
    assert first.secret != second.secret
    assert first.kid != second.kid


@pytest.mark.parametrize("how", ["key_pair_with_cryptography", "key_pair_with_openssl"])
@pytest.mark.parametrize("project", ASYMMETRIC, indirect=True)
def test_key_pairs_fit_their_algorithm(keyset, how, request):
    algorithm = algorithm_of(request)
    facts = ALGORITHMS[algorithm]
    private_pem, public_pem = getattr(keyset, how)(facts)

    jws = jwt.get_algorithm_by_name(algorithm)
    private_key = jws.prepare_key(private_pem)  # PyJWT refuses a key of another kind or curve
    public_jwk = jws.to_jwk(jws.prepare_key(public_pem), as_dict=True)
    assert jws.to_jwk(private_key.public_key(), as_dict=True) == public_jwk
    assert public_jwk["kty"] == facts.key_type
    assert public_jwk.get("crv") == facts.curve
    if facts.family == "rsa":
        assert private_key.key_size >= keyset.RSA_KEY_BITS


@pytest.mark.parametrize("project", [HMAC], indirect=True)
def test_an_hmac_project_has_no_key_pair_code(keyset):
    assert not hasattr(keyset, "make_key_pair")
    assert not hasattr(keyset, "subprocess")


@pytest.mark.parametrize("project", [HMAC], indirect=True)
def test_fill_env_sets_only_the_named_variables(create_env):
    example = "# comment\nDJANGO_SECRET_KEY=\nDJANGO_DEBUG=true\nJWT_KEYS=\n"

    filled = create_env.fill_env(example, {"DJANGO_SECRET_KEY": "s3cret"})

    assert filled == "# comment\nDJANGO_SECRET_KEY=s3cret\nDJANGO_DEBUG=true\nJWT_KEYS=\n"


@pytest.mark.parametrize("project", [HMAC], indirect=True)
def test_private_files_are_owner_only_and_never_overwritten(keyset, tmp_path):
    path = tmp_path / "secret"

    keyset.write_private_file(path, "value")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        keyset.write_private_file(path, "new")
    assert path.read_text() == "value"


def write_example(folder: Path, algorithm: str) -> None:
    example = (
        f"# JWT_KEYS=\nJWT_ALGORITHM={algorithm}\nJWT_KEYS_DIR=secrets/jwt\nDJANGO_SECRET_KEY=\n"
    )
    (folder / ".env.example").write_text(example)


@pytest.mark.parametrize("project", [HMAC], indirect=True)
def test_an_existing_env_file_is_kept_while_a_missing_key_set_is_made(create_env, tmp_path):
    write_example(tmp_path, HMAC)
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=keep-me\n")

    create_env.create_env(tmp_path)

    assert (tmp_path / ".env").read_text() == "DJANGO_SECRET_KEY=keep-me\n"
    assert (tmp_path / "secrets" / "jwt" / "keys.json").exists()


@pytest.mark.parametrize("project", [HMAC], indirect=True)
def test_with_env_and_key_set_there_it_says_so_and_changes_nothing(create_env, tmp_path, capsys):
    write_example(tmp_path, HMAC)
    create_env.create_env(tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}

    create_env.create_env(tmp_path)

    assert "exist already: kept" in capsys.readouterr().out
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize("project", [HMAC, ASYMMETRIC[0]], indirect=True)
def test_the_first_key_set_has_one_signing_key_for_its_owner_only(create_env, tmp_path, request):
    write_example(tmp_path, algorithm_of(request))

    create_env.create_env(tmp_path)

    keys = tmp_path / "secrets" / "jwt"
    manifest = json.loads((keys / "keys.json").read_text())
    [key] = manifest["keys"]
    assert manifest["signing"] == key["kid"]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    private = [path for path in keys.iterdir() if stat.S_IMODE(path.stat().st_mode) == 0o600]
    assert [path.name.split(".")[0] for path in private] == [key["kid"]]
    secret = create_env.read_variables((tmp_path / ".env").read_text())["DJANGO_SECRET_KEY"]
    assert len(secret) >= 50


@pytest.mark.parametrize("project", ["EdDSA"], indirect=True)
def test_an_existing_key_set_is_kept(create_env, tmp_path):
    write_example(tmp_path, "EdDSA")
    (tmp_path / "secrets" / "jwt").mkdir(parents=True)
    (tmp_path / "secrets" / "jwt" / "keys.json").write_text("existing")

    create_env.create_env(tmp_path)

    assert [path.name for path in (tmp_path / "secrets" / "jwt").iterdir()] == ["keys.json"]
    assert (tmp_path / "secrets" / "jwt" / "keys.json").read_text() == "existing"
    assert (tmp_path / ".env").exists()
