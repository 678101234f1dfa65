"""Who is asking: the client's address as every throttle and lockout sees it.

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy's own address, and ``X-Forwarded-For`` is
whatever the client chose to send with the proxies' additions appended on the right. Only the
addresses the site's own proxies appended can be believed, so the site is told how many proxies
stand in front of it (``LEARNING_TRUSTED_PROXY_COUNT``, default 0: no proxy, ``REMOTE_ADDR`` is the
client) and takes the address that many hops from the right. A header shorter than that (a request
that reached the site without passing every proxy) falls back to its leftmost address, and a value
that is not an IP address falls back to ``REMOTE_ADDR``, so a client cannot pick its own identity by
sending a new header value with each request.
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

from .conf import foundation_settings

UNKNOWN = "unknown"


def trusted_proxy_count() -> int:
    return max(0, int(foundation_settings.LEARNING_TRUSTED_PROXY_COUNT))


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request``, as far as the site's own proxies vouch."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    proxies = trusted_proxy_count()
    if not proxies:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    chosen = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid(chosen) or remote
