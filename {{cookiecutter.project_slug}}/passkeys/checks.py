"""Deploy checks on the passkey settings: the development defaults do not serve production.

A passkey belongs to WEBAUTHN_RP_ID: browsers refuse to use one on a page
that the ID does not cover, and the API refuses answers from an origin that
WEBAUTHN_ORIGINS does not list. Left at ``localhost`` (or listing pages the
ID does not cover), passkeys cannot work for the public site.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEVELOPMENT_RP_ID = "localhost"


def is_local(host):
    return host in ("localhost", "127.0.0.1", "::1", "[::1]") or host.endswith(".localhost")


def covers(rp_id, host):
    """Whether a passkey of ``rp_id`` may be used on a page of ``host``."""
    return host == rp_id or host.endswith(f".{rp_id}")


@register(Tags.security, deploy=True)
def check_relying_party(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    warnings = []
    public_hosts = [host for host in settings.ALLOWED_HOSTS if not is_local(host.lstrip("."))]
    if settings.WEBAUTHN_RP_ID == DEVELOPMENT_RP_ID and public_hosts:
        warnings.append(
            Warning(
                "WEBAUTHN_RP_ID is still the development default, localhost: "
                "passkeys cannot be registered or used on the public site.",
                hint="Set WEBAUTHN_RP_ID to the site's domain (example.com) and "
                "WEBAUTHN_ORIGINS to the origins of its pages (https://app.example.com).",
                id="passkeys.W001",
            )
        )
    for origin in settings.WEBAUTHN_ORIGINS:
        parts = urlsplit(origin)
        host = parts.hostname or ""
        if not covers(settings.WEBAUTHN_RP_ID, host) or (
            parts.scheme != "https" and not is_local(host)
        ):
            warnings.append(
                Warning(
                    f"WEBAUTHN_ORIGINS lists {origin!r}, where no passkey of "
                    f"{settings.WEBAUTHN_RP_ID!r} can be used.",
                    hint="List https:// origins whose host is WEBAUTHN_RP_ID or a subdomain of it.",
                    id="passkeys.W002",
                )
            )
    return warnings
