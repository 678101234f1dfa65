"""The HTTP gateway backend against a real HTTP server on 127.0.0.1 (a free port) standing in for
the SMS gateway: what it receives, and what happens when it fails."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from lms.accounts.sms import HttpGatewayBackend, SmsNotSent, TextMessage

from .conftest import NEW_PASSWORD, PASSWORD


class Gateway:
    def __init__(self, status: int = 202):
        self.status = status
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                gateway.received.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(gateway.status)
                self.end_headers()
                self.wfile.write(b'{"id": "1"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    with Gateway() as server:
        settings.SMS_BACKEND = "lms.accounts.sms.HttpGatewayBackend"
        settings.SMS_GATEWAY_URL = server.url
        settings.SMS_GATEWAY_TOKEN = "gateway-token-123"
        settings.SMS_SENDER_ID = "SHIKKHA"
        yield server


def test_the_gateway_receives_the_number_the_text_and_the_token(gateway):
    HttpGatewayBackend().send(TextMessage(to="+8801712345678", body="কোড 123456"))
    [received] = gateway.received
    assert received["path"] == "/v1/messages"
    assert received["authorization"] == "Bearer gateway-token-123"
    assert received["content_type"].startswith("application/json")
    assert received["body"] == {"to": "+8801712345678", "message": "কোড 123456", "sender": "SHIKKHA"}


def test_a_gateway_error_or_no_gateway_raises(gateway, settings):
    gateway.status = 503
    with pytest.raises(SmsNotSent):
        HttpGatewayBackend().send(TextMessage(to="+8801712345678", body="x"))
    with Gateway() as closed:
        url = closed.url
    settings.SMS_GATEWAY_URL = url  # nothing listens there any more
    with pytest.raises(SmsNotSent):
        HttpGatewayBackend().send(TextMessage(to="+8801712345678", body="x"))


@pytest.mark.django_db
def test_a_citizen_resets_by_a_code_sent_through_the_gateway(gateway):
    Client().post("/bn/learning/join/", {"full_name": "রহিমা", "email_or_phone": "০১৭১২৩৪৫৬৭৮", "password": PASSWORD})
    client = Client()
    client.post("/bn/learning/password-reset/", {"email_or_phone": "01712345678"})
    [received] = gateway.received
    assert received["body"]["to"] == "+8801712345678"
    code = re.search(r"(\d{6})", received["body"]["message"])[1]
    done = client.post(
        "/bn/learning/password-reset/code/",
        {"phone": "01712345678", "code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    signed_in = Client().post("/bn/learning/sign-in/", {"email_or_phone": "০১৭১২৩৪৫৬৭৮", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


@pytest.mark.django_db
def test_a_failing_gateway_answers_the_learner_as_usual(gateway):
    gateway.status = 500
    Client().post("/en/learning/join/", {"full_name": "R", "email_or_phone": "01712345678", "password": PASSWORD})
    asked = Client().post("/en/learning/password-reset/", {"email_or_phone": "01712345678"})
    assert asked.status_code == 302 and asked["Location"].endswith("/password-reset/code/")


def test_the_deploy_check_wants_a_real_gateway(settings):
    from lms.accounts.checks import sms_gateway_configured

    settings.SMS_BACKEND = "lms.accounts.sms.ConsoleBackend"
    assert [warning.id for warning in sms_gateway_configured(None)] == ["accounts.W001"]
    settings.SMS_BACKEND = "lms.accounts.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = ""
    assert [warning.id for warning in sms_gateway_configured(None)] == ["accounts.W002"]
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = "https://sms.example/v1", "t"
    assert sms_gateway_configured(None) == []
