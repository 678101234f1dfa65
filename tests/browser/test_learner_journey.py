"""A citizen's journey in a real browser on a 360 px phone, with axe-core on each page of it:
sign up with a phone number, enrol, leave, come back and continue where they stopped, in English
and in Bengali."""

import pytest

from lms.models import Enrolment

from .test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_enrol_and_continue_on_a_phone(live_server, chromium, axe_source, tree):
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    failures = {}

    def check(label: str) -> None:
        found = serious_violations(page, axe_source)
        if found:
            failures[label] = found
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, label

    page.goto(live_server.url + tree.course.url)
    check("course page, signed out")
    page.get_by_role("button", name="Enrol in this course").click()
    page.wait_for_url("**/learning/join/**")
    check("sign-up form")
    page.get_by_label("Your name").fill("Rahima Begum")
    page.get_by_label("Email or mobile number").fill("01712345678")
    page.get_by_label("Password").fill("a long pass phrase")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(live_server.url + tree.course.url)
    page.get_by_role("button", name="Enrol in this course").click()  # the second tap
    page.wait_for_url(live_server.url + tree.lessons[0].url)
    check("first lesson, enrolled")
    page.goto(live_server.url + tree.lessons[1].url)

    page.get_by_role("button", name="Sign out").click()  # leaves; comes back another day
    page.wait_for_url("**/learning/sign-in/")
    check("sign-in form")
    page.get_by_label("Email or mobile number").fill("+880 1712 345678")
    page.get_by_label("Password").fill("a long pass phrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/learning/")
    check("My learning")
    resume = page.locator(f'.enrolment a[href="{tree.lessons[1].url}"]')
    assert resume.inner_text().startswith("Continue")
    resume.click()
    page.wait_for_url(live_server.url + tree.lessons[1].url)

    page.goto(live_server.url + tree.course.url)
    assert page.get_by_role("link", name="Continue where you left off").get_attribute("href") == tree.lessons[1].url
    check("course page, enrolled")
    page.goto(live_server.url + "/bn/learning/")
    check("My learning in Bengali")
    context.close()
    assert failures == {}
    assert Enrolment.objects.get().user.username == "+8801712345678"
