"""An organisation admin enrols one member from the Wagtail admin in a real browser on a 360 px
phone, with the keyboard alone, in English and in Bengali; axe-core checks the form's content."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from wagtail.users.models import UserProfile

from lms.models import Enrolment
from lms.services import make_organisation_admin
from tests.factories import UserFactory
from tests.lms.factories import member, organisation

from .test_accessibility import AXE_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def content_violations(page, axe_source: str) -> list[str]:
    """axe-core over this project's part of the admin page (the form and its messages), not Wagtail's."""
    page.evaluate(axe_source)  # not a script tag: the page's CSP refuses inline scripts
    result = page.evaluate(
        "async (tags) => await axe.run('#main', {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_enrol_a_member_at_360_px_by_keyboard(live_server, chromium, axe_source, tree):
    division = organisation("ICT Division", code="ictd")
    officer = UserFactory(username="officer")
    make_organisation_admin(user=officer, organisation=division)
    learner = member(division, username="rahima@gov.bd", email="rahima@gov.bd")
    client = Client()
    client.force_login(officer)
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="en-US")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    url = live_server.url + reverse("lms_admin:organisation_enrol_member", args=[division.pk])
    failures = {}

    def check(label: str) -> None:
        found = content_violations(page, axe_source)
        if found:
            failures[label] = found
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, label

    page.goto(url)
    check("form")
    page.focus("input[name=member]")
    page.keyboard.type("nobody@gov.bd")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "course"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "due_on"
    for _segment in range(4):  # the date's day, month and year segments, then the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "No member of ICT Division" in page.inner_text("#main")
    check("refused")

    page.fill("input[name=member]", "")
    page.focus("input[name=member]")
    page.keyboard.type("Rahima@gov.bd")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    due = timezone.localdate() + timedelta(days=30)
    page.keyboard.type(due.strftime("%m%d%Y"))  # the browser's en-US segments: month, day, year
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field submits the form
    with translation.override("en"):
        readable = formats.date_format(due)  # a date for people (ASCII digits: the admin keeps them)
    assert f"is enrolled in {tree.course.title}, due {readable}" in page.inner_text("body")
    assert Enrolment.objects.get().due_on == due
    assert Enrolment.objects.get().user == learner

    # the admin speaks the officer's language
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "bn"
    profile.save()
    page.goto(url)
    assert "একজন সদস্যকে ভর্তি করুন" in page.inner_text("body")
    check("form in Bengali")
    context.close()
    assert failures == {}
