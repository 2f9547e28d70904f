"""Passkeys: register, list, rename, remove; sign in with one alone; prove one again.

Every answer comes from a software authenticator (authenticator.py) that
signs as a real one does, so py_webauthn verifies real cryptography; each
check is shown refusing the one rule an answer breaks. The clock is frozen
and moved, never waited for.
"""

import threading
from functools import partial

import pytest
from django.core.checks import Warning
from freezegun import freeze_time
from rest_framework.test import APIClient

{% if cookiecutter.token_storage != "header" -%}
from jwt_auth.cookies import ACCESS_COOKIE
{% endif -%}
from passkeys import ceremonies
from passkeys.checks import check_relying_party
from passkeys.models import Challenge, Passkey
from passkeys.refusals import PasskeyRefused
from security_events import events
from security_events.models import SecurityEvent

from .authenticator import ORIGIN, RP_ID, Authenticator
from .helpers import (
    PASSWORD,
    at_once,
    authenticate,
    claims_of,
    log_in,
    me,
{%- if cookiecutter.mfa %}
    start_login,
{%- endif %}
    tokens_from,
{%- if cookiecutter.mfa %}
    totp_code,
    turn_on_mfa,
{%- endif %}
)

pytestmark = pytest.mark.django_db

PASSKEYS = "/api/auth/passkeys/"
REGISTER_OPTIONS = "/api/auth/passkeys/register/options/"
REGISTER = "/api/auth/passkeys/register/"
LOGIN_OPTIONS = "/api/auth/passkeys/login/options/"
LOGIN = "/api/auth/passkeys/login/"
REAUTHENTICATE = "/api/auth/reauthenticate/"


@pytest.fixture(autouse=True)
def relying_party(settings):
    settings.WEBAUTHN_RP_ID = RP_ID
    settings.WEBAUTHN_ORIGINS = [ORIGIN]


@pytest.fixture
def signed_in(api_client, user):
    """``api_client``, signed in as alice with her password just now."""
    authenticate(api_client, log_in(api_client)["access"])
    return api_client


@pytest.fixture
def authenticator():
    return Authenticator()


@pytest.fixture
def registered(signed_in, authenticator):
    """alice's passkey, on ``authenticator``."""
    response = register(signed_in, authenticator)
    assert response.status_code == 201, response.content
    return Passkey.objects.get(pk=response.json()["id"])


def register(client, authenticator, name="Laptop", **answer):
    options = client.post(REGISTER_OPTIONS).json()
    credential = authenticator.create(options, **answer)
    return client.post(REGISTER, {"credential": credential, "name": name}, format="json")


def login_options(client):
    response = client.post(LOGIN_OPTIONS)
    assert response.status_code == 200, response.content
    return response.json()


def sign_in(client, authenticator, **answer):
    """Sign in with ``authenticator``'s passkey alone, as a browser app does."""
    credential = authenticator.get(login_options(client), **answer)
    return client.post(LOGIN, {"credential": credential}, format="json")


def refused_with(response, code):
    return response.status_code == 400 and response.json()["code"] == code


def test_creation_options_ask_for_a_discoverable_passkey_with_the_user_verified(signed_in, user):
    response = signed_in.post(REGISTER_OPTIONS)

    assert response.status_code == 200
    options = response.json()
    assert options["rp"]["id"] == RP_ID
    assert options["user"]["name"] == user.username
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["excludeCredentials"] == []
    assert Challenge.objects.filter(purpose="registration", user=user).count() == 1


def test_creation_options_exclude_the_users_passkeys(signed_in, registered):
    options = signed_in.post(REGISTER_OPTIONS).json()

    assert [credential["id"] for credential in options["excludeCredentials"]] == [
        registered.credential_id
    ]


