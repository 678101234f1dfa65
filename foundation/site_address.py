"""The site's own address: the one place absolute URLs start from.

Certificates (their QR code, the issuer's DID, status lists), wallet offers, xAPI activity IRIs,
learner emails and Wagtail's own workflow emails all need an absolute URL, and they must agree:
a QR code that opens another port, or a DID for another host, is a broken certificate. So there is
one setting, ``WAGTAILADMIN_BASE_URL`` (Wagtail reads it for its admin emails), filled from the
``LEARNING_SITE_URL`` environment variable; ``make serve`` derives it from ``HOST`` and production
settings refuse to start without it. Wagtail's page URLs (``page.full_url`` in workflow emails)
come from the default ``Site`` record instead, so :func:`align_default_site` makes that record
follow the setting.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """The site's origin without a trailing slash, e.g. ``https://learning.example.gov.bd``."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def site_host_and_port() -> tuple[str, int]:
    """The host name and port the setting names (the scheme's default port when none is given)."""
    parts = urlsplit(site_url())
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def address_problem(value: str | None) -> str | None:
    """Why ``value`` cannot be the site's address, or None when it can."""
    if not value:
        return "it is not set"
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return f"{value!r} is not an absolute http(s) URL"
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        return f"{value!r} has a path, query or fragment; give the origin only"
    return None


def align_default_site() -> bool:
    """Point the default Wagtail ``Site`` at the configured address; True when it changed."""
    from wagtail.models import Site

    hostname, port = site_host_and_port()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    if Site.objects.exclude(pk=site.pk).filter(hostname=hostname, port=port).exists():
        return False  # another site already answers there; leave the operator's records alone
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True
