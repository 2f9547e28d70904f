import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions

from api.errors import exception_handler


@pytest.mark.django_db
def test_an_unknown_url_is_a_json_404(api_client):
    response = api_client.get("/no/such/page/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (Http404("gone"), 404, "not_found"),
        (PermissionDenied(), 403, "permission_denied"),
        (exceptions.Throttled(wait=3), 429, "throttled"),
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
    ],
)
def test_errors_raised_in_a_view_are_json_with_a_code(error, status, code):
    response = exception_handler(error, {})

    assert response.status_code == status
    assert response.data["code"] == code


def test_field_errors_keep_drfs_shape():
    response = exception_handler(exceptions.ValidationError({"password": ["Too short."]}), {})

    assert response.data == {"password": ["Too short."]}


@pytest.mark.django_db
def test_the_openapi_schema_lists_the_auth_endpoints(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert {
        "/api/auth/token/",
        "/api/auth/me/",
        "/api/auth/password/change/",
        "/api/auth/password/reset/",
        "/api/auth/password/reset/confirm/",
    } <= set(response.json()["paths"])
