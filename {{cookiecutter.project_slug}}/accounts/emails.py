"""The password reset email, the uid its links carry, and the one way every email leaves.

The reset endpoint answers before the message goes out, so an address with
an account takes as long as one without, and a slow or unreachable mail
server never holds up the answer: its error goes to the log. The security
notices (notices.py) leave the same way, through ``send_in_background``.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

logger = logging.getLogger(__name__)
User = get_user_model()

# One thread per process: messages leave in order, and a caller (a test) can
# wait for those already handed over with mailer.submit(int).result().
mailer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="email")


def uid_of(user):
    """The ``{uid}`` of ``user``'s links (reset, and address verification where it exists)."""
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_of(uid):
    """The active user a link's ``uid`` names, locked until the transaction ends; or None."""
    try:
        pk = urlsafe_base64_decode(uid).decode()
        return User._default_manager.select_for_update().get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, ValidationError, User.DoesNotExist):
        return None


def password_reset_link(user):
    """PASSWORD_RESET_URL with the user's uid and a single-use, expiring token."""
    token = default_token_generator.make_token(user)
    return settings.PASSWORD_RESET_URL.format(uid=uid_of(user), token=token)


def send_password_reset_email(user):
    """Send the reset email of ``user`` in the background; None (no account) sends nothing."""
    mailer.submit(deliver_password_reset_email, user)


def deliver_password_reset_email(user):
    if user is None:
        return
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    message = EmailMessage(
        subject="Reset your password",
        body=(
            f"Someone asked to reset the password of the account {user.get_username()}.\n\n"
            f"To choose a new one, open this link within {minutes} minutes:\n\n"
            f"{password_reset_link(user)}\n\n"
            "The link works once. If you did not ask for it, ignore this email: "
            "your password stays as it is.\n"
        ),
        to=[user.email],
    )
    deliver(message, "password reset email", user.pk)  # already in the mail thread


def send_in_background(message, what, user_id=None):
    """Hand ``message`` to the mail thread; ``what`` names it in the log if it fails."""
    mailer.submit(deliver, message, what, user_id)


def deliver(message, what, user_id):
    try:
        message.send()
    except Exception:  # SMTP, socket and TLS errors alike; the request has been answered
        logger.exception("Cannot send the %s to user %s: check EMAIL_URL.", what, user_id)
