"""A fixed-window rate limit per client address for the public certificate endpoints.

Verification canonicalises JSON-LD and checks signatures, which costs milliseconds of CPU per call;
without a limit one client could keep the web processes busy. The wallet exchange endpoints are
limited too (by their own rate), so that nobody can try exchange ids in bulk. The counter lives in
the cache (Redis in production, so it is shared by all web processes). Clients are told apart by
``foundation.client_address`` (behind ``LEARNING_TRUSTED_PROXY_COUNT`` proxies, not the proxy's own).
"""

import time

from django.core.cache import cache
from django.http import HttpRequest

from foundation.client_address import client_address

from .conf import certification_settings

_UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, unit = rate.partition("/")
    return int(count), _UNITS[unit[:1]]


def over_limit(request: HttpRequest, *, scope: str, rate: str | None = None) -> bool:
    """Count this request; True once the client has made more than the allowed number in the window.

    ``rate`` is "N/s", "N/m" or "N/h"; the verification rate unless given.
    """
    limit, window = parse_rate(rate or certification_settings.CERTIFICATION_VERIFY_RATE)
    key = f"certification:rate:{scope}:{client_address(request)}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count > limit
