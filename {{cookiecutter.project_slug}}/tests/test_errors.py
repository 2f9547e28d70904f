import pytest


@pytest.mark.django_db
def test_an_unknown_url_is_a_json_404(api_client):
    response = api_client.get("/no/such/page/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_the_openapi_schema_lists_the_auth_endpoints(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert {"/api/auth/token/", "/api/auth/me/"} <= set(response.json()["paths"])
