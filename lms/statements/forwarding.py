"""Forwarding stored statements to an external Learning Record Store."""

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.core.exceptions import ImproperlyConfigured

from ..conf import lms_settings
from ..models import (
    Statement,
)

# --- forwarding to an external LRS -------------------------------------------------------------

logger = logging.getLogger(__name__)


class ForwardingFailed(Exception):
    """The external LRS did not take the statement but may later (network error, 429, 5xx): retry."""


def forward_statement(*, statement_id: uuid.UUID) -> int | None:
    """Send one stored statement to the LRS configured by ``XAPI_FORWARD_URL`` (basic auth with
    ``XAPI_FORWARD_USERNAME``/``_PASSWORD``), by PUT with its id so a retry can never duplicate it.

    Returns the LRS's status (None when forwarding is off or the statement is gone); a refusal that a
    retry would not change (4xx) is logged and dropped; anything else raises ForwardingFailed.
    """
    endpoint = lms_settings.XAPI_FORWARD_URL
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured("XAPI_FORWARD_URL must be an http:// or https:// URL.")
    row = Statement.objects.filter(statement_id=statement_id).only("payload").first()
    if not endpoint or row is None:
        return None
    url = f"{endpoint.rstrip('/')}/statements?{urllib.parse.urlencode({'statementId': str(statement_id)})}"
    request = urllib.request.Request(url, data=json.dumps(row.payload).encode("utf-8"), method="PUT")  # noqa: S310
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", "1.0.3")
    username = lms_settings.XAPI_FORWARD_USERNAME
    if username:
        secret = f"{username}:{lms_settings.XAPI_FORWARD_PASSWORD}".encode()
        request.add_header("Authorization", f"Basic {base64.b64encode(secret).decode('ascii')}")
    try:
        timeout = lms_settings.XAPI_FORWARD_TIMEOUT
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked above
            return response.status
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise ForwardingFailed(f"The LRS answered {exc.code}.") from exc
        logger.error("The LRS refused statement %s with %s; not retrying.", statement_id, exc.code)
        return exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ForwardingFailed(f"The LRS could not be reached: {exc}") from exc
