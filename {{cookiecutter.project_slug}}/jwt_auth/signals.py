"""Changes to a user that end all their sessions for good: a new password, deactivation.

Made where the user is saved, so the admin, the shell and every view end
them alike, and reactivating the user brings none back. A queryset's
``update()`` saves no model: after one, call ``revocation.end_sessions``.
"""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import revocation
from .models import EndReason

WATCHED_FIELDS = frozenset({"password", "is_active"})


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def note_what_ends_sessions(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._sessions_end_reason = None
    if raw or instance._state.adding:
        return
    if update_fields is not None and WATCHED_FIELDS.isdisjoint(update_fields):
        return  # a login's last_login, for one: nothing to compare
    before = sender._default_manager.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._sessions_end_reason = EndReason.DEACTIVATION
    elif before["password"] != instance.password:
        instance._sessions_end_reason = EndReason.PASSWORD_CHANGE


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def end_sessions_of_changed_user(sender, instance, **kwargs):
    reason = instance.__dict__.pop("_sessions_end_reason", None)
    if reason:
        revocation.end_sessions(instance.login_sessions.all(), reason=reason)
