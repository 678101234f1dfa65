"""Throttles of the API that know the client's address as every other limit of the site does
(``foundation.client_address``: only the site's own proxies are believed)."""

from rest_framework.throttling import ScopedRateThrottle

from foundation.client_address import client_address


class AddressScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, keyed on the client's address even for a signed-in caller."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
