"""The security event log: each authentication event once, as a JSON line and a row the user reads.

Every line is checked as the settings' JSON formatter writes it, field by
field; the rows as /api/auth/events/ serves them.
"""

import io
import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time
from rest_framework.test import APIClient

from accounts.emails import password_reset_link
{%- if cookiecutter.email_verification != "none" %}
from email_verification import addresses
from email_verification.tokens import Claim, verification_link
{%- endif %}
from security_events import events
from security_events.models import SecurityEvent
from signing_keys.keys import current_key_set

from .helpers import (
    BASE_DIR,
    NEW_PASSWORD,
    PASSWORD,
    authenticate,
    claims_of,
    confirm_reset,
    jwt_keys,
    log_in,
    logout_with,
    manage,
    me,
    refresh_with,
    restart,
    tokens_from,
    wait_for_mail,
)

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "not-the-password-at-all"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
FIELDS = {
    "time",
    "level",
    "event",
    "user_id",
    "username",
    "session",
    "ip",
    "user_agent",
    "request_id",
    "outcome",
    "reason",
}


class SecurityLines(logging.Handler):
    """What the ``security`` logger writes, formatted by the formatter the settings give it."""

    def __init__(self):
        super().__init__()
        self.setFormatter(logging.getLogger("security").handlers[0].formatter)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def events(self, name=None):
        parsed = [json.loads(line) for line in self.lines]
        return [line for line in parsed if name is None or line["event"] == name]

    def clear(self):
        self.lines.clear()


@pytest.fixture
def security_log():
    """The security lines written from now on (a user fixture's user_created comes before)."""
    handler = SecurityLines()
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def one(security_log, event):
    """The one line of ``event``; it must be recorded exactly once."""
    lines = security_log.events(event.name)
    assert len(lines) == 1, security_log.lines
    return lines[0]


def expected(event, response=None, **fields):
    """The line ``event`` writes for a request of the test client, with ``fields`` set."""
    line = {
        "level": event.level,
        "event": event.name,
        "user_id": None,
        "username": "",
        "session": "",
        "ip": "127.0.0.1" if response is not None else "",
        "user_agent": BROWSER if response is not None else "",
        "request_id": response["X-Request-ID"] if response is not None else "",
        "outcome": event.outcome,
        "reason": "",
    }
    return {**line, **fields}


def without_time(line):
    """The line but its time, which must be now, in UTC, in ISO 8601."""
    moment = datetime.fromisoformat(line["time"])
    assert moment.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=1)
    return {name: value for name, value in line.items() if name != "time"}


def assert_stored(line):
    """The line's event is a row with the same facts."""
    row = SecurityEvent.objects.get(event=line["event"], request_id=line["request_id"])
    assert row.time.isoformat() == line["time"]
    assert (row.user_id, row.session, row.ip, row.user_agent) == (
        line["user_id"],
        line["session"],
        line["ip"],
        line["user_agent"],
    )
    assert (row.outcome, row.reason, row.username) == (
        line["outcome"],
        line["reason"],
        line["username"],
    )


def post_login(client, username="alice", password=PASSWORD, **headers):
    headers = {"HTTP_USER_AGENT": BROWSER, **headers}
    return client.post("/api/auth/token/", {"username": username, "password": password}, **headers)


def sid_of(token):
    return claims_of(token)["sid"]


# Logins


def test_a_login_records_its_success_once_with_its_session(api_client, user, security_log):
    response = post_login(api_client)

    line = one(security_log, events.LOGIN_SUCCESS)
    sid = sid_of(tokens_from(response)["refresh"])
    assert set(line) == FIELDS
    assert without_time(line) == expected(
        events.LOGIN_SUCCESS, response, user_id=user.pk, session=sid
    )
    assert len(security_log.lines) == 1
    assert_stored(line)


