"""Sending a text message, through the backend named by the ``SMS_BACKEND`` setting.

Like Django's ``EMAIL_BACKEND``: the console backend (development) prints each message, the memory
backend (tests) keeps them in ``outbox``, and the HTTP gateway backend (production) posts each one
as JSON to ``SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN``::

    POST <SMS_GATEWAY_URL>
    {"to": "+8801712345678", "message": "...", "sender": "<SMS_SENDER_ID>"}

Any 2xx answer is success; anything else, or no answer within ``SMS_GATEWAY_TIMEOUT`` seconds,
raises ``SmsNotSent`` (the caller decides what the learner is told, which never says whether an
account exists)."""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils.module_loading import import_string

from lms.conf import lms_settings

logger = logging.getLogger(__name__)


class SmsNotSent(Exception):
    pass


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class ConsoleBackend:
    """Prints each message on standard output: the development server's terminal shows the code."""

    def send(self, message: TextMessage) -> None:
        sys.stdout.write(f"SMS to {message.to}: {message.body}\n")
        sys.stdout.flush()


outbox: list[TextMessage] = []


class MemoryBackend:
    """Keeps each message in ``lms.accounts.sms.outbox``, as Django's locmem email backend does."""

    def send(self, message: TextMessage) -> None:
        outbox.append(message)


class HttpGatewayBackend:
    """Posts each message to an SMS gateway over HTTP(S), authenticated by a bearer token."""

    def __init__(self) -> None:
        self.url = lms_settings.SMS_GATEWAY_URL
        self.token = lms_settings.SMS_GATEWAY_TOKEN
        self.timeout = float(lms_settings.SMS_GATEWAY_TIMEOUT)
        self.sender = lms_settings.SMS_SENDER_ID
        if not self.url.startswith(("https://", "http://")):
            raise SmsNotSent("SMS_GATEWAY_URL must be an http(s) URL")

    def send(self, message: TextMessage) -> None:
        body = json.dumps({"to": message.to, "message": message.body, "sender": self.sender}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST")  # noqa: S310 - scheme checked
        request.add_header("Content-Type", "application/json; charset=utf-8")
        request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError) as exc:
            raise SmsNotSent(f"SMS gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsNotSent(f"SMS gateway answered {status}")


def queue_sms(*, to: str, body: str) -> None:
    """Send ``body`` to ``to`` from a Celery task (in the web process when Celery runs eagerly); a
    failure is logged, never shown: the learner's answer must not depend on it."""
    from celery.exceptions import Retry

    from ..tasks import send_text_message

    try:
        send_text_message.delay(to, body)
    except (SmsNotSent, Retry):  # raised here only when Celery runs eagerly; a worker retries on its own
        logger.warning("A text message could not be sent", exc_info=True)


def send_sms(*, to: str, body: str) -> None:
    """Send ``body`` to the number ``to`` (``+880...``) through the configured backend."""
    backend = import_string(lms_settings.SMS_BACKEND)()
    backend.send(TextMessage(to=to, body=body))
