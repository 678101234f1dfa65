"""Password reset over HTTP: by SMS code for a learner who signed up with a mobile number, by email
link for one who signed up with an email; the same answer for accounts that do not exist."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from lms.accounts import sms
from lms.models import OneTimeCode

from .conftest import NEW_PASSWORD, PASSWORD, last_code

pytestmark = pytest.mark.django_db

BENGALI_NUMBER = "০১৭১২৩৪৫৬৭৮"  # 01712345678 in Bengali digits
TIBETAN = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")


def join(client: Client, name: str, password: str = PASSWORD):
    return client.post(
        "/en/learning/join/", {"full_name": "Rahima Begum", "email_or_phone": name, "password": password}
    )


def sign_in(name: str, password: str, client: Client | None = None):
    return (client or Client()).post("/en/learning/sign-in/", {"email_or_phone": name, "password": password})


def ask_reset(client: Client, name: str):
    return client.post("/en/learning/password-reset/", {"email_or_phone": name})


def reset_with(client: Client, phone: str, code: str, password: str = NEW_PASSWORD):
    return client.post(
        "/en/learning/password-reset/code/",
        {"phone": phone, "code": code, "new_password1": password, "new_password2": password},
    )


def test_a_number_typed_in_bengali_digits_signs_up_and_signs_in():
    assert join(Client(), BENGALI_NUMBER).status_code == 302
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get().username == "+8801712345678"
    assert sign_in(BENGALI_NUMBER, PASSWORD).status_code == 302
    assert sign_in("01712345678", PASSWORD).status_code == 302
    assert sign_in("01712345678".translate(TIBETAN), PASSWORD).status_code == 302


def test_reset_by_sms_code_wrong_then_right_then_reused():
    join(Client(), "01712345678")
    client = Client()
    asked = ask_reset(client, BENGALI_NUMBER)
    assert asked.status_code == 302 and asked["Location"].endswith("/password-reset/code/")
    assert [message.to for message in sms.outbox] == ["+8801712345678"]
    code = last_code()
    assert code not in str(list(OneTimeCode.objects.values()))  # stored hashed only

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = reset_with(client, "01712345678", wrong)
    assert refused.status_code == 400 and "wrong, has expired or was used" in refused.content.decode()

    done = reset_with(client, "01712345678", code.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")))
    assert done.status_code == 302 and done["Location"].endswith("/learning/sign-in/")
    assert sign_in("01712345678", NEW_PASSWORD).status_code == 302
    assert sign_in("01712345678", PASSWORD).status_code == 200

    reused = reset_with(Client(), "01712345678", code, password="a third long pass phrase")
    assert reused.status_code == 400
    assert sign_in("01712345678", NEW_PASSWORD).status_code == 302


def test_an_expired_code_is_refused():
    join(Client(), "01712345678")
    client = Client()
    ask_reset(client, "01712345678")
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert reset_with(client, "01712345678", last_code()).status_code == 400
    assert sign_in("01712345678", PASSWORD).status_code == 302


def test_a_code_dies_after_five_wrong_guesses(settings):
    join(Client(), "01712345678")
    client = Client()
    ask_reset(client, "01712345678")
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.ACCOUNTS_CODE_ATTEMPTS):
        reset_with(client, "01712345678", wrong)
    assert reset_with(client, "01712345678", code).status_code == 400


def test_a_new_code_replaces_the_old_one():
    join(Client(), "01712345678")
    client = Client()
    ask_reset(client, "01712345678")
    first = last_code()
    ask_reset(client, "01712345678")
    assert len(sms.outbox) == 2
    if first != last_code():
        assert reset_with(client, "01712345678", first).status_code == 400
    assert reset_with(client, "01712345678", last_code()).status_code == 302


def _visible(response, typed: str) -> str:
    """The page without its CSRF token and without the number typed (prefilled in the code form)."""
    text = re.sub(r"<input[^>]*csrfmiddlewaretoken[^>]*>", "", response.content.decode())
    return text.replace("+880" + typed[1:], "NUMBER")


def test_unknown_number_and_email_answer_exactly_as_known_ones():
    join(Client(), "01712345678")
    join(Client(), "known@example.com")
    for known, unknown in (("01712345678", "01898765432"), ("known@example.com", "nobody@example.com")):
        answers = []
        for name in (known, unknown):
            client = Client()
            asked = ask_reset(client, name)
            followed = client.get(asked["Location"])
            answers.append((asked.status_code, asked["Location"], followed.status_code, _visible(followed, name)))
        assert answers[0] == answers[1]
    assert [message.to for message in sms.outbox] == ["+8801712345678"]
    assert [message.to for message in mail.outbox] == [["known@example.com"]]


def test_reset_by_email_link_works_once():
    join(Client(), "known@example.com")
    ask_reset(Client(), "Known@Example.com")
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[0].body)[0]
    path = link.split("testserver", 1)[1]
    client = Client()
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert sign_in("known@example.com", NEW_PASSWORD).status_code == 302
    again = Client().get(path, follow=True)
    assert "not valid any more" in again.content.decode()


def test_requests_are_limited_per_number_and_per_address(settings):
    settings.ACCOUNTS_RESET_DESTINATION_RATE = "3/h"
    settings.ACCOUNTS_RESET_ADDRESS_RATE = "5/h"
    join(Client(), "01712345678")
    for _ in range(3):
        assert ask_reset(Client(REMOTE_ADDR="10.0.0.1"), "01712345678").status_code == 302
    limited = ask_reset(Client(REMOTE_ADDR="10.0.0.2"), "01712345678")
    assert limited.status_code == 429 and "Try again in 60 minutes" in limited.content.decode()
    assert int(limited["Retry-After"]) > 3000
    assert len(sms.outbox) == 3
    # per address: one client asking for many numbers
    for index in range(2):
        assert ask_reset(Client(REMOTE_ADDR="10.0.0.1"), f"0181234567{index}").status_code == 302
    assert ask_reset(Client(REMOTE_ADDR="10.0.0.1"), "01812345679").status_code == 429


def test_reset_pages_in_bengali():
    page = Client().get("/bn/learning/password-reset/")
    assert page.status_code == 200 and 'lang="bn"' in page.content.decode()


def test_erasure_removes_the_codes_sent_to_the_learner():
    client = Client()
    join(client, "01712345678")
    ask_reset(Client(), "01712345678")
    assert OneTimeCode.objects.exists()
    assert client.post("/en/learning/privacy/", {"password": PASSWORD}).status_code == 302
    assert not OneTimeCode.objects.exists()
