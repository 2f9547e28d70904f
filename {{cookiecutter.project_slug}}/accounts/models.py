from django.contrib.auth import models as auth_models
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from api.usernames import account_key

TAKEN_USERNAME = "A user with that username already exists."


class UserManager(auth_models.UserManager):
    """Django's manager, matching usernames and emails as the constraints compare them."""

    def with_username(self, username):
        """Users whose username has the same account key as ``username``."""
        return self.filter(username_key=account_key(username))

    def with_email(self, email):
        """Users whose email is ``email`` in any case."""
        return self.alias(lowered=Lower("email")).filter(lowered=Lower(models.Value(email)))

    def get_by_natural_key(self, username):
        """Log in, through the API or the admin, as Alice typed alice, ALICE or " alice "."""
        return self.with_username(username).get()


class User(auth_models.AbstractUser):
    """The project's user: Django's, with one account per username and per email, in any case.

    The database enforces both, so two registrations racing for one name
    cannot both succeed.
    """

    # The username's account key (api/usernames.py), kept in step with the
    # username on every save; unique, so look-alike names cannot coexist.
    username_key = models.TextField(unique=True, editable=False)

    objects = UserManager()

    class Meta(auth_models.AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_any_case",
                violation_error_message="A user with that email already exists.",
            ),
        ]

    def save(self, *args, **kwargs):
        self.username_key = account_key(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None):
        """Refuse a username another account has in another spelling (the admin's forms ask)."""
        super().validate_unique(exclude)
        if exclude and "username" in exclude:
            return
        if type(self)._default_manager.with_username(self.username).exclude(pk=self.pk).exists():
            raise ValidationError({"username": TAKEN_USERNAME}, code="unique")
