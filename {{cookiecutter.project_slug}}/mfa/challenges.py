"""The second step of a sign-in: the ``mfa_token`` a right password earns, and what it opens.

``needs_second_step`` is the one decision login makes once the password is
right: a user with a second factor gets ``challenge``, an ``mfa_token`` and
no session; everyone else signs in. The token is 256 random bits, kept only as a digest,
bound to its user and this attempt; it lives 5 minutes and works once (a
conditional UPDATE decides, so of two requests with one token, one wins).
It is no JWT: nothing but the second step accepts it.
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from rest_framework.response import Response

from . import factors
from .models import MFAChallenge

CHALLENGE_LIFETIME = timedelta(minutes=5)


def needs_second_step(user):
    """Whether a login of ``user`` whose password was right still needs a second factor."""
    return bool(factors.methods(user))


def challenge(user):
    """Login's answer for a user with MFA on: the second step's ``mfa_token``, no session."""
    methods = factors.methods(user)
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
