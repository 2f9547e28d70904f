"""Events that Django announces with a signal, whichever path (the API or the admin) caused them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
{%- if cookiecutter.throttling %}

from api.throttles import login_locked
{%- endif %}

from . import events
from .recorder import record


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    """A failed authenticate(), with why; the answer to the client stays the same for all.

    A signed-in user proving the password again is no login: the
    re-authentication view records that itself.
    """
    if getattr(request, "auth", None) is not None:
        return
    username = credentials.get(get_user_model().USERNAME_FIELD)
    if not isinstance(username, str):
        return
    user = get_user_model()._default_manager.with_username(username).first()
    if user is None:
        reason = events.UNKNOWN_USER
    elif not user.is_active:
        reason = events.INACTIVE
    else:
        reason = events.BAD_CREDENTIALS
    record(
        events.LOGIN_FAIL,
        request,
        user=user,
        reason=reason,
        username=username,
    )
{%- if cookiecutter.throttling %}


@receiver(login_locked)
def record_login_lock(sender, request, limit, username, **kwargs):
    """A login limit reached: of a client's address, or of an account's failed logins."""
    if limit == "account":
        account = get_user_model()._default_manager.with_username(username).first()
        record(
            events.LOGIN_LOCK, request, user=account, reason=events.ACCOUNT_LIMIT, username=username
        )
    else:
        record(events.LOGIN_LOCK, request, reason=events.ADDRESS_LIMIT)
{%- endif %}


@receiver(user_logged_in)
def record_admin_login(sender, request, user, **kwargs):
    """Django's login() (the admin's form) signs in to a cookie session; the API records its own."""
    record(events.LOGIN_SUCCESS, request, user=user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def record_new_user(sender, instance, created, raw=False, **kwargs):
    """A new account, from registration, the admin or createsuperuser."""
    if created and not raw:
        record(events.USER_CREATED, user=instance)
