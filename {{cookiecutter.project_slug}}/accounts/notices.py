"""Security notices: the owner of an account hears of every change to how it signs in.

Each notice says what happened, when, from which address and client (as
api/clients.py sees them), and what to do if it was not the owner; it goes
out as plain text and HTML, in the background (emails.py), so it never
holds up the answer. A notice never holds a token, a link that acts on the
account, or a password: a mailbox read by someone else gives them nothing.
An account without an email address gets no notice.

The views that make a change call the function named after it; other
features call theirs the same way, with the request that made the change.
"""

from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from api.clients import client_address, user_agent

from .emails import send_in_background

SECURE_THE_ACCOUNT = (
    "If this was not you, someone else can sign in to your account: reset your password "
    "at once (the password reset ends every session) and tell us."
)


@dataclass(frozen=True)
class Notice:
    """What one notice says: its subject, what happened, and what to do if it was not you."""

    subject: str
    happened: str
    if_not_you: str = SECURE_THE_ACCOUNT


def send(request, user, notice, *, to=None):
    """Email ``notice`` about ``user``'s account to ``to`` (by default the account's address)."""
    address = to or user.email
    if not address:
        return
    facts = {
        "When": timezone.now().strftime("%Y-%m-%d %H:%M:%S UTC"),
        "From the address": (request and client_address(request)) or "unknown",
        "Client": (request and printable(user_agent(request))) or "unknown",
    }
    message = EmailMultiAlternatives(
        subject=notice.subject, body=as_text(user, notice, facts), to=[address]
    )
    message.attach_alternative(as_html(user, notice, facts), "text/html")
    send_in_background(message, f"notice {notice.subject!r}", user.pk)


def printable(text):
    """``text`` with control characters (a forged User-Agent's line breaks) replaced."""
    return "".join(character if character.isprintable() else "?" for character in text)


def as_text(user, notice, facts):
    lines = "".join(f"{name}: {value}\n" for name, value in facts.items())
    return (
        f"Hello {user.get_username()},\n\n{notice.happened}\n\n{lines}\n{notice.if_not_you}\n\n"
        "This notice is sent for every change to how your account signs in; "
        "it needs no answer.\n"
    )


def as_html(user, notice, facts):
    return format_html(
        "<p>Hello {},</p><p>{}</p><ul>{}</ul><p><strong>{}</strong></p>"
        "<p>This notice is sent for every change to how your account signs in; "
        "it needs no answer.</p>",
        user.get_username(),
        notice.happened,
        format_html_join("", "<li>{}: {}</li>", facts.items()),
        notice.if_not_you,
    )


def password_changed(request, user):
    send(request, user, Notice("Your password was changed", "Your password was changed."))


def password_reset(request, user):
    send(
        request,
        user,
        Notice(
            "Your password was reset",
            "Your password was reset through a link sent to this address; "
            "every session of your account has ended.",
        ),
    )


def email_changed(request, user, old_email):
    """Tell the address the account had that it has another now."""
    send(
        request,
        user,
        Notice(
            "Your email address was changed",
            f"The email address of your account is now {user.email}; "
            "this address no longer receives its password reset links.",
            "If this was not you, someone else controls your account: "
            "contact us at once, from this address.",
        ),
        to=old_email,
    )
{%- if cookiecutter.email_verification != "none" %}


def email_change_requested(request, user, new_email):
    """Tell the account's address that a change to ``new_email`` awaits confirmation."""
    send(
        request,
        user,
        Notice(
            "A change of your email address was requested",
            f"Someone signed in to your account asked to change its email address to "
            f"{new_email}. Nothing changes until the link sent to that address is followed.",
        ),
    )


def address_in_use(request, user, attempt):
    """Tell ``user`` that someone tried to give another account their address.

    ``attempt`` says where: "register a new account" or "change the address of
    another account". The API answered as if the address were free.
    """
    send(
        request,
        user,
        Notice(
            "Someone tried to use your email address",
            f"Someone tried to {attempt} with this email address, which already belongs to "
            "your account. Nothing was changed, and your account was not touched.",
            "If this was you, sign in to your existing account instead (or reset its password). "
            "If not, you need not do anything.",
        ),
    )
{%- endif %}

{%- if cookiecutter.mfa %}


def mfa_enabled(request, user):
    send(request, user, Notice("Two-step sign-in was turned on", "Two-step sign-in was turned on."))


def mfa_disabled(request, user):
    send(
        request,
        user,
        Notice(
            "Two-step sign-in was turned off",
            "Two-step sign-in was turned off: your password alone now signs in.",
        ),
    )


def recovery_codes_renewed(request, user):
    send(
        request,
        user,
        Notice(
            "New recovery codes were made",
            "A new set of recovery codes was made for your account; the old codes no longer work.",
        ),
    )

{%- endif %}
{%- if cookiecutter.passkeys %}


def passkey_added(request, user, name=""):
    named = f" ({name})" if name else ""
    send(
        request,
        user,
        Notice(
            "A passkey was added to your account",
            f"A passkey{named} was added to your account: it can sign in without your password.",
            "If this was not you, remove the passkey, reset your password at once "
            "(the reset ends every session) and tell us.",
        ),
    )

{%- endif %}


def refresh_token_replayed(request, user):
    send(
        request,
        user,
        Notice(
            "A session of your account was ended",
            "A sign-in token of your account was used again after it had been replaced, "
            "which happens when a copy of it is in other hands. That session has ended; "
            "sign in again where you were signed out.",
            "If this keeps happening, someone may be copying your tokens: reset your password "
            "(the reset ends every session) and check the devices you sign in on.",
        ),
    )