@pytest.mark.parametrize(
    ("username", "password", "active", "reason", "names_the_user"),
    [
        ("alice", WRONG_PASSWORD, True, events.BAD_CREDENTIALS, True),
        ("ALICE", WRONG_PASSWORD, True, events.BAD_CREDENTIALS, True),
        ("nobody", PASSWORD, True, events.UNKNOWN_USER, False),
        ("alice", PASSWORD, False, events.INACTIVE, True),
    ],
)
def test_a_failed_login_records_why_and_the_name_as_typed(
    api_client, user, security_log, username, password, active, reason, names_the_user
):
    user.is_active = active
    user.save()

    response = post_login(api_client, username, password)

    assert response.status_code == 401
    line = one(security_log, events.LOGIN_FAIL)
    assert without_time(line) == expected(
        events.LOGIN_FAIL,
        response,
        user_id=user.pk if names_the_user else None,
        username=username,
        reason=reason,
    )
    assert_stored(line)


def test_a_failed_login_answers_the_same_whatever_the_reason(api_client, user):
    wrong = post_login(api_client, "alice", WRONG_PASSWORD)
    unknown = post_login(api_client, "nobody", PASSWORD)
    user.is_active = False
    user.save()
    inactive = post_login(api_client, "alice", PASSWORD)

    answers = {(r.status_code, r.content) for r in (wrong, unknown, inactive)}
    assert len(answers) == 1


def test_a_failed_admin_login_is_recorded_like_the_apis(user, security_log):
    response = Client().post(
        "/admin/login/",
        {"username": "alice", "password": WRONG_PASSWORD},
        HTTP_USER_AGENT=BROWSER,
    )

    line = one(security_log, events.LOGIN_FAIL)
    assert without_time(line) == expected(
        events.LOGIN_FAIL,
        response,
        user_id=user.pk,
        username="alice",
        reason=events.BAD_CREDENTIALS,
    )


def test_an_admin_login_is_recorded(django_user_model, security_log):
    staff = django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)

    response = Client().post(
        "/admin/login/", {"username": "admin", "password": PASSWORD}, HTTP_USER_AGENT=BROWSER
    )

    assert response.status_code == 302
    line = one(security_log, events.LOGIN_SUCCESS)
    assert without_time(line) == expected(events.LOGIN_SUCCESS, response, user_id=staff.pk)
{%- if cookiecutter.throttling %}


def test_the_login_limit_of_an_address_records_one_lock_per_window(
    api_client, user, settings, security_log
):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    responses = [post_login(api_client, "alice", WRONG_PASSWORD) for _ in range(allowed + 3)]

    assert [response.status_code for response in responses[allowed:]] == [429] * 3
    line = one(security_log, events.LOGIN_LOCK)
    assert without_time(line) == expected(
        events.LOGIN_LOCK, responses[allowed], reason=events.ADDRESS_LIMIT
    )
    assert_stored(line)


def test_the_first_login_refused_by_the_account_limit_records_the_lock(
    api_client, user, settings, security_log
):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_account": "3/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    responses = [
        post_login(api_client, "Alice", WRONG_PASSWORD, REMOTE_ADDR=f"198.51.100.{number}")
        for number in range(1, 6)
    ]

    assert [response.status_code for response in responses] == [401, 401, 401, 429, 429]
    line = one(security_log, events.LOGIN_LOCK)
    assert without_time(line) == expected(
        events.LOGIN_LOCK,
        responses[3],
        user_id=user.pk,
        username="Alice",
        ip="198.51.100.4",
        reason=events.ACCOUNT_LIMIT,
    )
    assert len(security_log.events(events.LOGIN_FAIL.name)) == 3
{%- endif %}


# Sessions


def test_a_refresh_writes_a_line_and_no_row(api_client, user, security_log):
    tokens = log_in(api_client)
    security_log.clear()

    response = refresh_with(api_client, tokens["refresh"])

    assert response.status_code == 200
    line = one(security_log, events.SESSION_RENEWED)
    assert without_time(line) == expected(
        events.SESSION_RENEWED,
        response,
        user_id=user.pk,
        session=sid_of(tokens["refresh"]),
        user_agent="",
    )
    assert not SecurityEvent.objects.filter(event=events.SESSION_RENEWED.name).exists()


def test_a_logout_records_the_end_of_its_session_once(api_client, user, security_log):
    tokens = log_in(api_client)
    security_log.clear()

    response = logout_with(api_client, tokens["refresh"])
    logout_with(api_client, tokens["refresh"])  # nothing left to end

    assert response.status_code == 204
    line = one(security_log, events.SESSION_END)
    assert line["event"] == "authn_token_revoked"
    assert without_time(line) == expected(
        events.SESSION_END,
        response,
        user_id=user.pk,
        session=sid_of(tokens["refresh"]),
        reason="logout",
        user_agent="",
    )
    assert_stored(line)


