"""MFA_REQUIRED: the users who must have a second factor, and what they may do until they do.

A user who must (``staff``: staff and superusers; ``all``: everyone) but has
no confirmed authenticator signs in as usual, and every authenticated
endpoint refuses them with 403 ``mfa_enrollment_required``, except those
that let them turn MFA on: GET me/, logout, reauthenticate and the
enrolment endpoints. ``MFAEnrollment`` is in REST_FRAMEWORK's
DEFAULT_PERMISSION_CLASSES; a view that sets its own permission classes
starts from that list (tests/test_mfa_required.py checks every route).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from . import factors

NONE, STAFF, ALL = "none", "staff", "all"
# The routes (URL names) open to a user who must enrol, with the methods they may use.
OPEN_BEFORE_ENROLMENT = {
    "me": permissions.SAFE_METHODS,
    "logout": ("POST",),
    "reauthenticate": ("POST",),
    "mfa": permissions.SAFE_METHODS,
    "mfa_totp": ("POST",),
    "mfa_totp_confirm": ("POST",),
}


class MFAEnrollmentRequired(exceptions.PermissionDenied):
    default_detail = _(
        "Turn on a second factor first: POST /api/auth/mfa/totp/, then .../totp/confirm/."
    )
    default_code = "mfa_enrollment_required"


def must_have_mfa(user):
    """Whether MFA_REQUIRED asks ``user`` for a second factor."""
    if settings.MFA_REQUIRED == ALL:
        return True
    return settings.MFA_REQUIRED == STAFF and (user.is_staff or user.is_superuser)


def must_enrol(user):
    """Whether ``user`` must have a second factor and has none yet."""
    return must_have_mfa(user) and not factors.has_mfa(user)


class MFAEnrollment(permissions.BasePermission):
    """Refuse a user who must have MFA but has none, outside the routes that let them enrol."""

    # api/openapi.py describes this refusal on every unsafe operation.
    unsafe_request_errors = {403: str(MFAEnrollmentRequired.default_detail)}

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or settings.MFA_REQUIRED == NONE:
            return True
        match = request.resolver_match
        if request.method in OPEN_BEFORE_ENROLMENT.get(match and match.url_name, ()):
            return True
        if must_enrol(user):
            raise MFAEnrollmentRequired()
        return True
