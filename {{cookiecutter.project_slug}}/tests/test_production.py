"""Production as it runs: https only for the API, one proxy setting, no development defaults."""

import runpy

import pytest
from django.core import checks

from .helpers import BASE_DIR

LOGIN = "/api/auth/token/"
CREDENTIALS = {"username": "alice", "password": "wrong"}


@pytest.fixture
def https_required(settings):
    """Production's rule: plain http is redirected (pages) or refused (the API)."""
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.django_db
def test_the_api_refuses_plain_http_with_403_instead_of_redirecting(api_client, https_required):
    response = api_client.post(LOGIN, CREDENTIALS)

    assert response.status_code == 403
    assert response.json()["code"] == "https_required"
    assert "Location" not in response


@pytest.mark.django_db
def test_the_api_answers_over_https(api_client, https_required):
    assert api_client.post(LOGIN, CREDENTIALS, secure=True).status_code == 401


@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs/"])
def test_pages_for_people_are_still_redirected_to_https(client, https_required, path):
    response = client.get(path)

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{path}"


@pytest.mark.django_db
def test_without_a_proxy_a_clients_x_forwarded_proto_changes_nothing(
    api_client, settings, https_required
):
    assert settings.NUM_PROXIES == 0

    response = api_client.post(LOGIN, CREDENTIALS, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 403
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["forwarded_allow_ips"] == ""


def test_behind_a_proxy_django_and_gunicorn_both_believe_its_x_forwarded_proto(
    settings, monkeypatch
):
    monkeypatch.setenv("NUM_PROXIES", "1")
    django_settings = runpy.run_path(str(BASE_DIR / "config" / "settings.py"))
    settings.NUM_PROXIES = django_settings["NUM_PROXIES"]
    gunicorn = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))

    assert django_settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert gunicorn["forwarded_allow_ips"] == "*"
    assert gunicorn["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}


@pytest.mark.django_db
def test_with_the_redirect_off_the_api_answers_plain_http(api_client, settings):
    settings.SECURE_SSL_REDIRECT = False

    assert api_client.post(LOGIN, CREDENTIALS).status_code == 401


def deploy_warnings():
    return {
        message.id
        for message in checks.run_checks(include_deployment_checks=True)
        if message.id.startswith(("links.", "origins."))
    }


PRODUCTION_LINKS = {
    "PASSWORD_RESET_URL": "https://app.example.com/reset?uid={uid}&token={token}",
{%- if cookiecutter.email_verification != "none" %}
    "EMAIL_VERIFY_URL": "https://app.example.com/verify?uid={uid}&token={token}",
{%- endif %}
}


@pytest.fixture
def production_links(settings):
    """The links sent by email, set as production sets them: https pages of the app."""
    for name, url in PRODUCTION_LINKS.items():
        setattr(settings, name, url)


@pytest.mark.usefixtures("production_links")
@pytest.mark.parametrize("name", PRODUCTION_LINKS)
@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:3000/page?uid={uid}&token={token}",
        "https://localhost/page?uid={uid}&token={token}",
        "http://app.example.com/page?uid={uid}&token={token}",
    ],
)
def test_check_deploy_warns_of_a_development_link(settings, name, url):
    setattr(settings, name, url)

    assert deploy_warnings() == {"links.W001"}


@pytest.mark.usefixtures("production_links")
def test_check_deploy_warns_of_a_plain_http_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com", "http://app.example.com"]

    assert deploy_warnings() == {"origins.W001"}


@pytest.mark.usefixtures("production_links")
def test_production_addresses_raise_no_warning_and_only_deploy_checks_look(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.com"]
    assert deploy_warnings() == set()

    settings.PASSWORD_RESET_URL = "http://localhost:3000/reset?uid={uid}&token={token}"
    assert not [message for message in checks.run_checks() if message.id == "links.W001"]
