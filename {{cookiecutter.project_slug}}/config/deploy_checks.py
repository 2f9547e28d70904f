"""Deploy checks: production keeps none of development's addresses.

The defaults point at a developer's machine (the links in emails at
http://localhost:3000), which is right for `make run` and wrong anywhere
else: the emails would carry links nobody can open, and a plain-http origin
would let a page that anyone on the network can change call the API.
``check --deploy`` (run by `make serve`) warns until each is set.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Settings holding a link that the project sends to people, by email.
{%- if cookiecutter.email_verification != "none" %}
LINK_SETTINGS = ("PASSWORD_RESET_URL", "EMAIL_VERIFY_URL")
{%- else %}
LINK_SETTINGS = ("PASSWORD_RESET_URL",)
{%- endif %}
# Settings holding origins of browser apps.
ORIGIN_SETTINGS = ("CORS_ALLOWED_ORIGINS", "CSRF_TRUSTED_ORIGINS")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def is_development_address(url):
    parts = urlsplit(url)
    return parts.scheme != "https" or parts.hostname in LOOPBACK_HOSTS


@register(Tags.security, deploy=True)
def check_links(app_configs, **kwargs):
    """A link in an email must reach the user's browser, over https."""
    return [
        Warning(
            f"{name} is {value!r}: the links sent by email would lead to this machine "
            "or go over plain http.",
            hint=f"Set {name} to the https:// page of your app that handles them.",
            id="links.W001",
        )
        for name in LINK_SETTINGS
        if (value := getattr(settings, name, None)) and is_development_address(value)
    ]


@register(Tags.security, deploy=True)
def check_origins(app_configs, **kwargs):
    """An origin trusted with the API's answers (and cookies) must be https."""
    return [
        Warning(
            f"{name} lists {origin!r}: a page served over plain http can be changed "
            "on its way to the browser, and would be trusted to call the API.",
            hint=f"List only https:// origins in {name} (DJANGO_{name}).",
            id="origins.W001",
        )
        for name in ORIGIN_SETTINGS
        for origin in getattr(settings, name, ())
        if urlsplit(origin).scheme != "https"
    ]
