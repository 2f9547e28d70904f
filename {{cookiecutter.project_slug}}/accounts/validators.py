"""A password validator for the words an attacker tries first against this project.

ASVS 5.0 (6.1.2, 6.2.11): a password must not contain context-specific
words. Here those are the project's name and slug, the user's username and
the local part of their email, and ``COMMON_WORDS``. Each counts once it
has ``MIN_WORD_LENGTH`` characters, compared in any case and NFKC form, so
"Acme-API-2026-rocks" is refused for a project named "Acme API".
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The words of the project's name and slug, as it was made.
PROJECT_WORDS = (
{%- for word in ((cookiecutter.project_name ~ ' ' ~ cookiecutter.project_slug) | slugify(separator=' ')).split() | unique %}
    "{{ word }}",
{%- endfor %}
)
# Words every guessing list starts with; documented in README.md.
COMMON_WORDS = ("password", "passwort", "admin", "letmein", "qwerty", "welcome", "changeme")
MIN_WORD_LENGTH = 4


def folded(text):
    return unicodedata.normalize("NFKC", text).casefold()


class ContextWordsValidator:
    """Refuse a password that contains a word of this project, of its user, or a common one."""

    def __init__(self, words=()):
        self.words = {*PROJECT_WORDS, *COMMON_WORDS, *words}

    def context_words(self, user):
        words = set(self.words)
        if user is not None:
            username = user.get_username() or ""
            email = getattr(user, "email", "") or ""
            words.add(username)
            words.add(email.partition("@")[0])
            words.update(re.split(r"[\W_]+", username))
        return {folded(word) for word in words if len(word) >= MIN_WORD_LENGTH}

    def validate(self, password, user=None):
        found = sorted(word for word in self.context_words(user) if word in folded(password))
        if found:
            raise ValidationError(
                _("This password contains a word that is easy to guess here: %(word)s."),
                code="password_has_context_word",
                params={"word": found[0]},
            )

    def get_help_text(self):
        return _(
            "Your password can't contain the name of this site, your username, "
            "your email name or a common word such as password."
        )
