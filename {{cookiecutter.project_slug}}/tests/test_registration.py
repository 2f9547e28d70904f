import pytest

pytestmark = pytest.mark.django_db

NEW_USER = {"username": "bob", "email": "bob@example.com", "password": "a-long-unusual-passphrase"}


def test_registration_creates_a_user_who_can_log_in(api_client, django_user_model):
    response = api_client.post("/api/auth/register/", NEW_USER)

    assert response.status_code == 201
    assert response.json()["username"] == "bob"
    assert set(response.json()) == {"id", "username", "email"}
    assert django_user_model.objects.get(username="bob").check_password(NEW_USER["password"])
    login = api_client.post(
        "/api/auth/token/",
        {"username": "bob", "password": NEW_USER["password"]},
        format="json",
    )
    assert login.status_code == 200


@pytest.mark.parametrize("password", ["short", "12345678901", "password123", "bob@example.com"])
def test_registration_refuses_a_weak_password(api_client, password, django_user_model):
    response = api_client.post("/api/auth/register/", {**NEW_USER, "password": password})

    assert response.status_code == 400
    assert "password" in response.json()
    assert not django_user_model.objects.filter(username="bob").exists()


def test_registration_refuses_a_taken_username(api_client, user):
    response = api_client.post("/api/auth/register/", {**NEW_USER, "username": user.username})

    assert response.status_code == 400
    assert "username" in response.json()


def test_registration_never_returns_the_password(api_client):
    response = api_client.post("/api/auth/register/", NEW_USER)

    assert "password" not in response.json()
