from django.contrib.auth import models as auth_models
from django.db import models
from django.db.models.functions import Lower


class UserManager(auth_models.UserManager):
    """Django's manager, matching usernames and emails as the constraints compare them."""

    def with_username(self, username):
        """Users whose username is ``username`` once both are NFKC-normalised and lower-cased."""
        name = self.model.normalize_username(username)
        return self.alias(lowered=Lower("username")).filter(lowered=Lower(models.Value(name)))

    def with_email(self, email):
        """Users whose email is ``email`` in any case."""
        return self.alias(lowered=Lower("email")).filter(lowered=Lower(models.Value(email)))

    def get_by_natural_key(self, username):
        """Log in, through the API or the admin, as Alice typed alice, ALICE or fullwidth."""
        return self.with_username(username).get()


class User(auth_models.AbstractUser):
    """The project's user: Django's, with one account per username and per email, in any case.

    The database enforces both, so two registrations racing for one name
    cannot both succeed.
    """

    objects = UserManager()

    class Meta(auth_models.AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_any_case",
                violation_error_message="A user with that username already exists.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_any_case",
                violation_error_message="A user with that email already exists.",
            ),
        ]