def test_a_registered_passkey_is_201_and_listed(signed_in, authenticator, user):
    response = register(signed_in, authenticator, name="Work laptop")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "created"}
    assert body["name"] == "Work laptop"
    [listed] = signed_in.get(PASSKEYS).json()
    assert listed["id"] == body["id"]
    assert listed["transports"] == ["internal"]
    assert listed["last_used"] is None
    assert user.passkeys.get().credential_id == authenticator.id


def test_signing_in_with_a_passkey_alone_answers_as_a_login(api_client, registered, authenticator):
    client = APIClient()

    response = sign_in(client, authenticator)

    assert response.status_code == 200
    tokens = tokens_from(response)
    assert me(client, tokens["access"]).json()["username"] == "alice"
    assert claims_of(tokens["refresh"])["sid"]
    assert registered.user.login_sessions.count() == 2  # the password's and the passkey's
    registered.refresh_from_db()
    assert registered.sign_count == 1
    assert registered.last_used is not None


def test_a_passkey_that_never_counts_signs_in_again_and_again(signed_in, api_client):
    authenticator = Authenticator(counts_signatures=False)
    assert register(signed_in, authenticator).status_code == 201

    statuses = [sign_in(APIClient(), authenticator).status_code for _ in range(2)]

    assert statuses == [200, 200]


def test_registering_needs_a_recent_sign_in(api_client, user, authenticator):
    with freeze_time() as clock:
        authenticate(api_client, log_in(api_client)["access"])
        options = api_client.post(REGISTER_OPTIONS).json()
        clock.tick(300 + 1)
        stale_options = api_client.post(REGISTER_OPTIONS)
        stale_register = api_client.post(
            REGISTER, {"credential": authenticator.create(options), "name": "x"}, format="json"
        )

    assert stale_options.status_code == 403
    assert stale_options.json()["code"] == "reauthentication_required"
    assert stale_register.status_code == 403
    assert not Passkey.objects.exists()


def test_registering_needs_a_signed_in_user(api_client):
    assert api_client.post(REGISTER_OPTIONS).status_code == 401
    assert api_client.get(PASSKEYS).status_code == 401


@pytest.mark.parametrize("ceremony", ["register", "sign in"])
def test_an_origin_that_is_not_listed_is_refused(signed_in, authenticator, ceremony):
    elsewhere = {"origin": "https://phishing.example"}
    if ceremony == "register":
        response = register(signed_in, authenticator, **elsewhere)
    else:
        register(signed_in, authenticator)
        response = sign_in(signed_in, authenticator, **elsewhere)

    assert refused_with(response, "origin_not_allowed")


@pytest.mark.parametrize("ceremony", ["register", "sign in"])
def test_another_relying_party_id_is_refused(signed_in, authenticator, ceremony):
    if ceremony == "register":
        response = register(signed_in, authenticator, rp_id="example.org")
    else:
        register(signed_in, authenticator)
        response = sign_in(signed_in, authenticator, rp_id="example.org")

    assert refused_with(response, "rp_id_mismatch")


@pytest.mark.parametrize("ceremony", ["register", "sign in"])
def test_an_answer_without_user_verification_is_refused(signed_in, authenticator, ceremony):
    if ceremony == "register":
        response = register(signed_in, authenticator, verified=False)
    else:
        register(signed_in, authenticator)
        response = sign_in(signed_in, authenticator, verified=False)

    assert refused_with(response, "user_verification_required")
    assert Passkey.objects.count() == (ceremony != "register")


def test_a_challenge_works_once(api_client, registered, authenticator):
    options = login_options(api_client)
    first = api_client.post(LOGIN, {"credential": authenticator.get(options)}, format="json")

    again = api_client.post(LOGIN, {"credential": authenticator.get(options)}, format="json")

    assert first.status_code == 200
    assert refused_with(again, "challenge_invalid")


def test_an_expired_challenge_is_refused(api_client, registered, authenticator):
    with freeze_time() as clock:
        options = login_options(api_client)
        clock.tick(5 * 60 + 1)
        response = api_client.post(LOGIN, {"credential": authenticator.get(options)}, format="json")

    assert refused_with(response, "challenge_invalid")


