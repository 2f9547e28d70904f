"""Single-use challenges: each ceremony's options carry one, its answer uses it up.

A challenge lives for CHALLENGE_LIFETIME; deleting its row is what uses it,
so of two answers that race with one challenge, one wins.
"""

from datetime import timedelta

from django.utils import timezone
from webauthn.helpers import bytes_to_base64url

from .models import Challenge
from .refusals import refuse

CHALLENGE_LIFETIME = timedelta(minutes=5)
# The options' timeout: how long the browser may wait for the user.
TIMEOUT_MILLISECONDS = int(CHALLENGE_LIFETIME.total_seconds() * 1000)


def issue(challenge, purpose, user=None):
    """Keep ``challenge`` (bytes) for one answer; forget the expired ones."""
    Challenge.objects.expired().delete()
    Challenge.objects.create(
        challenge=bytes_to_base64url(challenge),
        purpose=purpose,
        user=user,
        expires=timezone.now() + CHALLENGE_LIFETIME,
    )


def use(challenge, purpose, user=None):
    """Use up ``challenge``, refused unless it was issued for ``purpose`` (and ``user``)."""
    deleted, _ = Challenge.objects.filter(
        challenge=bytes_to_base64url(challenge),
        purpose=purpose,
        user=user,
        expires__gt=timezone.now(),
    ).delete()
    if not deleted:
        refuse("challenge_invalid")
