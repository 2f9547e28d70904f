"""The fixtures every test module may ask for; the helpers they call are in helpers.py."""

import gc
import shutil
{%- if cookiecutter.throttling %}
import time
{%- endif %}
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient
{%- if cookiecutter.throttling %}
from rest_framework.throttling import SimpleRateThrottle
{%- endif %}

from jwt_auth import revocation
{%- if cookiecutter.__key_family == "rsa" %}
from signing_keys import keyset
from signing_keys.algorithms import MIN_RSA_KEY_BITS
{%- endif %}

from .helpers import PASSWORD, Mailbox, free_port, log_in, wait_for_mail


def pytest_collection_finish(session):
    """What is loaded by now (modules, URL patterns, the OpenAPI schema) lasts the whole run:
    the garbage collector stops looking through it, a tenth of a second a full collection."""
    gc.freeze()


@pytest.fixture(autouse=True, scope="session")
def static_files_without_collectstatic():
    """Django's plain storage and WhiteNoise's finders: no test needs `collectstatic` first.

    Production's storage names each file by its hash, from the manifest that
    `collectstatic` (`make serve`) writes; the template's suite serves it.
    """
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, WHITENOISE_AUTOREFRESH=True):
        yield


{% if cookiecutter.throttling -%}
@pytest.fixture(autouse=True)
def throttle_windows_stand_still(monkeypatch):
    """Rate limits count in windows of the wall clock: on a busy machine a test's
    requests could straddle two, so within a test the windows never move."""
    moment = time.time()
    monkeypatch.setattr(SimpleRateThrottle, "timer", staticmethod(lambda: moment))


{% endif -%}
@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash with MD5 in tests; test_settings.py checks the production list."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Give each test its own cache keys, so throttle counts never carry over."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture(autouse=True)
def nothing_remembered():
    """Each test starts with no user or session state kept: ids come again after a rollback."""
    revocation.forget()


@pytest.fixture(autouse=True)
def mail_sent_within_the_test():
    """Deliver what a test handed the background sender before the next test's outbox starts."""
    yield
    wait_for_mail()


@pytest.fixture
def key_dir(settings, tmp_path{% if cookiecutter.__key_family == "rsa" %}, monkeypatch{% endif %}):
    """A copy of the key set, for a test to rotate and retire keys in."""
{%- if cookiecutter.__key_family == "rsa" %}
    # New RSA keys of the smallest size the checks accept: made in a third of the time.
    monkeypatch.setattr(keyset, "RSA_KEY_BITS", MIN_RSA_KEY_BITS)
{%- endif %}
    copy = tmp_path / "keys"
    shutil.copytree(settings.JWT_KEYS_DIR, copy)
    settings.JWT_KEYS = ""
    settings.JWT_KEYS_DIR = copy
    return copy


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        username="alice", email="alice@example.com", password=PASSWORD
    )


@pytest.fixture
def tokens(api_client, user):
    return log_in(api_client, user.username)


@pytest.fixture
def smtp_settings(settings):
    """Send email by SMTP to a free port on the loopback (nothing listens until a test starts)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    return settings


@pytest.fixture
def mailbox(smtp_settings):
    """A real SMTP server (aiosmtpd) on the loopback; the messages that arrive at it."""
    box = Mailbox()
    server = Controller(box, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    server.start()
    yield box
    server.stop()
