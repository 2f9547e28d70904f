"""gunicorn's settings for `make serve`: the proxies it trusts are the project's.

NUM_PROXIES (settings.py) is the one setting that says whether a reverse
proxy stands in front. gunicorn follows it for X-Forwarded-Proto as Django
does for X-Forwarded-For: with 0, a client's ``X-Forwarded-Proto: https``
changes nothing; with a proxy, only that header, as the proxy sets it, says
the request came over https (the proxy must set it, not pass on a client's).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings

# Behind a proxy every request comes through it, from wherever it runs.
forwarded_allow_ips = "*" if settings.NUM_PROXIES else ""
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
