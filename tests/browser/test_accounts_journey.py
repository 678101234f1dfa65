"""Accounts in a real browser at 360 px, in English and in Bengali, with axe on every page: a citizen
who signed up with a mobile number resets a forgotten password by SMS code (typed in Bengali digits)
and signs in; a learner changes their name, mobile number and password on the profile page."""

import re

import pytest

from lms.accounts import sms
from lms.services import sign_up

from .test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long pass phrase"
BENGALI = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


@pytest.fixture(autouse=True)
def _texts_in_process(monkeypatch):
    """Texts go out in this process even when a broker is configured (the memory backend's outbox)."""
    from lms.tasks import send_text_message

    monkeypatch.setitem(send_text_message.app.conf, "task_always_eager", True)


def checked(page, axe_source) -> None:
    assert serious_violations(page, axe_source) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def last_code() -> str:
    return re.search(r"(\d{6})", sms.outbox[-1].body)[1]


@pytest.mark.parametrize("language", ["en", "bn"])
def test_a_citizen_resets_a_forgotten_password_by_code_and_signs_in(
    live_server, chromium, axe_source, page_tree_root, language
):
    sms.outbox.clear()
    sign_up(full_name="রহিমা বেগম", sign_in_name="+8801712345678", password=PASSWORD)
    new_password = f"a new pass phrase {language}"
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/{language}/learning/sign-in/")
    checked(page, axe_source)
    page.locator(f"a[href='/{language}/learning/password-reset/']").first.click()
    page.wait_for_url(f"**/{language}/learning/password-reset/")
    checked(page, axe_source)
    page.fill("input[name=email_or_phone]", "01712345678".translate(BENGALI))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/{language}/learning/password-reset/code/")
    checked(page, axe_source)
    assert page.input_value("input[name=phone]") == "+8801712345678"
    page.fill("input[name=code]", "000000" if last_code() != "000000" else "111111")
    page.fill("input[name=new_password1]", new_password)
    page.fill("input[name=new_password2]", new_password)
    page.locator("main button[type=submit]").click()
    assert page.locator("[aria-invalid=true]").count() >= 1  # a wrong code is refused, said at the field
    checked(page, axe_source)
    page.fill("input[name=code]", last_code().translate(BENGALI))
    page.fill("input[name=new_password1]", new_password)
    page.fill("input[name=new_password2]", new_password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/{language}/learning/sign-in/")
    checked(page, axe_source)
    page.fill("input[name=email_or_phone]", "01712345678".translate(BENGALI))
    page.fill("input[name=password]", new_password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/{language}/learning/")
    assert page.locator("header").get_by_role("button").count() == 1  # sign out, in the header
    context.close()


@pytest.mark.parametrize("language", ["en", "bn"])
def test_a_learner_changes_name_number_and_password_on_the_profile_page(
    live_server, chromium, axe_source, page_tree_root, language
):
    sms.outbox.clear()
    sign_up(full_name="Rahima Begum", sign_in_name="+8801712345678", password=PASSWORD)
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/{language}/learning/sign-in/")
    page.fill("input[name=email_or_phone]", "01712345678")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/{language}/learning/")
    page.goto(f"{live_server.url}/{language}/learning/profile/")
    checked(page, axe_source)

    page.fill("input[name=full_name]", "Rahima Khatun")
    page.select_option("select[name=preferred_language]", language)
    page.locator("form[action$='/learning/profile/'] button").click()
    page.wait_for_url(f"**/{language}/learning/profile/")
    assert page.input_value("input[name=full_name]") == "Rahima Khatun"

    page.fill("input[name=phone]", "01812345678".translate(BENGALI))
    page.locator("form[action$='/profile/phone/'] button").click()
    page.wait_for_url(f"**/{language}/learning/profile/phone/confirm/")
    checked(page, axe_source)
    page.fill("input[name=code]", last_code())
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/{language}/learning/profile/")
    assert "+8801812345678" in page.locator("main").inner_text()

    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "a changed pass phrase")
    page.fill("input[name=new_password2]", "a changed pass phrase")
    page.locator("form[action$='/profile/password/'] button").click()
    page.wait_for_url(f"**/{language}/learning/profile/")
    checked(page, axe_source)
    context.close()

    fresh = chromium.new_context(viewport={"width": 360, "height": 800})
    page = fresh.new_page()
    page.goto(f"{live_server.url}/{language}/learning/sign-in/")
    page.fill("input[name=email_or_phone]", "01812345678")
    page.fill("input[name=password]", "a changed pass phrase")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/{language}/learning/")
    fresh.close()