def test_reauthentication_records_its_success_and_its_failure(api_client, user, security_log):
    tokens = log_in(api_client)
    authenticate(api_client, tokens["access"])
    security_log.clear()

    wrong = api_client.post(
        "/api/auth/reauthenticate/", {"password": WRONG_PASSWORD}, HTTP_USER_AGENT=BROWSER
    )
    right = api_client.post(
        "/api/auth/reauthenticate/", {"password": PASSWORD}, HTTP_USER_AGENT=BROWSER
    )

    assert (wrong.status_code, right.status_code) == (400, 200)
    sid = sid_of(tokens["access"])
    failure = one(security_log, events.REAUTHENTICATE_FAIL)
    success = one(security_log, events.REAUTHENTICATE_SUCCESS)
    assert without_time(failure) == expected(
        events.REAUTHENTICATE_FAIL,
        wrong,
        user_id=user.pk,
        session=sid,
        reason=events.BAD_CREDENTIALS,
    )
    assert without_time(success) == expected(
        events.REAUTHENTICATE_SUCCESS, right, user_id=user.pk, session=sid
    )
    assert security_log.events(events.LOGIN_FAIL.name) == []  # no login was attempted


# Passwords


def change_password(client, access, old_password=PASSWORD):
    authenticate(client, access)
    return client.post(
        "/api/auth/password/change/",
        {"old_password": old_password, "new_password": NEW_PASSWORD},
        HTTP_USER_AGENT=BROWSER,
    )


def test_a_new_address_is_recorded_once_it_is_the_accounts(api_client, user, security_log):
    authenticate(api_client, log_in(api_client)["access"])

    response = api_client.patch("/api/auth/me/", {"email": "new@example.com"})
{%- if cookiecutter.email_verification != "none" %}

    assert response.status_code == 202
    assert security_log.events(events.EMAIL_CHANGE.name) == []  # pending: not the account's yet
    user.refresh_from_db()
    claim = Claim(user, addresses.state_of(user), "new@example.com")
    query = parse_qs(urlsplit(verification_link(claim)).query)
    proof = {"uid": query["uid"][0], "token": query["token"][0]}
    response = APIClient().post("/api/auth/email/verify/", proof)
    assert response.status_code == 204
{%- else %}

    assert response.status_code == 200
{%- endif %}
    change = one(security_log, events.EMAIL_CHANGE)
    assert (change["user_id"], change["request_id"]) == (user.pk, response["X-Request-ID"])


def test_a_password_change_records_the_change_and_the_end_of_every_session(
    api_client, user, security_log
):
    tokens = log_in(api_client)
    security_log.clear()

    response = change_password(api_client, tokens["access"])

    assert response.status_code == 200
    change = one(security_log, events.PASSWORD_CHANGE)
    ended = one(security_log, events.SESSION_END)
    assert without_time(change) == expected(
        events.PASSWORD_CHANGE, response, user_id=user.pk, session=sid_of(tokens["access"])
    )
    assert without_time(ended) == expected(
        events.SESSION_END,
        response,
        user_id=user.pk,
        session=sid_of(tokens["access"]),
        reason="password_change",
    )
    assert_stored(change)
    assert_stored(ended)


def test_a_wrong_current_password_records_a_failed_change(api_client, user, security_log):
    tokens = log_in(api_client)
    security_log.clear()

    response = change_password(api_client, tokens["access"], old_password=WRONG_PASSWORD)

    assert response.status_code == 400
    line = one(security_log, events.PASSWORD_CHANGE_FAIL)
    assert without_time(line) == expected(
        events.PASSWORD_CHANGE_FAIL,
        response,
        user_id=user.pk,
        session=sid_of(tokens["access"]),
        reason=events.BAD_CREDENTIALS,
    )


def request_reset(client, email):
    return client.post("/api/auth/password/reset/", {"email": email}, HTTP_USER_AGENT=BROWSER)


