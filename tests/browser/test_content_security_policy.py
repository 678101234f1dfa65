"""The Content-Security-Policy in a real Chromium: the H5P player plays a lesson's activity and the
Wagtail admin's page editor works, with no script, style or frame refused by the policy."""

import uuid

import pytest
from django.test import Client

from courses.models import CoursePage, LessonPage
from lms.services import enrol
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(chromium, live_server, user):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport={"width": 1024, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


def watch(page) -> list[str]:
    refused = []

    def console(message) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


def test_the_h5p_player_and_the_wagtail_admin_work_under_the_policy(live_server, chromium, demo_site):
    lesson = next(
        page
        for page in LessonPage.objects.live().filter(locale__language_code="en")
        if any(block.block_type == "h5p" for block in page.body)
    )
    learner = UserFactory(username=f"csp-{uuid.uuid4().hex[:6]}")
    enrol(user=learner, course=CoursePage.objects.ancestor_of(lesson).get())
    context = signed_in(chromium, live_server, learner)
    page = context.new_page()
    refused = watch(page)
    response = page.goto(live_server.url + lesson.url)
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    page.locator("[data-h5p-start]").first.click()
    page.wait_for_selector("[data-h5p-ready=true]", timeout=30_000)
    frame = page.locator("[data-h5p-player] iframe").element_handle().content_frame()
    frame.locator(".h5p-content").first.wait_for(timeout=20_000)
    assert frame.locator("input, button").count() > 0
    assert refused == [], refused
    context.close()

    admin = UserFactory(username=f"admin-{uuid.uuid4().hex[:6]}", is_staff=True, is_superuser=True)
    context = signed_in(chromium, live_server, admin)
    page = context.new_page()
    refused = watch(page)
    response = page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    assert response.status == 200 and "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("[data-side-panel-toggle], .w-tabs", timeout=30_000)
    page.wait_for_timeout(1000)
    assert refused == [], refused
    context.close()
