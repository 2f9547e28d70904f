"""The second step of a sign-in: the ``mfa_token`` a right password earns, and what it opens.

``challenge_or_sign_in`` is the one decision login makes once the password
is right: a user with a second factor gets an ``mfa_token`` and no session;
everyone else signs in. The token is 256 random bits, kept only as a digest,
bound to its user and this attempt; it lives 5 minutes and works once (a
conditional UPDATE decides, so of two requests with one token, one wins).
It is no JWT: nothing but the second step accepts it.
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from rest_framework.response import Response

from jwt_auth import transport

from . import factors
from .models import MFAChallenge

CHALLENGE_LIFETIME = timedelta(minutes=5)


def challenge_or_sign_in(request, user):
    """Answer a login whose password was right: the second step's challenge, or the session."""
    methods = factors.methods(user)
    if not methods:
        return transport.sign_in(request, user)
    return Response({"mfa_required": True, "mfa_token": issue(user), "methods": methods})


def issue(user):
    """A new ``mfa_token`` for ``user``; their expired ones are cleared away."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    MFAChallenge.objects.filter(user=user, expires_at__lt=now).delete()
    MFAChallenge.objects.create(
        user=user, digest=digest(token), expires_at=now + CHALLENGE_LIFETIME
    )
    return token


def pending(token):
    """The unexpired, unused challenge of an active user that ``token`` is; None otherwise."""
    return (
        MFAChallenge.objects.select_related("user")
        .filter(
            digest=digest(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def complete(challenge):
    """Use ``challenge`` up; False if another request already did."""
    unused = MFAChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True)
    return unused.update(used_at=timezone.now()) == 1


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()
