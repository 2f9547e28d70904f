"""The generated project's scripts/create_env.py, as rendered for each key family.

The hook runs it to make the first secrets, and every new checkout runs it
(``make .env``); here its functions are tested one by one.
"""

from __future__ import annotations

import importlib.util
import stat
from types import ModuleType

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

pytestmark = pytest.mark.slow

ONE_PER_KEY_KIND = ["HS512", "RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA"]


@pytest.fixture
def create_env(bake, request) -> ModuleType:
    """The create_env module of a project baked with ``request.param`` as algorithm."""
    project = bake(jwt_algorithm=request.param)
    path = project / "scripts" / "create_env.py"
    spec = importlib.util.spec_from_file_location(f"create_env_{request.param}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_key_type(algorithm: str) -> tuple[type, str | None]:
    if algorithm[:2] in ("RS", "PS"):
        return rsa.RSAPrivateKey, None
    if algorithm.startswith("ES"):
        curve = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}[algorithm]
        return ec.EllipticCurvePrivateKey, curve
    return ed25519.Ed25519PrivateKey, None


@pytest.mark.parametrize("create_env", ONE_PER_KEY_KIND, indirect=True)
def test_secrets_are_long_random_and_fresh(create_env, request):
    algorithm = request.node.callspec.params["create_env"]
    first, second = create_env.generate_secrets(), create_env.generate_secrets()

    assert len(first["DJANGO_SECRET_KEY"]) >= 50
    assert first["DJANGO_SECRET_KEY"] != second["DJANGO_SECRET_KEY"]
    if algorithm.startswith("HS"):
        assert len(first["JWT_SIGNING_KEY"].encode()) >= 64
        assert first["JWT_SIGNING_KEY"] != second["JWT_SIGNING_KEY"]
        assert first["JWT_SIGNING_KEY"] != first["DJANGO_SECRET_KEY"]
    else:
        assert set(first) == {"DJANGO_SECRET_KEY"}


@pytest.mark.parametrize("how", ["key_pair_with_cryptography", "key_pair_with_openssl"])
@pytest.mark.parametrize("create_env", ONE_PER_KEY_KIND[1:], indirect=True)
def test_key_pairs_fit_their_algorithm(create_env, how, request):
    algorithm = request.node.callspec.params["create_env"]
    private_pem, public_pem = getattr(create_env, how)()

    private_key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    key_type, curve = expected_key_type(algorithm)
    assert isinstance(private_key, key_type)
    if curve:
        assert private_key.curve.name == curve
    if isinstance(private_key, rsa.RSAPrivateKey):
        assert private_key.key_size >= 3072
    derived = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert derived.decode() == public_pem


@pytest.mark.parametrize("create_env", ["HS256"], indirect=True)
def test_an_hmac_project_has_no_key_pair_code(create_env):
    assert not hasattr(create_env, "make_key_pair")
    assert not hasattr(create_env, "subprocess")


@pytest.mark.parametrize("create_env", ["HS256"], indirect=True)
def test_fill_env_sets_only_the_named_variables(create_env):
    example = "# comment\nDJANGO_SECRET_KEY=\nDJANGO_DEBUG=true\nJWT_SIGNING_KEY=\n"

    filled = create_env.fill_env(example, {"DJANGO_SECRET_KEY": "s3cret"})

    assert filled == "# comment\nDJANGO_SECRET_KEY=s3cret\nDJANGO_DEBUG=true\nJWT_SIGNING_KEY=\n"


@pytest.mark.parametrize("create_env", ["HS256"], indirect=True)
def test_private_files_are_owner_only_and_never_overwritten(create_env, tmp_path):
    path = tmp_path / "secret"

    create_env.write_private_file(path, "value")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        create_env.write_private_file(path, "new")
    assert path.read_text() == "value"


@pytest.mark.parametrize("create_env", ["HS256"], indirect=True)
def test_an_existing_env_file_is_never_overwritten(create_env, tmp_path):
    (tmp_path / ".env.example").write_text("DJANGO_SECRET_KEY=\n")
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=keep-me\n")

    with pytest.raises(SystemExit, match="exists already"):
        create_env.create_env(tmp_path)

    assert (tmp_path / ".env").read_text() == "DJANGO_SECRET_KEY=keep-me\n"


@pytest.mark.parametrize("create_env", ["EdDSA"], indirect=True)
def test_an_existing_private_key_is_kept(create_env, tmp_path):
    example = "# JWT_X=commented\nJWT_PRIVATE_KEY_FILE=keys/p.pem\nJWT_PUBLIC_KEY_FILE=keys/k.pem\n"
    (tmp_path / ".env.example").write_text(example + "DJANGO_SECRET_KEY=\n")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "p.pem").write_text("existing")

    create_env.create_env(tmp_path)

    assert (tmp_path / "keys" / "p.pem").read_text() == "existing"
    secret = create_env.read_variables((tmp_path / ".env").read_text())["DJANGO_SECRET_KEY"]
    assert len(secret) >= 50
