"""The health checks: /healthz touches nothing, /readyz asks the database and the cache."""

import pytest
{%- if cookiecutter.throttling %}
from rest_framework.throttling import SimpleRateThrottle
{%- endif %}


def test_healthz_answers_without_credentials_or_a_query(client):
    # No django_db mark: a query here would fail the test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_when_the_database_and_the_cache_do(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_refuse_other_methods_with_json(client, path):
    response = client.post(path)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_plain_http_where_the_api_refuses_it(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(path).status_code == 200
    assert client.get("/api/auth/me/").status_code == 403
{%- if cookiecutter.throttling %}


@pytest.mark.django_db
def test_health_checks_are_not_rate_limited(client, monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "1/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    statuses = {client.get(path).status_code for path in ["/healthz", "/readyz"] * 3}
    verify = [
        client.post("/api/auth/token/verify/", {"token": "x"}, content_type="application/json")
        for _ in range(2)
    ]

    assert statuses == {200}
    assert [response.status_code for response in verify] == [401, 429]  # the limit is on
{%- endif %}
{%- if cookiecutter.cache == "redis" %}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_cache_when_redis_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:9/0"}
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response.json()["down"] == ["cache"]
    assert int(response["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 200
{%- endif %}