def test_a_challenge_the_server_never_gave_is_refused(api_client, registered, authenticator):
    made_up = {"challenge": "bm90LWdpdmVuLWJ5LXRoZS1zZXJ2ZXI", "rpId": RP_ID}

    response = api_client.post(LOGIN, {"credential": authenticator.get(made_up)}, format="json")

    assert refused_with(response, "challenge_invalid")


def test_a_registration_challenge_does_not_sign_in(signed_in, registered, authenticator):
    options = signed_in.post(REGISTER_OPTIONS).json()

    response = signed_in.post(
        LOGIN, {"credential": authenticator.get({**options, "rpId": RP_ID})}, format="json"
    )

    assert refused_with(response, "challenge_invalid")


def test_another_users_registration_challenge_is_refused(
    signed_in, django_user_model, authenticator
):
    bob = django_user_model.objects.create_user(username="bob", password=PASSWORD)
    bobs_client = type(signed_in)()
    authenticate(bobs_client, log_in(bobs_client, "bob")["access"])
    bobs_options = bobs_client.post(REGISTER_OPTIONS).json()

    response = signed_in.post(
        REGISTER, {"credential": authenticator.create(bobs_options), "name": "x"}, format="json"
    )

    assert refused_with(response, "challenge_invalid")
    assert not bob.passkeys.exists()
    assert not Passkey.objects.exists()


def test_a_signature_counter_that_goes_backwards_is_refused(api_client, registered, authenticator):
    assert sign_in(api_client, authenticator, sign_count=7).status_code == 200

    response = sign_in(APIClient(), authenticator, sign_count=3)

    assert refused_with(response, "sign_count_went_backwards")
    registered.refresh_from_db()
    assert registered.sign_count == 7


@pytest.mark.django_db(transaction=True)
def test_two_answers_with_one_count_at_once_sign_in_once(registered, authenticator, monkeypatch):
    """A cloned authenticator used with the real one: both answers pass every check before
    either moves the counter (they are made to meet there), and only one may move it."""
    answers = [authenticator.get(login_options(APIClient()), sign_count=5) for _ in range(2)]
    both_checked = threading.Barrier(2, timeout=10)
    verify = ceremonies.webauthn.verify_authentication_response

    def verify_together(**kwargs):
        both_checked.wait()
        return verify(**kwargs)

    monkeypatch.setattr(ceremonies.webauthn, "verify_authentication_response", verify_together)
    sign_ins = (
        partial(APIClient().post, LOGIN, {"credential": answer}, format="json")
        for answer in answers
    )

    statuses = [response.status_code for response in at_once(*sign_ins)]

    assert sorted(statuses) == [200, 400]
    registered.refresh_from_db()
    assert registered.sign_count == 5


def test_an_unknown_passkey_is_refused(api_client, user):
    response = sign_in(api_client, Authenticator())

    assert refused_with(response, "unknown_credential")


