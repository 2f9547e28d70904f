"""The one rule for sensitive changes: a credential proved within JWT_REAUTH_MAX_AGE_SECONDS.

Every token carries ``auth_time``, the moment its user last proved a
credential; refresh keeps it, ``/api/auth/reauthenticate/`` renews it. A
change to how the account signs in or is recovered (its email address, and
whatever else a view protects with ``RecentAuthentication``) is refused
with 403 ``reauthentication_required`` when that moment is older, so a
stolen access token alone cannot take the account.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.settings import api_settings
from rest_framework_simplejwt.utils import aware_utcnow, datetime_to_epoch

from .tokens import AUTH_TIME_CLAIM, is_timestamp


class ReauthenticationRequired(exceptions.PermissionDenied):
    default_detail = _(
        "This change needs a recent sign-in: prove your credentials at /api/auth/reauthenticate/."
    )
    default_code = "reauthentication_required"


def authenticated_recently(token):
    """Whether ``token``'s user proved a credential within JWT_REAUTH_MAX_AGE_SECONDS."""
    auth_time = token.get(AUTH_TIME_CLAIM) if token is not None else None
    if not is_timestamp(auth_time):
        return False
    age = datetime_to_epoch(aware_utcnow()) - auth_time
    return age <= settings.JWT_REAUTH_MAX_AGE_SECONDS


class RecentAuthentication(permissions.BasePermission):
    """Refuse a view's unsafe requests unless the user authenticated recently.

    A view that sets ``reauthentication_fields`` asks only when a request
    changes one of them (``MeView``: the email address).
    """

    # api/openapi.py describes this refusal on every unsafe operation.
    unsafe_request_errors = {403: str(ReauthenticationRequired.default_detail)}

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or not self.applies(request, view):
            return True
        if not authenticated_recently(request.auth):
            raise ReauthenticationRequired()
        return True

    def applies(self, request, view):
        fields = getattr(view, "reauthentication_fields", None)
        if fields is None:
            return True
        return isinstance(request.data, dict) and not fields.isdisjoint(request.data)


# A view's permissions for a sensitive change: the API's own, and a recent sign-in.
SIGNED_IN_RECENTLY = (*api_settings.DEFAULT_PERMISSION_CLASSES, RecentAuthentication)
