"""Email addresses proved by their owners: at registration, and before any change takes effect.

A link built from EMAIL_VERIFY_URL goes to the address; following it (POST
/api/auth/email/verify/) proves it. addresses.py holds the flows, tokens.py
the single-use links, models.py what is proved of each user's address.
"""
