{%- set mandatory = cookiecutter.email_verification == "mandatory" -%}
"""The flows that prove an address: registration, a change, a followed link, a new link.

No answer tells whether an address belongs to an account. Where it does, the
API answers as if it were free, and the owner is told by mail instead
(accounts/notices.py). Every mail sent to an address that is not yet proved
counts against that address's limit{% if cookiecutter.throttling %} (``may_mail``){% endif %}, so nobody can make the
API flood a stranger's inbox.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
{%- if mandatory %}
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
{%- endif %}

from accounts import notices
from accounts.emails import send_in_background
{%- if cookiecutter.throttling %}
from api.throttles import EmailAddressThrottle
{%- endif %}
from security_events import events
from security_events.recorder import record

from .models import EmailVerification
from .tokens import Claim, token_generator, verification_link

User = get_user_model()
{%- if mandatory %}


class EmailNotVerified(exceptions.PermissionDenied):
    default_detail = _(
        "Confirm your email address first: follow the link sent to it, "
        "or ask for a new one at /api/auth/email/verify/resend/."
    )
    default_code = "email_not_verified"


def require_verified_email(user):
    """Refuse to sign ``user`` in (403 ``email_not_verified``) until their address is proved.

    Login calls this once the password is right, so a wrong password gets
    the usual answer and the code tells nothing to someone without it.
    """
    if not state_of(user).verified:
        raise EmailNotVerified()
{%- endif %}


def state_of(user):
    """``user``'s EmailVerification; without a row, verified and nothing pending."""
    try:
        return user.email_verification
    except EmailVerification.DoesNotExist:
        return EmailVerification(user=user)


def owner_of(address, *, besides=None):
    """The account whose address is ``address`` in any case (other than ``besides``), or None."""
    owners = User.objects.with_email(address)
    if besides is not None:
        owners = owners.exclude(pk=besides.pk)
    return owners.first()


def may_mail(address):
    """Whether one more mail may go to ``address``, which has not proved it wants them."""
{%- if cookiecutter.throttling %}
    return EmailAddressThrottle().allow_address(address)
{%- else %}
    return True  # this project has no rate limits
{%- endif %}


def send_link(claim):
    """Email the link that proves ``claim.address``, in the background."""
    message = EmailMessage(
        subject="Confirm your email address",
        body=(
            f"Someone gave this address to the account {claim.user.get_username()}.\n\n"
            "To confirm that it is yours, open this link within "
            f"{settings.EMAIL_VERIFY_TIMEOUT_HOURS} hours:\n\n"
            f"{verification_link(claim)}\n\n"
            "The link works once. If you did not ask for it, ignore this email: "
            "nothing changes.\n"
        ),
        to=[claim.address],
    )
    send_in_background(message, "verification email", claim.user.pk)


def registered(user):
    """A new account: its address is unproved until the link sent to it is followed."""
    state = EmailVerification.objects.create(user=user, verified=False)
    if may_mail(user.email):
        send_link(Claim(user, state, user.email))


def registration_refused(request, username, email, password):
    """``email`` has an account: tell its owner, and look to the caller as a registration would.

    The password is hashed as a registration hashes it, so the answer takes
    as long; the account returned is never saved.
    """
    make_password(password)
    owner = owner_of(email)
    if owner is not None and may_mail(email):
        notices.address_in_use(request, owner, "register a new account")
    return User(username=username, email=email)


def request_change(request, user, new_email):
    """Keep ``new_email`` pending and send it the link; tell the address the account has now.

    A taken address is kept pending as well, so the account's own answers
    look the same; its owner is told instead of sent a link, and the change
    can never complete.
    """
    state = state_of(user)
    state.pending_email = new_email
    state.save()
    owner = owner_of(new_email, besides=user)
    if may_mail(new_email):
        if owner is None:
            send_link(Claim(user, state, new_email))
        else:
            notices.address_in_use(request, owner, "change the address of another account")
    if may_mail(user.email):
        notices.email_change_requested(request, user, new_email)


def cancel_change(user):
    """Forget the address pending a change: its link stops working."""
    EmailVerification.objects.filter(user=user).exclude(pending_email="").update(pending_email="")


def claim_of(user, token):
    """What ``token`` proves for ``user``, whose state stays locked; None if nothing.

    A link proves the address pending a change, or the account's own address
    while it is unproved.
    """
    state = EmailVerification.objects.select_for_update().filter(user=user).first()
    if state is None:
        return None
    addresses = [state.pending_email] if state.pending_email else []
    if not state.verified and user.email:
        addresses.append(user.email)
    claims = (Claim(user, state, address) for address in addresses)
    return next((claim for claim in claims if token_generator.check_token(claim, token)), None)


def prove(request, claim):
    """Record that ``claim.address`` is proved; False if another account took it meanwhile.

    A pending address becomes the account's, and the former one is told.
    """
    user, state = claim.user, claim.state
    old_email = user.email
    changing = claim.address == state.pending_email
    if changing and not take_address(user, claim.address):
        return False
    state.verified = True
    state.pending_email = ""
    state.save()
    if changing:
        record(events.EMAIL_CHANGE, request, user=user)
        notices.email_changed(request, user, old_email)
    return True


def take_address(user, address):
    """Make ``address`` the account's, unless another account has it."""
    old_email, user.email = user.email, address
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        user.email = old_email
        return False
    return True


def resend(address):
    """Send a new link to ``address`` if an active account waits for it to be proved.

    The view has counted the address against its limit already.
    """
    unproved = User.objects.with_email(address).filter(
        is_active=True, email_verification__verified=False
    )
    for user in unproved:
        send_link(Claim(user, user.email_verification, user.email))
    if owner_of(address) is not None:
        return  # a pending change to a taken address never completes
    pending = EmailVerification.objects.select_related("user").filter(
        pending_email__iexact=address, user__is_active=True
    )
    for state in pending:
        send_link(Claim(state.user, state, state.pending_email))
