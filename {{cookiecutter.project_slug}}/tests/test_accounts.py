"""One account per person: usernames and emails are unique in any case."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from .helpers import PASSWORD, authenticate

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.mark.parametrize("username", ["alice", "Alice", "ALICE", "\uff41\uff4c\uff49\uff43\uff45"])
def test_login_matches_the_username_in_any_case_or_form(api_client, user, username):
    response = api_client.post("/api/auth/token/", {"username": username, "password": PASSWORD})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("username", "email"),
    [("ALICE", "someone@example.com"), ("someone", "Alice@EXAMPLE.com")],
)
def test_the_database_refuses_a_second_account_differing_only_in_case(user, username, email):
    with pytest.raises(IntegrityError):
        User.objects.create_user(username=username, email=email, password=PASSWORD)


{% if cookiecutter.email_verification == "none" -%}
def test_me_refuses_an_email_another_account_has_in_another_case(api_client, tokens, user):
    User.objects.create_user(username="bob", email="bob@example.com", password=PASSWORD)
    authenticate(api_client, tokens["access"])

    response = api_client.patch("/api/auth/me/", {"email": "BOB@example.com"})

    assert response.status_code == 400
    assert "email" in response.json()


{% endif -%}
def test_me_keeps_its_own_email_in_another_case(api_client, tokens, user):
    authenticate(api_client, tokens["access"])

    response = api_client.patch("/api/auth/me/", {"email": "Alice@example.com"})

    assert response.status_code == 200


def test_the_admin_refuses_an_email_another_account_has_in_another_case(client, user):
    staff = User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    client.force_login(staff)

    response = client.post(
        f"/admin/accounts/user/{staff.pk}/change/",
        {
            "username": "admin",
            "email": "ALICE@example.com",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 200
    assert "A user with that email already exists." in response.content.decode()
    staff.refresh_from_db()
    assert staff.email == "admin@example.com"


@pytest.mark.parametrize(
    ("existing", "newcomer"),
    [("émile", "Émile"), ("алиса", "Алиса"), ("straße", "STRASSE")],
)
def test_the_database_refuses_names_differing_only_in_case_beyond_ascii(existing, newcomer):
    User.objects.create_user(username=existing, password=PASSWORD)

    with pytest.raises(IntegrityError):
        User.objects.create_user(username=newcomer, password=PASSWORD)


def test_login_matches_a_name_beyond_ascii_in_any_case(api_client):
    User.objects.create_user(username="Émile", password=PASSWORD)

    response = api_client.post("/api/auth/token/", {"username": "émile", "password": PASSWORD})

    assert response.status_code == 200


def test_the_admin_refuses_a_username_another_account_has_in_another_case(client, user):
    staff = User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    client.force_login(staff)

    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "ALICE", "password1": "", "password2": "", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 2


def test_a_renamed_user_logs_in_by_the_new_name_only(api_client, user):
    user.username = "alicia"
    user.save(update_fields=["username"])

    old = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})
    new = api_client.post("/api/auth/token/", {"username": "ALICIA", "password": PASSWORD})

    assert old.status_code == 401
    assert new.status_code == 200
