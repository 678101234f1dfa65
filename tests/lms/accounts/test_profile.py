"""The profile page over HTTP: name and language, a new email by link, a new number by code (typed in
Bengali digits), the password; a number or email another account holds is refused."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from lms.accounts import sms
from lms.models import LearnerProfile

from .conftest import NEW_PASSWORD, PASSWORD, last_code

pytestmark = pytest.mark.django_db


def joined(name: str) -> Client:
    client = Client()
    client.post("/en/learning/join/", {"full_name": "Rahima Begum", "email_or_phone": name, "password": PASSWORD})
    return client


def test_profile_needs_sign_in_and_shows_the_account():
    assert Client().get("/en/learning/profile/").status_code == 302
    client = joined("01712345678")
    page = client.get("/en/learning/profile/")
    assert page.status_code == 200 and "+8801712345678" in page.content.decode()
    assert client.get("/bn/learning/profile/").status_code == 200


def test_name_and_preferred_language():
    client = joined("01712345678")
    saved = client.post("/en/learning/profile/", {"full_name": "Rahima Khatun", "preferred_language": "bn"})
    assert saved.status_code == 302 and saved["Location"] == "/bn/learning/profile/"
    user = get_user_model().objects.get()
    assert (user.first_name, user.last_name, user.learner_profile.preferred_language) == ("Rahima", "Khatun", "bn")
    signed_in = Client().post("/en/learning/sign-in/", {"email_or_phone": "01712345678", "password": PASSWORD})
    assert signed_in["Location"] == "/bn/learning/"


def test_a_new_number_is_confirmed_by_a_code_and_becomes_the_sign_in_name():
    client = joined("01712345678")
    asked = client.post("/en/learning/profile/phone/", {"phone": "০১৮১২৩৪৫৬৭৮"})
    assert asked.status_code == 302 and asked["Location"].endswith("/profile/phone/confirm/")
    assert sms.outbox[-1].to == "+8801812345678"
    assert client.post("/en/learning/profile/phone/confirm/", {"code": "000000"}).status_code in (200, 400)
    confirmed = client.post("/en/learning/profile/phone/confirm/", {"code": last_code()})
    assert confirmed.status_code == 302
    assert LearnerProfile.objects.get().phone == "+8801812345678"
    signed_in = Client().post("/en/learning/sign-in/", {"email_or_phone": "01812345678", "password": PASSWORD})
    assert signed_in.status_code == 302


def test_a_number_or_email_another_account_holds_is_refused():
    joined("01812345678")
    joined("taken@example.com")
    client = joined("01712345678")
    refused = client.post("/en/learning/profile/phone/", {"phone": "01812345678"})
    assert refused.status_code == 400 and "Another account uses this mobile number." in refused.content.decode()
    assert sms.outbox == []
    refused = client.post("/en/learning/profile/email/", {"email": "Taken@example.com"})
    assert refused.status_code == 400 and "Another account uses this email address." in refused.content.decode()
    assert mail.outbox == []


def test_a_new_email_is_confirmed_by_a_link_once():
    client = joined("old@example.com")
    assert client.post("/en/learning/profile/email/", {"email": "New@Example.com"}).status_code == 302
    [message] = mail.outbox
    assert message.to == ["new@example.com"]
    path = re.search(r"testserver(/\S+/profile/email/\S+/)", message.body)[1]
    assert client.get(path).status_code == 200  # a page with a button: a mail scanner's GET changes nothing
    assert get_user_model().objects.get().email == "old@example.com"
    client.post(path)
    user = get_user_model().objects.get()
    assert (user.email, user.username) == ("new@example.com", "new@example.com")
    page = client.post(path, follow=True).content.decode()
    assert "not valid any more" in page


def test_the_email_link_does_not_take_an_address_taken_meanwhile():
    client = joined("old@example.com")
    client.post("/en/learning/profile/email/", {"email": "new@example.com"})
    path = re.search(r"testserver(/\S+/profile/email/\S+/)", mail.outbox[0].body)[1]
    joined("new@example.com")
    page = client.post(path, follow=True).content.decode()
    assert "Another account uses this email address." in page
    assert get_user_model().objects.get(username="old@example.com").email == "old@example.com"


def test_password_change():
    client = joined("01712345678")
    wrong = client.post(
        "/en/learning/profile/password/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 400
    done = client.post(
        "/en/learning/profile/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert client.get("/en/learning/profile/").status_code == 200  # still signed in


def test_a_number_added_to_an_email_account_signs_in_too():
    client = joined("rahima@example.com")
    client.post("/en/learning/profile/phone/", {"phone": "01712345678"})
    client.post("/en/learning/profile/phone/confirm/", {"code": last_code()})
    assert get_user_model().objects.get().username == "rahima@example.com"
    signed_in = Client().post("/en/learning/sign-in/", {"email_or_phone": "০১৭১২৩৪৫৬৭৮", "password": PASSWORD})
    assert signed_in.status_code == 302
    token = Client().post("/api/v1/auth/token/", {"username": "01712345678", "password": PASSWORD})
    assert token.status_code == 200 and token.json()["token"]
