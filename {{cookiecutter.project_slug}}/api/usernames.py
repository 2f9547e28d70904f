"""The one canonical form of a username: its account key.

Login, the per-account login limit, registration and the admin all read a
username through ``account_key``, and the database keeps each user's key
under a unique constraint. So no spelling of a name (another case, a
fullwidth form, a space or a tab around it) reaches a password check under
another account's counter, and no two accounts differ only by spelling, on
SQLite as on PostgreSQL (SQLite's ``lower()`` folds ASCII letters only).
"""

import unicodedata


def account_key(username):
    """``username`` NFKC-normalised, case-folded and stripped of surrounding whitespace.

    Case folding can undo NFKC (and NFKC can make new whitespace, from a
    no-break space), so the steps run in this order. A username that is not
    a string is a TypeError: callers check types where input is parsed.
    """
    if not isinstance(username, str):
        raise TypeError(f"a username is a string, not {type(username).__name__}")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
    return folded.strip()