def test_a_passkey_removed_in_the_admin_is_recorded_as_through_the_api(admin_client, registered):
    response = admin_client.post(
        f"/admin/passkeys/passkey/{registered.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Passkey.objects.exists()
    removed = SecurityEvent.objects.filter(event=events.PASSKEY_REMOVED.name)
    assert list(removed.values_list("user_id", flat=True)) == [registered.user_id]


def test_a_removed_passkey_no_longer_signs_in(signed_in, api_client, registered, authenticator):
    assert signed_in.delete(f"{PASSKEYS}{registered.pk}/").status_code == 204

    response = sign_in(APIClient(), authenticator)

    assert refused_with(response, "unknown_credential")


def test_a_deactivated_users_passkey_does_not_sign_in(api_client, registered, authenticator):
    registered.user.is_active = False
    registered.user.save()

    assert refused_with(sign_in(api_client, authenticator), "unknown_credential")


def test_a_signature_by_another_key_is_refused(api_client, registered, authenticator):
    impostor = Authenticator()
    impostor.credential_id = authenticator.credential_id
    impostor.user_handle = authenticator.user_handle

    response = sign_in(api_client, impostor)

    assert refused_with(response, "verification_failed")


def test_a_passkey_registered_twice_is_refused(signed_in, registered, authenticator):
    response = register(signed_in, authenticator)

    assert refused_with(response, "credential_exists")
    assert Passkey.objects.count() == 1


def test_a_passkey_is_renamed(signed_in, registered):
    response = signed_in.patch(f"{PASSKEYS}{registered.pk}/", {"name": "Phone"})

    assert response.status_code == 200
    assert response.json()["name"] == "Phone"
    registered.refresh_from_db()
    assert registered.name == "Phone"


def test_a_name_must_be_a_string_and_is_kept_as_sent(signed_in, registered):
    number = signed_in.patch(f"{PASSKEYS}{registered.pk}/", {"name": 5})
    spaced = signed_in.patch(f"{PASSKEYS}{registered.pk}/", {"name": " Phone "})

    assert number.status_code == 400
    assert "name" in number.json()
    assert spaced.json()["name"] == " Phone "


def test_removing_a_passkey_needs_a_recent_sign_in(api_client, user, authenticator):
    with freeze_time() as clock:
        authenticate(api_client, log_in(api_client)["access"])
        passkey_id = register(api_client, authenticator).json()["id"]
        clock.tick(300 + 1)
        renamed = api_client.patch(f"{PASSKEYS}{passkey_id}/", {"name": "Old phone"})
        removed = api_client.delete(f"{PASSKEYS}{passkey_id}/")

    assert renamed.status_code == 200  # a new name changes nothing about signing in
    assert removed.status_code == 403
    assert removed.json()["code"] == "reauthentication_required"
    assert Passkey.objects.filter(pk=passkey_id).exists()


def test_another_users_passkey_is_a_404(registered, django_user_model, api_client):
    django_user_model.objects.create_user(username="bob", password=PASSWORD)
    client = APIClient()
    authenticate(client, log_in(client, "bob")["access"])
    path = f"{PASSKEYS}{registered.pk}/"

    assert client.get(PASSKEYS).json() == []
    assert client.patch(path, {"name": "Mine now"}).status_code == 404
    assert client.delete(path).status_code == 404
    registered.refresh_from_db()
    assert registered.name == "Laptop"


def test_a_name_is_required_and_short(signed_in, authenticator):
    options = signed_in.post(REGISTER_OPTIONS).json()
    credential = authenticator.create(options)

    unnamed = signed_in.post(REGISTER, {"credential": credential}, format="json")
    too_long = signed_in.post(REGISTER, {"credential": credential, "name": "x" * 65}, format="json")

    assert unnamed.status_code == too_long.status_code == 400
    assert "name" in unnamed.json()
    assert "name" in too_long.json()


def break_json(credential, *path_and_value):
    """A copy of ``credential`` with the value at ``path`` replaced (or removed, for ...)."""
    *path, value = path_and_value
    broken = {**credential, "response": {**credential["response"]}}
    target = broken
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        target.pop(path[-1])
    else:
        target[path[-1]] = value
    return broken


MALFORMED = [
    pytest.param(("id", ...), id="no id"),
    pytest.param(("rawId", 42), id="rawId not a string"),
    pytest.param(("type", "password"), id="wrong type"),
    pytest.param(("response", "yes"), id="response not an object"),
    pytest.param(("response", "clientDataJSON", "%%%"), id="clientDataJSON not base64url"),
    pytest.param(("response", "clientDataJSON", "bm90IGpzb24"), id="clientDataJSON not JSON"),
    pytest.param(("response", "clientDataJSON", "W10"), id="clientDataJSON a list"),
    pytest.param(("response", "clientDataJSON", "e30"), id="clientDataJSON empty"),
]
MALFORMED_REGISTRATION = [
    *MALFORMED,
    pytest.param(("response", "attestationObject", ...), id="no attestationObject"),
    pytest.param(("response", "attestationObject", "AAAA"), id="attestationObject not CBOR"),
    pytest.param(("response", "attestationObject", "oA"), id="attestationObject empty map"),
]
MALFORMED_ASSERTION = [
    *MALFORMED,
    pytest.param(("response", "signature", ...), id="no signature"),
    pytest.param(("response", "authenticatorData", "AAAA"), id="authenticatorData too short"),
    pytest.param(("response", "userHandle", 12), id="userHandle not a string"),
]
NOT_A_CREDENTIAL = [None, "text", 12, [], {}]


@pytest.mark.parametrize("broken", MALFORMED_REGISTRATION)
def test_a_malformed_new_passkey_is_a_400_that_keeps_nothing(signed_in, authenticator, broken):
    credential = authenticator.create(signed_in.post(REGISTER_OPTIONS).json())

    response = signed_in.post(
        REGISTER, {"credential": break_json(credential, *broken), "name": "x"}, format="json"
    )

    assert response.status_code == 400
    assert not Passkey.objects.exists()


@pytest.mark.parametrize("broken", MALFORMED_ASSERTION)
def test_a_malformed_assertion_is_a_400(api_client, registered, authenticator, broken):
    credential = authenticator.get(login_options(api_client))

    response = api_client.post(
        LOGIN, {"credential": break_json(credential, *broken)}, format="json"
    )

    assert response.status_code == 400
    registered.refresh_from_db()
    assert registered.last_used is None


@pytest.mark.parametrize("credential", NOT_A_CREDENTIAL)
@pytest.mark.parametrize("path", [REGISTER, LOGIN])
def test_a_credential_that_is_not_an_object_is_a_400_naming_the_field(signed_in, path, credential):
    response = signed_in.post(path, {"credential": credential, "name": "x"}, format="json")

    assert response.status_code == 400
    assert "credential" in response.json()


def test_reauthentication_accepts_a_passkey_in_place_of_the_password(
    api_client, registered, authenticator
):
    with freeze_time() as clock:
        tokens = log_in(api_client)
        clock.tick(300 + 1)
        authenticate(api_client, tokens["access"])
        credential = authenticator.get(login_options(api_client))
        response = api_client.post(REAUTHENTICATE, {"credential": credential}, format="json")

    assert response.status_code == 200
    renewed = tokens_from(response)
    assert claims_of(renewed["refresh"])["sid"] == claims_of(tokens["refresh"])["sid"]
    assert claims_of(renewed["access"])["auth_time"] > claims_of(tokens["access"])["auth_time"]


def test_reauthentication_refuses_another_users_passkey(
    api_client, registered, authenticator, django_user_model
):
    django_user_model.objects.create_user(username="bob", password=PASSWORD)
    authenticate(api_client, log_in(api_client, "bob")["access"])
    credential = authenticator.get(login_options(api_client))

    response = api_client.post(REAUTHENTICATE, {"credential": credential}, format="json")

    assert refused_with(response, "unknown_credential")


def test_reauthentication_takes_a_password_or_a_passkey_not_both(
    signed_in, registered, authenticator
):
    credential = authenticator.get(login_options(signed_in))

    response = signed_in.post(
        REAUTHENTICATE, {"password": PASSWORD, "credential": credential}, format="json"
    )

    assert response.status_code == 400
    assert registered.user.login_sessions.count() == 1


def test_verify_assertion_checks_the_second_factor_of_the_user_it_is_given(
    rf, registered, authenticator, django_user_model
):
    """What a second step after a password calls: only that user's passkeys count."""
    bob = django_user_model.objects.create_user(username="bob", password=PASSWORD)
    options = ceremonies.authentication_options()

    with pytest.raises(PasskeyRefused) as refused:
        ceremonies.verify_assertion(rf.post("/"), authenticator.get(options), user=bob)
    options = ceremonies.authentication_options()
    user = ceremonies.verify_assertion(
        rf.post("/"), authenticator.get(options), user=registered.user
    )

    assert refused.value.get_codes() == "unknown_credential"
    assert user == registered.user


{%- if cookiecutter.token_storage != "header" %}


def test_signing_in_with_a_passkey_needs_the_csrf_token_in_cookies(registered, authenticator):
    browser = APIClient(enforce_csrf_checks=True)
{%- if cookiecutter.token_storage == "both" %}
    browser.credentials(HTTP_X_CSRFTOKEN="forged")  # a browser's request, without the CSRF cookie
{%- endif %}
    credential = authenticator.get(login_options(browser))

    response = browser.post(LOGIN, {"credential": credential}, format="json")

    assert response.status_code == 403
    assert ACCESS_COOKIE not in response.cookies
{%- endif %}

{%- if cookiecutter.mfa %}


def test_with_mfa_on_a_passkey_is_offered_and_accepted_as_the_second_step(
    api_client, user, registered, authenticator
):
    turn_on_mfa(user)
    first = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})
    assert first.json()["methods"] == ["totp", "recovery_code", "passkey"]
    assert tokens_from(first)["access"] is None

    credential = authenticator.get(login_options(api_client))
    response = api_client.post(
        "/api/auth/mfa/verify/",
        {"mfa_token": first.json()["mfa_token"], "credential": credential},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert me(api_client, tokens_from(response)["access"]).status_code == 200


def test_another_users_passkey_is_no_second_step(
    api_client, registered, authenticator, django_user_model
):
    bob = django_user_model.objects.create_user("bob", "bob@example.com", PASSWORD)
    turn_on_mfa(bob)
    mfa_token = start_login(APIClient(), "bob")

    credential = authenticator.get(login_options(api_client))  # alice's passkey
    response = APIClient().post(
        "/api/auth/mfa/verify/", {"mfa_token": mfa_token, "credential": credential}, format="json"
    )

    assert refused_with(response, "unknown_credential")


def test_the_second_step_takes_a_code_or_a_passkey_not_both(api_client, user, registered):
    secret, _codes = turn_on_mfa(user)
    mfa_token = start_login(APIClient())
    both = {"mfa_token": mfa_token, "code": totp_code(secret), "credential": {"id": "x"}}

    response = APIClient().post("/api/auth/mfa/verify/", both, format="json")

    assert response.status_code == 400
{%- endif %}


PRODUCTION = {"DEBUG": False, "ALLOWED_HOSTS": ["api.example.com"]}


def warning_ids(settings, **overrides):
    for name, value in {**PRODUCTION, **overrides}.items():
        setattr(settings, name, value)
    return [warning.id for warning in check_relying_party(None) if isinstance(warning, Warning)]


def test_deploy_checks_warn_when_production_keeps_the_localhost_relying_party(settings):
    assert warning_ids(settings, WEBAUTHN_RP_ID="localhost") == ["passkeys.W001"]


def test_deploy_checks_warn_about_origins_the_relying_party_does_not_cover(settings):
    origins = ["https://app.example.com", "https://example.org", "http://example.com"]

    warnings = warning_ids(settings, WEBAUTHN_RP_ID="example.com", WEBAUTHN_ORIGINS=origins)

    assert warnings == ["passkeys.W002", "passkeys.W002"]


def test_deploy_checks_pass_with_the_sites_own_relying_party(settings):
    origins = ["https://example.com", "https://app.example.com"]

    assert warning_ids(settings, WEBAUTHN_RP_ID="example.com", WEBAUTHN_ORIGINS=origins) == []