def test_a_reset_request_names_the_user_in_the_row_but_never_in_the_answer(
    api_client, user, security_log
):
    known = request_reset(api_client, "ALICE@example.com")
    unknown = request_reset(api_client, "nobody@example.com")

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    found, missing = security_log.events(events.PASSWORD_RESET_REQUEST.name)
    assert without_time(found) == expected(events.PASSWORD_RESET_REQUEST, known, user_id=user.pk)
    assert without_time(missing) == expected(
        events.PASSWORD_RESET_REQUEST,
        unknown,
        outcome=events.FAILURE,
        reason=events.UNKNOWN_USER,
    )
    assert_stored(found)
    assert_stored(missing)
    wait_for_mail()


def test_a_reset_records_the_new_password_and_the_end_of_every_session(
    api_client, user, security_log
):
    tokens = log_in(api_client)
    user.refresh_from_db()  # the link covers the last login
    security_log.clear()

    response = confirm_reset(api_client, password_reset_link(user), HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 204
    reset = one(security_log, events.PASSWORD_RESET)
    ended = one(security_log, events.SESSION_END)
    assert without_time(reset) == expected(events.PASSWORD_RESET, response, user_id=user.pk)
    assert without_time(ended) == expected(
        events.SESSION_END,
        response,
        user_id=user.pk,
        session=sid_of(tokens["access"]),
        reason="password_change",
    )
    assert_stored(reset)


# Accounts and keys
{%- if cookiecutter.user_registration %}


def test_a_registration_records_the_new_user(api_client, security_log):
    response = api_client.post(
        "/api/auth/register/",
        {"username": "bob", "email": "bob@example.com", "password": NEW_PASSWORD},
        HTTP_USER_AGENT=BROWSER,
    )

    assert response.status_code == 201
    line = one(security_log, events.USER_CREATED)
    bob = get_user_model().objects.get(username="bob")
    assert without_time(line) == expected(events.USER_CREATED, response, user_id=bob.pk)
    assert_stored(line)
{%- endif %}


def test_createsuperuser_records_the_new_user(monkeypatch, security_log):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)

    call_command("createsuperuser", "--noinput", username="root", email="root@example.com")

    line = one(security_log, events.USER_CREATED)
    root = get_user_model().objects.get(username="root")
    assert without_time(line) == expected(events.USER_CREATED, user_id=root.pk)


def test_key_rotation_and_retirement_write_lines_naming_the_kid(key_dir, security_log):
    old_kid = current_key_set().signing_kid
    jwt_keys("rotate")
    restart()
    new_kid = current_key_set().signing_kid
    jwt_keys("retire", old_kid)

    rotated = one(security_log, events.KEY_ROTATE)
    retired = one(security_log, events.KEY_RETIRE)
    assert without_time(rotated) == expected(events.KEY_ROTATE, reason=new_kid)
    assert without_time(retired) == expected(events.KEY_RETIRE, reason=old_kid)
    assert not SecurityEvent.objects.exists()  # an operator's event: a line, no row


def test_the_lines_go_to_standard_output_as_json(key_dir):
    result = manage("jwt_keys", "rotate", JWT_KEYS_DIR=str(key_dir), JWT_KEYS="")

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [line["event"] for line in lines] == [events.KEY_ROTATE.name]
    assert lines[0]["reason"] in result.stdout.splitlines()[-1]


# Reading the events


def test_the_readme_lists_every_event_and_field():
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")

    assert [name for name in events.EVENTS if f"`{name}`" not in readme] == []
    assert [name for name in FIELDS if f"`{name}`" not in readme] == []


def test_plain_reads_record_nothing(api_client, tokens, security_log):
    authenticate(api_client, tokens["access"])
    rows = SecurityEvent.objects.count()

    assert me(api_client, tokens["access"]).status_code == 200
    assert api_client.get("/api/auth/events/").status_code == 200

    assert security_log.lines == []
    assert SecurityEvent.objects.count() == rows


