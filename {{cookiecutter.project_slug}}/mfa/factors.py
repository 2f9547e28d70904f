"""The second factors: TOTP authenticators (pyotp) and recovery codes.

Each action is one function, and each sends its signal (signals.py) once it
is done: ``start_totp``, ``confirm_totp``, ``turn_off``,
``renew_recovery_codes``, ``prove`` (a code at sign-in or re-authentication).
``methods`` says which factors a user has on.

- TOTP is RFC 6238 as every authenticator app reads it: 30-second steps,
  6 digits, SHA-1. A code of the step before or after is accepted (clock
  drift); a code works once, since each accepted step is recorded and an
  earlier or equal one refused, in one conditional UPDATE that two requests
  cannot both win.
- Recovery codes are 120 random bits each, so a plain SHA-256 digest keeps
  them as ASVS 6.5.2 allows; each works once (a conditional UPDATE again).
"""

import hashlib
import secrets

import pyotp
import segno
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pyotp.exceptions import OTPVerificationError
{%- if cookiecutter.throttling %}

from api.throttles import FailedLoginThrottle
{%- endif %}

from . import limits, signals
from .models import RecoveryCode, TOTPDevice

TOTP = "totp"
RECOVERY_CODE = "recovery_code"
{%- if cookiecutter.passkeys %}
PASSKEY = "passkey"
{%- endif %}
RECOVERY_CODES = 10
# 24 characters of base32 carry 120 bits; shown in groups of 4, read without the dashes.
RECOVERY_CODE_LENGTH = 24
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
TOTP_DIGITS = 6
ISSUER = "{{ cookiecutter.project_name | replace('"', "'") | replace("\\", "") }}"


def methods(user):
    """The second factors ``user`` can sign in with; empty when MFA is off."""
    if not has_mfa(user):
        return []
{%- if cookiecutter.passkeys %}
    if user.passkeys.exists():  # a passkey that verifies its user is a second factor too
        return [TOTP, RECOVERY_CODE, PASSKEY]
{%- endif %}
    return [TOTP, RECOVERY_CODE]


def has_mfa(user):
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def normalized(code):
    """A code as typed, without the spaces apps show and the dashes recovery codes have."""
    return "".join(code.split()).replace("-", "").lower()


def looks_like_a_code(code):
    """Whether ``code`` (normalized) has the shape of a TOTP code or of a recovery code."""
    if len(code) == TOTP_DIGITS:
        return code.isascii() and code.isdigit()
    return len(code) == RECOVERY_CODE_LENGTH and set(code) <= set(RECOVERY_CODE_ALPHABET)


def start_totp(user):
    """Make a pending authenticator for ``user`` (replacing a pending one); return it."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).delete()
        return TOTPDevice.objects.create(user=user, secret=pyotp.random_base32())


def provisioning(device):
    """What an authenticator app needs: the secret, its otpauth:// URI and that URI as a QR SVG."""
    uri = pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return {"secret": device.secret, "otpauth_uri": uri, "qr_svg": svg}


def pending_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).last()


def confirm_totp(request, user, device):
    """Turn ``device`` on (its code was right): the only authenticator, with new recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        codes = replace_recovery_codes(user)
    signals.mfa_enabled.send(sender=TOTPDevice, user=user, request=request)
    return codes


def turn_off(request, user):
    """MFA off: every authenticator and recovery code of ``user`` gone."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    signals.mfa_disabled.send(sender=TOTPDevice, user=user, request=request)


def renew_recovery_codes(request, user):
    """A new set of recovery codes for ``user``; the old set stops working."""
    with transaction.atomic():
        codes = replace_recovery_codes(user)
    signals.recovery_codes_renewed.send(sender=RecoveryCode, user=user, request=request)
    return codes


def replace_recovery_codes(user):
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=digest(code)) for code in codes)
    return codes


def new_recovery_code():
    raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def digest(code):
    return hashlib.sha256(normalized(code).encode()).hexdigest()


def prove(request, user, code, *, challenge=None):
    """Check a second factor of ``user``: the method it proved, or None for a wrong code.

    Wrong codes are limited per account and per challenge (limits.py; over
    the limit raises Throttled) and count as failed logins.
    """
    limits.attempt(user, challenge)
    code = normalized(code)
    method = (
        use_totp_code(user, code) if len(code) == TOTP_DIGITS else use_recovery_code(user, code)
    )
    if method is None:
{%- if cookiecutter.throttling %}
        # A failed login of the account too, under its limit (api/throttles.py).
        FailedLoginThrottle(request).attempt(user.get_username())
{%- endif %}
        signals.mfa_failed.send(sender=TOTPDevice, user=user, request=request)
    else:
        limits.succeeded(user, challenge)
        signals.mfa_verified.send(sender=TOTPDevice, user=user, request=request, method=method)
    return method


def matching_step(device, code):
    """The time step whose code ``code`` is, within one step of now (clock drift); None if none."""
    totp = pyotp.TOTP(device.secret)
    try:
        return totp.verify_and_get_timecode(code, for_time=timezone.now(), valid_window=1)
    except OTPVerificationError:
        return None


def use_step(device, step):
    """Record ``step`` as used; False if it (or a later one) already was."""
    unused = Q(last_step__isnull=True) | Q(last_step__lt=step)
    return TOTPDevice.objects.filter(unused, pk=device.pk).update(last_step=step) == 1


def use_totp_code(user, code):
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return None
    step = matching_step(device, code)
    return TOTP if step is not None and use_step(device, step) else None


def use_recovery_code(user, code):
    unused = RecoveryCode.objects.filter(user=user, digest=digest(code), used_at__isnull=True)
    return RECOVERY_CODE if unused.update(used_at=timezone.now()) == 1 else None


def check_pending_code(user, device, code):
    """Whether ``code`` is the current code of a pending ``device`` (wrong ones are limited)."""
    limits.attempt(user)
    step = matching_step(device, normalized(code))
    if step is None or not use_step(device, step):
        return False
    limits.succeeded(user)
    return True
