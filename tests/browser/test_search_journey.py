"""A visitor searches on a 360 px phone, in English and in Bengali: types in the header's search
page, reads results that fit the screen, opens one; a line of punctuation gets a clear answer.
axe-core finds nothing serious on any of these pages."""

import pytest

from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, translate

from .test_accessibility import serious_violations

SLOW_MACHINE_MS = 120_000
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_on_a_phone_in_english_and_bengali(live_server, chromium, axe_source, tree):
    course = CoursePageFactory(parent=tree.catalogue, title="Staying safe online", slug="safe-online")
    module = ModulePageFactory(parent=course, title="Passwords", slug="passwords")
    lesson = LessonPageFactory(parent=module, title="Choosing a strong password", slug="strong-password")
    translate(course, "bn", title="অনলাইনে নিরাপদ থাকা")
    translate(module, "bn", title="পাসওয়ার্ড")
    translate(lesson, "bn", title="শক্তিশালী পাসওয়ার্ড বেছে নেওয়া")

    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.set_default_timeout(SLOW_MACHINE_MS)  # a loaded CI machine: wait, do not flake
    failures = {}
    for code, word, expected in (
        ("en", "password", "Choosing a strong password"),
        ("bn", "পাসওয়ার্ড", "শক্তিশালী পাসওয়ার্ড বেছে নেওয়া"),
    ):
        page.goto(f"{live_server.url}/{code}/")
        page.locator(".site-search-link").click()
        page.wait_for_url(f"{live_server.url}/{code}/search/")
        page.locator("#search-q").fill(word)
        with page.expect_navigation():
            page.locator("#search-q").press("Enter")
        assert page.locator(".search-result h2 a", has_text=expected).count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        failures[f"{code} results"] = serious_violations(page, axe_source)

        page.locator("#search-q").fill("?!… — ()")
        with page.expect_navigation():
            page.locator("#search-q").press("Enter")
        assert page.get_by_role("alert").count() == 1
        failures[f"{code} problem"] = serious_violations(page, axe_source)

        page.goto(f"{live_server.url}/{code}/search/?q={word}")
        link = page.locator(".search-result h2 a", has_text=expected)
        href = link.get_attribute("href")
        assert href.startswith(f"/{code}/")
        with page.expect_navigation():
            link.click()
        assert page.url == live_server.url + href
    context.close()
    assert {key: value for key, value in failures.items() if value} == {}
