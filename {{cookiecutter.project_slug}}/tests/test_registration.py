from functools import partial

import pytest
from rest_framework.test import APIClient

from .helpers import at_once

pytestmark = pytest.mark.django_db

NEW_USER = {"username": "bob", "email": "bob@example.com", "password": "a-long-unusual-passphrase"}


{% if cookiecutter.email_verification == "mandatory" -%}
def test_registration_creates_a_user_who_logs_in_once_the_address_is_confirmed(
    api_client, django_user_model
):
{%- elif cookiecutter.email_verification == "optional" -%}
def test_registration_creates_a_user_who_can_log_in_before_confirming_the_address(
    api_client, django_user_model
):
{%- else -%}
def test_registration_creates_a_user_who_can_log_in(api_client, django_user_model):
{%- endif %}
    response = api_client.post("/api/auth/register/", NEW_USER)

    assert response.status_code == 201
    assert response.json()["username"] == "bob"
{%- if cookiecutter.email_verification != "none" %}
    # No id: an address that has an account gets this same answer, and no account.
    assert set(response.json()) == {"username", "email"}
{%- else %}
    assert set(response.json()) == {"id", "username", "email"}
{%- endif %}
    assert django_user_model.objects.get(username="bob").check_password(NEW_USER["password"])
    login = api_client.post(
        "/api/auth/token/",
        {"username": "bob", "password": NEW_USER["password"]},
        format="json",
    )
{%- if cookiecutter.email_verification == "mandatory" %}
    assert login.status_code == 403
    assert login.json()["code"] == "email_not_verified"
{%- else %}
    assert login.status_code == 200
{%- endif %}


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


@pytest.mark.parametrize("username", ["Alice", "ALICE", "\uff41\uff4c\uff49\uff43\uff45"])
def test_a_username_taken_in_another_case_or_form_is_refused(api_client, user, username):
    response = api_client.post("/api/auth/register/", {**NEW_USER, "username": username})

    assert response.status_code == 400
    assert "username" in response.json()


def test_a_username_is_stored_nfkc_normalised(api_client, django_user_model):
    fullwidth_bob = "\uff42\uff4f\uff42"

    response = api_client.post("/api/auth/register/", {**NEW_USER, "username": fullwidth_bob})

    assert response.status_code == 201
    assert response.json()["username"] == "bob"


{% if cookiecutter.email_verification == "none" -%}
def test_an_email_taken_in_another_case_is_refused(api_client, user):
    response = api_client.post("/api/auth/register/", {**NEW_USER, "email": "ALICE@Example.com"})

    assert response.status_code == 400
    assert "email" in response.json()


def test_accounts_without_an_email_do_not_clash(api_client, django_user_model):
    for username in ("bob", "carol"):
        response = api_client.post(
            "/api/auth/register/", {**NEW_USER, "username": username, "email": ""}
        )

        assert response.status_code == 201
{%- else -%}
def test_registration_needs_an_address_to_prove(api_client, django_user_model):
    response = api_client.post("/api/auth/register/", {**NEW_USER, "email": ""})

    assert response.status_code == 400
    assert "email" in response.json()
    assert not django_user_model.objects.filter(username="bob").exists()
{%- endif %}


@pytest.mark.django_db(transaction=True)
def test_of_concurrent_registrations_of_one_name_exactly_one_succeeds(django_user_model):
    clients = 8

    def registration(number):
        client = APIClient(raise_request_exception=False, REMOTE_ADDR=f"198.51.100.{number}")
        body = {**NEW_USER, "email": f"bob{number}@example.com"}
        return partial(client.post, "/api/auth/register/", body)

    statuses = [answer.status_code for answer in at_once(*map(registration, range(clients)))]

    assert sorted(statuses) == [201] + [400] * (clients - 1)
    assert django_user_model.objects.filter(username="bob").count() == 1


@pytest.mark.parametrize(("existing", "newcomer"), [("émile", "Émile"), ("алиса", "Алиса")])
def test_a_name_taken_in_another_case_beyond_ascii_is_refused(
    api_client, django_user_model, existing, newcomer
):
    django_user_model.objects.create_user(username=existing, password="unused-passphrase")

    response = api_client.post("/api/auth/register/", {**NEW_USER, "username": newcomer})

    assert response.status_code == 400
    assert "username" in response.json()


def test_a_registered_password_is_kept_as_typed(api_client, django_user_model):
    padded = f"  {NEW_USER['password']}  "

    response = api_client.post("/api/auth/register/", {**NEW_USER, "password": padded})

    user = django_user_model.objects.get(username="bob")
    assert response.status_code == 201
    assert user.check_password(padded)
    assert not user.check_password(NEW_USER["password"])


@pytest.mark.parametrize("field", ["username", "email", "password"])
def test_a_number_where_a_string_belongs_is_a_400_naming_the_field(
    api_client, django_user_model, field
):
    response = api_client.post("/api/auth/register/", {**NEW_USER, field: 12345678901234})

    assert response.status_code == 400
    assert field in response.json()
    assert not django_user_model.objects.exists()


def test_a_password_with_the_project_name_is_refused(api_client, django_user_model):
    password = "{{ cookiecutter.project_slug }}-rocks-2026"

    response = api_client.post("/api/auth/register/", {**NEW_USER, "password": password})

    assert response.status_code == 400
    assert "password" in response.json()
