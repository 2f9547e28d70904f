"""What the rest of the project does when a second factor changes: log it, tell the owner."""

from django.dispatch import receiver

from accounts import notices
from security_events import events
from security_events.recorder import record

from . import signals


@receiver(signals.mfa_enabled)
def mfa_turned_on(sender, user, request=None, **kwargs):
    record(events.MFA_ENABLED, request, user=user)
    notices.mfa_enabled(request, user)


@receiver(signals.mfa_disabled)
def mfa_turned_off(sender, user, request=None, **kwargs):
    record(events.MFA_DISABLED, request, user=user)
    notices.mfa_disabled(request, user)


@receiver(signals.recovery_codes_renewed)
def recovery_codes_renewed(sender, user, request=None, **kwargs):
    record(events.RECOVERY_CODES_RENEWED, request, user=user)
    notices.recovery_codes_renewed(request, user)


@receiver(signals.mfa_failed)
def wrong_code(sender, user, request=None, **kwargs):
    record(events.MFA_VERIFY_FAIL, request, user=user)
