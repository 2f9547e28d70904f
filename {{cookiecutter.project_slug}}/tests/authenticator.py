"""A software authenticator: real WebAuthn answers, made in the tests, for the server to verify.

It does what a platform authenticator does for a browser: an ES256 key pair
per passkey, a "none" attestation at registration, a signed assertion at
sign-in, each in the JSON that ``PublicKeyCredential.toJSON()`` gives. The
CBOR is written with py_webauthn's own encoder; the server side never sees
this module, only the JSON it makes. Each answer can break one rule on
purpose (another origin, another RP ID, no user verification, a counter).
"""

import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url, encode_cbor

ORIGIN = "http://localhost:3000"
RP_ID = "localhost"

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_CREDENTIAL = 0x40


class Authenticator:
    """One passkey on one authenticator, answering the server's options."""

    def __init__(self, *, counts_signatures=True):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle = None
        self.sign_count = 0
        # Synced passkeys (Apple's, Google's) keep the counter at 0 for ever.
        self.counts_signatures = counts_signatures

    @property
    def id(self):
        return bytes_to_base64url(self.credential_id)

    def cose_public_key(self):
        """The public key as COSE_Key: EC2 (1), ES256 (-7), P-256 (1), x, y."""
        numbers = self.private_key.public_key().public_numbers()
        return encode_cbor(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def authenticator_data(self, rp_id, verified, attested=False):
        flags = USER_PRESENT | (USER_VERIFIED if verified else 0)
        if attested:
            flags |= ATTESTED_CREDENTIAL
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags])
        data += struct.pack(">I", self.sign_count)
        if attested:
            aaguid = bytes(16)
            data += aaguid + struct.pack(">H", len(self.credential_id)) + self.credential_id
            data += self.cose_public_key()
        return data

    @staticmethod
    def client_data(ceremony, challenge, origin):
        return json.dumps(
            {"type": ceremony, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()

    def create(self, options, *, origin=ORIGIN, rp_id=None, verified=True):
        """navigator.credentials.create() with the server's creation options, as JSON."""
        self.user_handle = options["user"]["id"]
        auth_data = self.authenticator_data(rp_id or options["rp"]["id"], verified, attested=True)
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self.client_data("webauthn.create", options["challenge"], origin)
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def get(self, options, *, origin=ORIGIN, rp_id=None, verified=True, sign_count=None):
        """navigator.credentials.get() with the server's request options, as JSON."""
        if sign_count is not None:
            self.sign_count = sign_count
        elif self.counts_signatures:
            self.sign_count += 1
        auth_data = self.authenticator_data(rp_id or options["rpId"], verified)
        client_data = self.client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": self.user_handle,
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }
