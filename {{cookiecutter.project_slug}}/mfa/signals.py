"""What happens to a user's second factor, for other features to act on.

Each is sent by the one function that does the action (factors.py,
challenges.py), with ``user`` and, where there is one, ``request``:
security events record them, notices email the user about them.
"""

from django.dispatch import Signal

# An authenticator was confirmed: MFA is on (or its authenticator replaced).
mfa_enabled = Signal()
# MFA was turned off: authenticators and recovery codes are gone.
mfa_disabled = Signal()
# A new set of recovery codes replaced the old one.
recovery_codes_renewed = Signal()
# A second factor was proved; ``method`` names it ("totp", "recovery_code").
mfa_verified = Signal()
# A wrong code was given for a second factor.
mfa_failed = Signal()
