"""Passkeys (WebAuthn): register them, sign in with one alone, prove one again.

The WebAuthn ceremonies are py_webauthn's (``ceremonies.py`` is the thin
layer over it); the views hand out its options and take the browser's JSON.
"""
