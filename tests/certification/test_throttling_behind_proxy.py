"""Behind the documented reverse proxy, the public certificate limits count each client on its own:
one client over the limit locks nobody else out, and a client cannot escape by sending its own
X-Forwarded-For values (foundation.client_address)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


def view_page(client: Client, forwarded: str):
    return client.get("/en/v/00000000-0000-4000-8000-000000000000", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_one_client_over_the_limit_does_not_lock_out_the_others(settings):
    settings.LEARNING_TRUSTED_PROXY_COUNT = 1
    settings.CERTIFICATION_VERIFY_RATE = "3/m"
    client = Client()
    for _ in range(3):
        assert view_page(client, "203.0.113.7").status_code == 404  # no such certificate, but counted
    assert view_page(client, "203.0.113.7").status_code == 429
    for other in ("203.0.113.8", "198.51.100.1", "2001:db8::5"):
        assert view_page(client, other).status_code == 404, other
    # the proxy appends the real address on the right; a made-up value on the left changes nothing
    for spoofed in ("1.1.1.1", "8.8.8.8", "garbage"):
        assert view_page(client, f"{spoofed}, 203.0.113.7").status_code == 429


def test_without_a_configured_proxy_the_header_is_ignored(settings):
    settings.LEARNING_TRUSTED_PROXY_COUNT = 0
    settings.CERTIFICATION_VERIFY_RATE = "2/m"
    client = Client()
    for value in ("203.0.113.1", "203.0.113.2"):
        assert view_page(client, value).status_code == 404
    assert view_page(client, "203.0.113.3").status_code == 429  # all of them are the one REMOTE_ADDR