def test_the_user_reads_their_own_events_newest_first(api_client, user, django_user_model):
    bob = django_user_model.objects.create_user("bob", "bob@example.com", PASSWORD)
    SecurityEvent.objects.all().delete()
    with freeze_time("2026-01-01 12:00:00") as clock:
        post_login(APIClient(), "alice", WRONG_PASSWORD)
        clock.tick(60)
        tokens = tokens_from(post_login(APIClient()))
        log_in(APIClient(), "bob")
        clock.tick(60)
        authenticate(api_client, tokens["access"])
        response = api_client.get("/api/auth/events/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json()["count"] == 2  # none of bob's
    assert response.json()["results"] == [
        {
            "event": "authn_login_success",
            "time": "2026-01-01T12:01:00Z",
            "ip": "127.0.0.1",
            "user_agent": BROWSER,
        },
        {
            "event": "authn_login_fail",
            "time": "2026-01-01T12:00:00Z",
            "ip": "127.0.0.1",
            "user_agent": BROWSER,
        },
    ]
    assert SecurityEvent.objects.filter(user=bob).exists()


def test_the_events_come_twenty_a_page(api_client, user, tokens):
    SecurityEvent.objects.bulk_create(
        SecurityEvent(user=user, event="authn_login_success", outcome="success") for _ in range(25)
    )
    authenticate(api_client, tokens["access"])

    first = api_client.get("/api/auth/events/").json()
    second = api_client.get(first["next"]).json()
    past_the_end = api_client.get("/api/auth/events/?page=9")

    assert (len(first["results"]), len(second["results"])) == (20, first["count"] - 20)
    assert past_the_end.status_code == 404
    assert past_the_end.json()["detail"]


def test_the_events_need_a_signed_in_user(api_client):
    assert api_client.get("/api/auth/events/").status_code == 401


def test_the_admin_lists_and_filters_events_but_changes_none(client, django_user_model, user):
    staff = django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    client.force_login(staff)
    event = SecurityEvent.objects.first()

    listed = client.get("/admin/security_events/securityevent/?event=user_created")
    added = client.get("/admin/security_events/securityevent/add/")
    deleted = client.post(f"/admin/security_events/securityevent/{event.pk}/delete/")

    assert listed.status_code == 200
    assert "user_created" in listed.content.decode()
    assert (added.status_code, deleted.status_code) == (403, 403)
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_flushsecurityevents_deletes_the_events_past_the_retention(user, settings):
    settings.SECURITY_EVENT_RETENTION_DAYS = 30
    now = datetime.now(UTC)
    SecurityEvent.objects.all().delete()
    for age in (31, 29):
        SecurityEvent.objects.create(
            user=user, event="authn_login_success", outcome="success", time=now - timedelta(age)
        )

    call_command("flushsecurityevents", stdout=io.StringIO())

    assert [row.time for row in SecurityEvent.objects.all()] == [now - timedelta(29)]


# Request ids and log injection


def test_every_answer_carries_a_request_id(api_client):
    first = api_client.get("/api/auth/me/")
    second = api_client.get("/no/such/page/")

    assert len({first["X-Request-ID"], second["X-Request-ID"]}) == 2


@pytest.mark.parametrize(
    ("proxies", "sent", "kept"),
    [
        (1, "Root=1-67891233-abcdef012345678912345678", True),
        (1, "f" * 129, False),
        (1, "id with spaces", False),
        (1, "id\r\nX-Evil: 1", False),
        (0, "chosen-by-the-client", False),
    ],
)
def test_a_request_id_from_a_proxy_is_kept_when_sane(
    api_client, user, settings, security_log, proxies, sent, kept
):
    settings.NUM_PROXIES = proxies

    response = post_login(api_client, HTTP_X_REQUEST_ID=sent)

    assert (response["X-Request-ID"] == sent) == kept
    assert one(security_log, events.LOGIN_SUCCESS)["request_id"] == response["X-Request-ID"]


def test_the_api_exposes_the_request_id_to_browser_apps(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = api_client.get("/api/auth/me/", HTTP_ORIGIN="https://app.example.com")

    exposed = response["Access-Control-Expose-Headers"].lower()
    assert "x-request-id" in exposed


@pytest.mark.parametrize(
    "typed",
    [
        'mallory\r\n{"event": "authn_login_success", "user_id": 1}',
        "mallory\u2028\u2029\x1b[2J\x07\x7f!",
    ],
)
def test_control_characters_stay_inside_the_json_strings(api_client, user, security_log, typed):
    post_login(api_client, typed, WRONG_PASSWORD, HTTP_USER_AGENT=f"agent{typed}")

    [line] = security_log.lines
    # One line, whole: no CR, LF or other control character, nothing past ASCII.
    assert line.isascii()
    assert not [character for character in line if ord(character) < 0x20]
    parsed = json.loads(line)
    assert parsed["event"] == "authn_login_fail"
    assert parsed["username"] == typed
    assert parsed["user_agent"] == f"agent{typed}"


# No secret in any log


class EveryLogRecord(logging.Handler):
    """Every record of every logger, at every level, as text: message, fields and all."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.texts = []

    def emit(self, record):
        self.texts.append(f"{record.getMessage()} {record.__dict__!r}")


@pytest.fixture
def every_log_record():
    handler = EveryLogRecord()
    root, security = logging.getLogger(), logging.getLogger("security")
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    security.addHandler(handler)
    yield handler
    security.removeHandler(handler)
    root.removeHandler(handler)
    root.setLevel(level)


def key_material(key_dir):
    """The text of every private or secret key file, line by line (PEM armour aside)."""
    lines = set()
    for path in key_dir.iterdir():
        if path.name.endswith((".private.pem", ".secret")):
            lines |= {line for line in path.read_text().split() if len(line) > 16}
    assert lines
    return lines


def secrets_of(response):
    """The tokens an answer hands out, and each of their signatures on its own."""
    found = {token for token in tokens_from(response).values() if token}
    return found | {token.rsplit(".", 1)[1] for token in found}


def test_no_flow_writes_a_token_password_link_or_key_to_any_log(
    user, key_dir, every_log_record, security_log
):
    client = APIClient(HTTP_USER_AGENT=BROWSER)
    secrets = {PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, "yet-another-passphrase"}
    secrets |= key_material(key_dir)

    post_login(client, "alice", WRONG_PASSWORD)
    login = post_login(client)
    secrets |= secrets_of(login)
    tokens = tokens_from(login)
    refreshed = refresh_with(client, tokens["refresh"])
    secrets |= secrets_of(refreshed)
    tokens = {name: tokens_from(refreshed)[name] or tokens[name] for name in tokens}
    authenticate(client, tokens["access"])
    reauthenticated = client.post("/api/auth/reauthenticate/", {"password": PASSWORD})
    secrets |= secrets_of(reauthenticated)
    tokens = tokens_from(reauthenticated)
    changed = change_password(client, tokens["access"])
    secrets |= secrets_of(changed)
    assert logout_with(client, tokens_from(changed)["refresh"]).status_code == 204
    request_reset(client, "alice@example.com")
    wait_for_mail()
    link = next(line for line in mail.outbox[-1].body.split() if line.startswith("http"))
    secrets |= {link, parse_qs(urlsplit(link).query)["token"][0]}
    reset = confirm_reset(client, link, "yet-another-passphrase", HTTP_USER_AGENT=BROWSER)
    assert reset.status_code == 204
{%- if cookiecutter.user_registration %}
    registered = client.post(
        "/api/auth/register/",
        {"username": "bob", "email": "bob@example.com", "password": "bobs-own-passphrase"},
    )
    assert registered.status_code == 201
    secrets.add("bobs-own-passphrase")
{%- endif %}
    jwt_keys("rotate")
    restart()
    secrets |= key_material(key_dir)
    signed_in = log_in(client, "alice", "yet-another-passphrase")
    secrets |= {token for token in signed_in.values() if token}
    authenticate(client, signed_in["access"])
    secrets |= key_material(key_dir)
    listed = client.get("/api/auth/events/")

    recorded = {line["event"] for line in security_log.events()}
    assert recorded >= {
        "authn_login_fail",
        "authn_login_success",
        "session_renewed",
        "authn_reauthenticate_success",
        "authn_password_change",
        "authn_token_revoked",
        "authn_password_reset_request",
        "authn_password_reset",
{%- if cookiecutter.user_registration %}
        "user_created",
{%- endif %}
        "sys_crypto_key_rotate",
    }
    logged = "\n".join(every_log_record.texts)
    assert [secret for secret in secrets if secret in logged] == []
    assert [secret for secret in secrets if secret in listed.content.decode()] == []
