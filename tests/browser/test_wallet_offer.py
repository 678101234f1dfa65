"""Add to a wallet on a 360 px phone with JavaScript switched off, then axe-core on the same pages."""

import re

import pytest

from tests.certification.conftest import (  # noqa: F401 - the certificate fixtures (and their autouse key setup)
    accredited_course,
    certificate_settings,
    issue,
    officer,
)

from .test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_makes_a_wallet_link_without_javascript(live_server, chromium, axe_source, settings, request):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    certificate = request.getfixturevalue("issue")(
        request.getfixturevalue("officer"), request.getfixturevalue("accredited_course")
    )
    context = chromium.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/learning/sign-in/")
    page.get_by_label("Email or mobile number").fill("officer")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/learning/")

    pages = {}
    for language, add, make_new in (("en", "Add to a wallet", "Make a new link"), ("bn", "ওয়ালেটে যোগ করুন", None)):
        page.goto(f"{live_server.url}/{language}/certificates/")
        page.get_by_role("button", name=add).click()  # a plain form: no script needed
        page.wait_for_url(f"**/{language}/certificates/{certificate.pk}/wallet")
        deep_link = page.locator('a[href^="dccrequest://request?request="]')
        assert deep_link.count() == 1
        qr = page.locator(".wallet-qr img").first
        assert qr.get_attribute("src").startswith("data:image/svg+xml")
        box = qr.bounding_box()
        assert 150 <= box["width"] <= 360 - 32 and box["width"] == box["height"]  # large enough to scan
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, language
        page.locator("details.wallet-other summary").click()  # <details> opens without script
        assert page.locator(".wallet-link").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{language}, details open"
        if make_new:
            page.get_by_role("button", name=make_new).click()
            page.wait_for_url(f"**/{language}/certificates/{certificate.pk}/wallet")
        pages[language] = page.url
    interaction = re.search(r"(/certificates/exchanges/[A-Za-z0-9_-]{43}/protocols\?iuv=1)", page.content()).group(1)
    pages["interaction"] = live_server.url + interaction
    page.goto(pages["interaction"])
    assert page.locator('a.button[href^="dccrequest://request?request="]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # axe needs script: the same session in a context that runs it
    checked = chromium.new_context(viewport={"width": 360, "height": 800}, storage_state=context.storage_state())
    failures = {}
    axe_page = checked.new_page()
    for label, url in pages.items():
        response = axe_page.goto(url)
        assert response.status == 200, label
        found = serious_violations(axe_page, axe_source)
        if found:
            failures[label] = found
    checked.close()
    context.close()
    assert failures == {}
