import pytest
from django.test import RequestFactory

from foundation.client_address import client_address


def _request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.LEARNING_TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded="203.0.113.9")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client's own first value is not believed
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_address_they_appended_counts(settings, proxies, forwarded, expected):
    settings.LEARNING_TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(forwarded=forwarded)) == expected
