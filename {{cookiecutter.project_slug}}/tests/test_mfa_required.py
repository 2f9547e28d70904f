"""MFA_REQUIRED: who must have a second factor, and that no endpoint lets them skip it."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient
from rest_framework.views import APIView

from mfa.permissions import OPEN_BEFORE_ENROLMENT, MFAEnrollment

from .helpers import PASSWORD, authenticate, fresh_settings, log_in, totp_code

pytestmark = pytest.mark.django_db

ENROLMENT_REQUIRED = "mfa_enrollment_required"
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?\w+>")


def api_routes(patterns=None, prefix=""):
    """(path, name, view class) of every DRF view the URLconf routes to."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from api_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None and issubclass(view, APIView):
                yield "/" + prefix + str(pattern.pattern), pattern.name, view


def authenticated_views():
    """The routes whose view authenticates its requests: the ones MFA_REQUIRED guards."""
    return [(path, name, view) for path, name, view in api_routes() if view().get_authenticators()]


def authenticated_routes():
    """Each method of each authenticated route."""
    return [
        pytest.param(path, name, method, id=f"{method} {path}")
        for path, name, view in authenticated_views()
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if hasattr(view, method.lower())
    ]


@pytest.fixture
def must_enrol(settings):
    settings.MFA_REQUIRED = "all"


def test_mfa_is_required_of_nobody_by_default():
    assert django_settings.MFA_REQUIRED == "none"


def test_an_unknown_mfa_required_value_stops_the_start():
    with pytest.raises(ImproperlyConfigured, match=r"^MFA_REQUIRED must be none, staff or all"):
        fresh_settings(MFA_REQUIRED="some")


@pytest.mark.usefixtures("must_enrol")
@pytest.mark.parametrize(("path", "name", "method"), authenticated_routes())
def test_every_endpoint_but_enrolment_refuses_a_user_who_must_enrol(
    api_client, user, path, name, method
):
    authenticate(api_client, log_in(api_client)["access"])

    # A route's parameter takes a value it accepts; no such object exists, which is the point.
    concrete = ROUTE_PARAMETER.sub("0", path)
    response = api_client.generic(method, concrete, "{}", content_type="application/json")

    refused = response.status_code == 403 and response.json().get("code") == ENROLMENT_REQUIRED
    assert refused is (method not in OPEN_BEFORE_ENROLMENT.get(name, ())), response.content


@pytest.mark.parametrize(
    "view", [pytest.param(view, id=path) for path, _name, view in authenticated_views()]
)
def test_every_authenticated_view_applies_the_enrolment_rule(view):
    """A view that sets its own permission classes must start from the default list."""
    assert any(isinstance(permission, MFAEnrollment) for permission in view().get_permissions())


@pytest.mark.usefixtures("must_enrol")
def test_a_user_who_must_enrol_signs_in_enrols_and_is_let_through(api_client, user):
    tokens = log_in(api_client)
    authenticate(api_client, tokens["access"])

    before = api_client.patch("/api/auth/me/", {"first_name": "Alice"})
    enrolment = api_client.post("/api/auth/mfa/totp/").json()
    confirmed = api_client.post(
        "/api/auth/mfa/totp/confirm/", {"code": totp_code(enrolment["secret"])}
    )
    after = api_client.patch("/api/auth/me/", {"first_name": "Alice"})

    assert tokens["access"]
    assert before.status_code == 403
    assert before.json()["code"] == ENROLMENT_REQUIRED
    assert confirmed.status_code == 200
    assert after.status_code == 200


def test_staff_must_enrol_and_others_need_not(api_client, user, django_user_model, settings):
    settings.MFA_REQUIRED = "staff"
    django_user_model.objects.create_user(username="root", password=PASSWORD, is_staff=True)
    staff_client = APIClient()
    authenticate(staff_client, log_in(staff_client, "root")["access"])
    authenticate(api_client, log_in(api_client)["access"])

    staff_change = staff_client.patch("/api/auth/me/", {"first_name": "Root"})
    user_change = api_client.patch("/api/auth/me/", {"first_name": "Alice"})

    assert staff_change.status_code == 403
    assert staff_change.json()["code"] == ENROLMENT_REQUIRED
    assert user_change.status_code == 200
