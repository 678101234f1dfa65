"""Guessing passwords, from outside: every way to sign in locks after a few failures per account and
per client address, says how long to wait in the reader's language, and lets the reset in."""

import base64
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from api.views.auth import TokenView
from tests.api.conftest import people  # noqa: F401  (the organisation fixture)
from tests.factories import UserFactory

from .conftest import NEW_PASSWORD, PASSWORD, last_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    user = UserFactory(username="+8801712345678", email="")
    user.set_password(PASSWORD)
    user.save()
    from lms.models import LearnerProfile

    LearnerProfile.objects.create(user=user, phone="+8801712345678")
    return user


def site_sign_in(name, password, address="10.0.0.1", language="en"):
    return Client(REMOTE_ADDR=address).post(
        f"/{language}/learning/sign-in/", {"email_or_phone": name, "password": password}
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(learner):
    for _ in range(4):
        assert site_sign_in("01712345678", "wrong guess").status_code == 200
    assert site_sign_in("01712345678", "wrong guess").status_code == 429  # the fifth says so at once
    locked = site_sign_in("01712345678", PASSWORD, address="10.9.9.9")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many attempts to sign in. Try again in 15 minutes, or reset your password." in page
    assert "/en/learning/password-reset/" in page
    # every spelling of the number is the same account
    assert site_sign_in("০১৭১২৩৪৫৬৭৮", PASSWORD, address="10.9.9.8").status_code == 429


def test_the_reset_is_the_way_back_in(learner):
    for _ in range(6):
        site_sign_in("01712345678", "wrong guess")
    client = Client(REMOTE_ADDR="10.0.0.2")
    client.post("/en/learning/password-reset/", {"email_or_phone": "01712345678"})
    client.post(
        "/en/learning/password-reset/code/",
        {"phone": "01712345678", "code": last_code(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert site_sign_in("01712345678", NEW_PASSWORD, address="10.0.0.3").status_code == 302


def test_one_address_guessing_many_accounts_is_locked_out(settings):
    settings.ACCOUNTS_SIGN_IN_ADDRESS_RATE = "10/15m"
    for index in range(10):
        site_sign_in(f"guess{index}@example.com", "wrong", address="10.0.0.7")
    user = UserFactory(username="someone@example.com")
    user.set_password(PASSWORD)
    user.save()
    assert site_sign_in("someone@example.com", PASSWORD, address="10.0.0.7").status_code == 429
    assert site_sign_in("someone@example.com", PASSWORD, address="10.0.0.8").status_code == 302


def test_behind_one_proxy_the_forwarded_address_counts_and_cannot_be_rotated(settings):
    settings.LEARNING_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNTS_SIGN_IN_ADDRESS_RATE = "5/15m"
    for index in range(5):
        Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{index}, 203.0.113.5").post(
            "/en/learning/sign-in/", {"email_or_phone": f"g{index}@example.com", "password": "x"}
        )
    rotated = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.5").post(
        "/en/learning/sign-in/", {"email_or_phone": "other@example.com", "password": "x"}
    )
    assert rotated.status_code == 429
    other_client = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.6").post(
        "/en/learning/sign-in/", {"email_or_phone": "other@example.com", "password": "x"}
    )
    assert other_client.status_code == 200


def test_the_lockout_message_in_bengali(learner):
    for _ in range(5):
        site_sign_in("01712345678", "wrong guess", language="bn")
    locked = site_sign_in("01712345678", PASSWORD, language="bn")
    assert locked.status_code == 429 and 'lang="bn"' in locked.content.decode()


def test_the_wagtail_admin_sign_in_locks_too():
    admin = UserFactory(username="chief", is_superuser=True, is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()
    for _ in range(5):
        Client(REMOTE_ADDR="10.1.0.1").post("/admin/login/", {"username": "chief", "password": "wrong"})
    refused = Client(REMOTE_ADDR="10.1.0.2").post("/admin/login/", {"username": "chief", "password": PASSWORD})
    assert refused.status_code == 200 and "Too many attempts to sign in" in refused.content.decode()
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_the_api_token_endpoint_is_throttled_and_locks(learner):
    assert TokenView.throttle_classes  # DRF's ObtainAuthToken has none
    client = APIClient(REMOTE_ADDR="10.2.0.1")
    for _ in range(4):
        assert client.post("/api/v1/auth/token/", {"username": "+8801712345678", "password": "no"}).status_code == 400
    assert client.post("/api/v1/auth/token/", {"username": "+8801712345678", "password": "no"}).status_code == 429
    locked = client.post("/api/v1/auth/token/", {"username": "+8801712345678", "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["code"] == "throttled" and "Try again in 15 minutes" in locked.json()["message"]
    assert int(locked["Retry-After"]) > 800


def test_the_api_token_throttle_per_address(monkeypatch):
    from api.throttling import AddressScopedRateThrottle

    monkeypatch.setattr(AddressScopedRateThrottle, "THROTTLE_RATES", {"sign_in": "3/minute"})
    statuses = [
        APIClient(REMOTE_ADDR="10.3.0.1", HTTP_X_FORWARDED_FOR=f"10.4.0.{i}")
        .post("/api/v1/auth/token/", {"username": f"u{i}@example.com", "password": "x"})
        .status_code
        for i in range(4)
    ]
    assert statuses == [400, 400, 400, 429]  # a new X-Forwarded-For each time does not get round it


def _oauth_client(people) -> tuple[str, str]:  # noqa: F811
    out = io.StringIO()
    call_command("create_organisation_client", people.unit.code, "HR", scopes="read", stdout=out, stderr=io.StringIO())
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    return values["client_id"], values["client_secret"]


def test_the_oauth_token_endpoint_locks_a_guessed_client(people):  # noqa: F811
    client_id, secret = _oauth_client(people)
    api = APIClient(REMOTE_ADDR="10.5.0.1")
    for _ in range(5):
        wrong = api.post(
            "/api/v1/oauth/token/", {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "x"}
        )
        assert wrong.status_code == 401
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    locked = APIClient(REMOTE_ADDR="10.5.0.2").post(
        "/api/v1/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert locked.status_code == 429 and "Try again in" in locked.json()["error_description"]


def test_the_admin_password_reset_mails_staff_only_and_is_limited(settings):
    settings.ACCOUNTS_RESET_ADDRESS_RATE = "3/h"
    UserFactory(username="learner@example.com", email="learner@example.com")
    editor = UserFactory(username="editor", email="editor@example.com")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert get_user_model().objects.count() == 2
    Client(REMOTE_ADDR="10.6.0.1").post("/admin/password_reset/", {"email": "learner@example.com"})
    assert mail.outbox == []
    Client(REMOTE_ADDR="10.6.0.1").post("/admin/password_reset/", {"email": "editor@example.com"})
    assert [message.to for message in mail.outbox] == [["editor@example.com"]]
    for _ in range(3):
        answer = Client(REMOTE_ADDR="10.6.0.1").post("/admin/password_reset/", {"email": "editor@example.com"})
        assert answer.status_code == 302
    assert len(mail.outbox) == 2  # the third and fourth from this address sent nothing
