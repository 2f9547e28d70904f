"""The WebAuthn ceremonies, the thin layer over py_webauthn.

py_webauthn does the cryptography and the parsing (CBOR, COSE keys,
attestation statements, signatures): nothing here decodes a byte of it by
hand. This module hands out options with a single-use challenge
(challenges.py), and, before the library verifies an answer, reads the
library's parse of it to name the first rule it breaks, so that a client
learns why (refusals.py: each refusal has its own code). The
library's verification then decides.

Three functions are the actions other features hook into:
``register_passkey`` (a passkey added), ``remove_passkey`` (one removed) and
``verify_assertion`` (a passkey proved: a sign-in, a second factor, a
re-authentication); every refusal goes through ``refusals.refuse``.
"""

import hashlib

import webauthn
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    options_to_json_dict,
    parse_attestation_object,
    parse_authentication_credential_json,
    parse_authenticator_data,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    ClientDataType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from accounts import notices
from security_events import events
from security_events.recorder import record

from . import challenges
from .models import Challenge, Passkey
from .refusals import malformed, refuse

# What py_webauthn's parsers raise on input that is not what they read.
MALFORMED = (WebAuthnException, ValueError, TypeError, LookupError, AttributeError)


def user_handle(user):
    """The id an authenticator files the user's passkeys under (no name, no email)."""
    return str(user.pk).encode()


def transports_of(passkey):
    known = {transport.value for transport in AuthenticatorTransport}
    return [AuthenticatorTransport(name) for name in passkey.transport_names if name in known]


def registration_options(user):
    """The creation options for a new passkey of ``user``: the JSON for the browser."""
    options = webauthn.generate_registration_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_id=user_handle(user),
        user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(),
        timeout=challenges.TIMEOUT_MILLISECONDS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(passkey.credential_id), transports=transports_of(passkey)
            )
            for passkey in user.passkeys.all()
        ],
    )
    challenges.issue(options.challenge, Challenge.Purpose.REGISTRATION, user)
    return options_to_json_dict(options)


def authentication_options():
    """Request options for any of the RP's passkeys (discoverable): the JSON for the browser."""
    options = webauthn.generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        timeout=challenges.TIMEOUT_MILLISECONDS,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    challenges.issue(options.challenge, Challenge.Purpose.AUTHENTICATION)
    return options_to_json_dict(options)


def check_client_data(client_data_json, ceremony, purpose, user=None):
    """Use up the answer's challenge, then check the page's origin; return the challenge."""
    try:
        client_data = parse_client_data_json(client_data_json)
    except MALFORMED as error:
        raise malformed(error) from error
    if client_data.type != ceremony:
        raise malformed(f"clientDataJSON.type is not {ceremony.value}")
    challenges.use(client_data.challenge, purpose, user)
    if client_data.origin not in settings.WEBAUTHN_ORIGINS:
        refuse("origin_not_allowed", client_data.origin)
    return client_data.challenge


def check_authenticator_data(auth_data):
    """The relying party the authenticator signed for, and that it verified the user."""
    if auth_data.rp_id_hash != hashlib.sha256(settings.WEBAUTHN_RP_ID.encode()).digest():
        refuse("rp_id_mismatch")
    if not (auth_data.flags.up and auth_data.flags.uv):
        refuse("user_verification_required")


def register_passkey(request, user, credential, name):
    """Verify the answer to ``registration_options`` and keep the new passkey of ``user``.

    ``request`` is for what records the change (and tells the user of it).
    """
    try:
        parsed = parse_registration_credential_json(credential)
        auth_data = parse_attestation_object(parsed.response.attestation_object).auth_data
    except MALFORMED as error:
        raise malformed(error) from error
    challenge = check_client_data(
        parsed.response.client_data_json,
        ClientDataType.WEBAUTHN_CREATE,
        Challenge.Purpose.REGISTRATION,
        user,
    )
    check_authenticator_data(auth_data)
    try:
        verified = webauthn.verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGINS,
            require_user_verification=True,
        )
    except MALFORMED as error:
        refuse("verification_failed", error)
    try:
        with transaction.atomic():
            passkey = Passkey.objects.create(
                user=user,
                credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=",".join(
                    transport.value for transport in parsed.response.transports or ()
                ),
                name=name,
            )
    except IntegrityError:
        refuse("credential_exists")
    record(events.PASSKEY_ADDED, request, user=user, reason=name[:64])
    notices.passkey_added(request, user, name)
    return passkey


def remove_passkey(request, passkey):
    """Remove ``passkey``; ``request`` is for what records the change."""
    passkey.delete()
    record(events.PASSKEY_REMOVED, request, user=passkey.user)


def verify_assertion(request, credential, *, user=None):
    """Verify the answer to ``authentication_options``; return the passkey's user.

    With ``user`` (a second factor after a password, a re-authentication),
    only that user's passkeys count. A passkey whose authenticator verified
    the user is two factors in itself. ``request`` is for what records the
    attempt.
    """
    try:
        parsed = parse_authentication_credential_json(credential)
        auth_data = parse_authenticator_data(parsed.response.authenticator_data)
    except MALFORMED as error:
        raise malformed(error) from error
    challenge = check_client_data(
        parsed.response.client_data_json,
        ClientDataType.WEBAUTHN_GET,
        Challenge.Purpose.AUTHENTICATION,
    )
    check_authenticator_data(auth_data)
    passkey = find_passkey(parsed, user)
    if (auth_data.sign_count or passkey.sign_count) and auth_data.sign_count <= passkey.sign_count:
        refuse("sign_count_went_backwards")
    try:
        verified = webauthn.verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGINS,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except MALFORMED as error:
        refuse("verification_failed", error)
    # Only from the count read above: of two answers with one count at once, one moves it.
    moved = Passkey.objects.filter(pk=passkey.pk, sign_count=passkey.sign_count).update(
        sign_count=verified.new_sign_count, last_used=timezone.now()
    )
    if not moved:
        refuse("sign_count_went_backwards")
    return passkey.user


def find_passkey(parsed, user=None):
    """The active account's passkey the answer names (and, if given, ``user``'s)."""
    passkeys = Passkey.objects.select_related("user").filter(user__is_active=True)
    if user is not None:
        passkeys = passkeys.filter(user=user)
    passkey = passkeys.filter(credential_id=bytes_to_base64url(parsed.raw_id)).first()
    handle = parsed.response.user_handle
    if passkey is None or (handle is not None and handle != user_handle(passkey.user)):
        refuse("unknown_credential")
    return passkey
