"""Links that prove an address: Django's password reset tokens, bound to the address.

A token's hash covers the user, their address, the address pending a change,
whether the address is proved, and the address the link was sent to. So a
link works once (following it changes one of them), a link made for another
user or another address is refused, and a new change request voids the
links of the one before. A token expires after EMAIL_VERIFY_TIMEOUT_HOURS.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.emails import uid_of

from .models import EmailVerification


@dataclass(frozen=True)
class Claim:
    """That ``user`` receives mail at ``address`` (their own, or the one pending)."""

    user: object
    state: EmailVerification
    address: str


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for a ``Claim`` instead of a user, with their own salt and lifetime."""

    key_salt = "email_verification.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, claim, timestamp):
        user, state = claim.user, claim.state
        return (
            f"{user.pk}|{user.email}|{state.pending_email}|{state.verified}|"
            f"{claim.address.casefold()}|{timestamp}"
        )

    def check_token(self, claim, token):
        """Django's check, with EMAIL_VERIFY_TIMEOUT_HOURS as the lifetime."""
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - timestamp
        if not 0 <= age <= settings.EMAIL_VERIFY_TIMEOUT_HOURS * 3600:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(claim, timestamp, secret), token)
            for secret in (self.secret, *self.secret_fallbacks)
        )


token_generator = EmailVerificationTokenGenerator()


def verification_link(claim):
    """EMAIL_VERIFY_URL with the user's uid and a token for ``claim``."""
    token = token_generator.make_token(claim)
    return settings.EMAIL_VERIFY_URL.format(uid=uid_of(claim.user), token=token)
