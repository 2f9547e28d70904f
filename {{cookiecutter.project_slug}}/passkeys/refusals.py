"""Why a passkey answer is refused: one code per rule, each a JSON 400.

A malformed credential is a field error on ``credential``; a well-formed
one that breaks a rule is a ``PasskeyRefused`` whose ``code`` names the rule.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions


class PasskeyRefused(exceptions.APIException):
    """A well-formed passkey answer that breaks a rule; ``code`` says which."""

    status_code = 400
    default_detail = _("The passkey was refused.")
    default_code = "passkey_refused"


# Every rule an answer can break, by its code, with what the client is told.
REFUSALS = {
    "challenge_invalid": _(
        "The challenge is unknown, used already or expired: ask for new options."
    ),
    "origin_not_allowed": _("The passkey was used on a page whose origin is not allowed."),
    "rp_id_mismatch": _("The passkey answered for another relying party ID."),
    "user_verification_required": _(
        "The authenticator did not verify the user (PIN or biometrics): passkeys need it."
    ),
    "unknown_credential": _("No account has this passkey."),
    "sign_count_went_backwards": _(
        "The passkey's signature counter went backwards: the authenticator may be a clone."
    ),
    "credential_exists": _("This passkey is registered already."),
    "verification_failed": _("The passkey's answer does not verify."),
}


def refuse(code, reason=None):
    """Raise the refusal ``code``; ``reason``, the library's words, follows its message."""
    detail = REFUSALS[code] if reason is None else f"{REFUSALS[code]} ({reason})"
    raise PasskeyRefused(detail, code=code)


def malformed(reason):
    return exceptions.ValidationError(
        {"credential": [_("Not a WebAuthn credential as the browser gives it: %s.") % reason]}
    )
