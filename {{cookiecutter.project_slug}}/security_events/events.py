"""The security events this project records: the one place their names are written.

Names come from OWASP's Logging Vocabulary cheat sheet, so a log collector
reads them without a mapping. Plain Python that imports nothing, like
signing_keys/algorithms.py: the recorder, the views that call it, the
README's log inventory and the tests all read this table.

Record an event with one line where it happens::

    from security_events import events
    from security_events.recorder import record

    record(events.LOGIN_SUCCESS, request, user=user)
"""

from __future__ import annotations

from dataclasses import dataclass

# What became of the attempt an event reports.
SUCCESS = "success"
FAILURE = "failure"


@dataclass(frozen=True)
class Event:
    name: str  # OWASP's name, as the log line and the row carry it
    level: str  # the logging level of its line: INFO, WARNING or CRITICAL
    meaning: str  # what happened, for the README and the admin
    outcome: str = SUCCESS  # what record() writes unless told otherwise
    stored: bool = True  # False: a log line only, no row (routine, frequent events)

    def __str__(self) -> str:
        return self.name


LOGIN_SUCCESS = Event("authn_login_success", "INFO", "a login opened a session")
LOGIN_FAIL = Event("authn_login_fail", "WARNING", "a login was refused (reason says why)", FAILURE)
{%- if cookiecutter.throttling %}
LOGIN_LOCK = Event("authn_login_lock", "WARNING", "a login limit was reached", FAILURE)
{%- endif %}
REAUTHENTICATE_SUCCESS = Event(
    "authn_reauthenticate_success", "INFO", "a signed-in user proved the password again"
)
REAUTHENTICATE_FAIL = Event(
    "authn_reauthenticate_fail", "WARNING", "a signed-in user's password proof was refused", FAILURE
)
SESSION_RENEWED = Event(
    "session_renewed", "INFO", "a refresh gave a session new tokens", stored=False
)
# A session ends (logout, password change, ...): its tokens are revoked. One event,
# OWASP's authn_token_revoked, whose reason says why; SESSION_END names the same.
TOKEN_REVOKED = Event("authn_token_revoked", "INFO", "a session ended: its tokens are refused")
SESSION_END = TOKEN_REVOKED
TOKEN_REUSE = Event(
    "authn_token_reuse", "CRITICAL", "a used refresh token came back: its session ended", FAILURE
)
PASSWORD_CHANGE = Event("authn_password_change", "INFO", "the password was changed")
PASSWORD_CHANGE_FAIL = Event(
    "authn_password_change_fail", "WARNING", "a wrong current password in a change", FAILURE
)
PASSWORD_RESET_REQUEST = Event(
    "authn_password_reset_request", "INFO", "a reset link was asked for (sent if the user exists)"
)
PASSWORD_RESET = Event("authn_password_reset", "INFO", "a reset link set a new password")
USER_CREATED = Event("user_created", "INFO", "an account was created")
EMAIL_CHANGE = Event("authn_email_change", "INFO", "the account's email address changed")
{%- if cookiecutter.mfa %}
MFA_ENABLED = Event("authn_mfa_enabled", "INFO", "a second factor was turned on")
MFA_DISABLED = Event("authn_mfa_disabled", "WARNING", "a second factor was turned off")
MFA_VERIFY_FAIL = Event(
    "authn_mfa_verify_fail", "WARNING", "a second-factor code was refused", FAILURE
)
RECOVERY_CODES_RENEWED = Event(
    "authn_recovery_codes_renewed", "INFO", "a new set of recovery codes replaced the old"
)
{%- endif %}
{%- if cookiecutter.passkeys %}
PASSKEY_ADDED = Event("authn_passkey_added", "INFO", "a passkey was registered")
PASSKEY_REMOVED = Event("authn_passkey_removed", "WARNING", "a passkey was removed")
PASSKEY_LOGIN = Event("authn_passkey_login", "INFO", "a passkey signed in")
{%- endif %}
# The operator's key commands: log lines only, since no user reads them and a
# rotation must work while the database does not (it replaces a leaked key).
KEY_ROTATE = Event(
    "sys_crypto_key_rotate", "WARNING", "a new key signs (reason: its kid)", stored=False
)
KEY_RETIRE = Event(
    "sys_crypto_key_retire", "WARNING", "a key stopped verifying (reason: its kid)", stored=False
)

EVENTS = {
    event.name: event
    for event in (
        LOGIN_SUCCESS,
        LOGIN_FAIL,
{%- if cookiecutter.throttling %}
        LOGIN_LOCK,
{%- endif %}
        REAUTHENTICATE_SUCCESS,
        REAUTHENTICATE_FAIL,
        SESSION_RENEWED,
        TOKEN_REVOKED,
        TOKEN_REUSE,
        PASSWORD_CHANGE,
        PASSWORD_CHANGE_FAIL,
        PASSWORD_RESET_REQUEST,
        PASSWORD_RESET,
        USER_CREATED,
        EMAIL_CHANGE,
{%- if cookiecutter.mfa %}
        MFA_ENABLED,
        MFA_DISABLED,
        MFA_VERIFY_FAIL,
        RECOVERY_CODES_RENEWED,
{%- endif %}
{%- if cookiecutter.passkeys %}
        PASSKEY_ADDED,
        PASSKEY_REMOVED,
        PASSKEY_LOGIN,
{%- endif %}
        KEY_ROTATE,
        KEY_RETIRE,
    )
}

# Reasons, in the events' reason field.
BAD_CREDENTIALS = "bad_credentials"  # a login: the password did not match
INACTIVE = "inactive"  # a login: the account is deactivated
UNKNOWN_USER = "unknown_user"  # a login or a reset request: no such account
ADDRESS_LIMIT = "address_limit"  # a login lock: too many logins from one client
ACCOUNT_LIMIT = "account_limit"  # a login lock: too many failed logins of one account
# A session end names its reason as jwt_auth.models.EndReason does.
