"""The H5P player in a real Chromium: every real package renders in a lesson, from the site alone, and
answering scored activities stores statements and a scored result on the learner's progress."""

import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client

from courses.h5p.services import import_package
from lms.models import ActivityResult, Enrolment, Statement
from tests.factories import LessonPageFactory, UserFactory
from tests.h5p_packages import REAL, SKIP_REASON, real_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# What the content itself names off the site: a video by external URL, a Twitter feed slide. Offline
# they fail to load; the rest of the activity plays.
EXTERNAL_SOURCES = {
    "H5P.CoursePresentation.h5p": ("h5p.org/", "platform.twitter.com/", "youtube.com/", "ytimg.com/"),
    "H5P.InteractiveVideo.h5p": ("h5p.org/", "youtube.com/", "ytimg.com/"),
}


def h5p_block(activity) -> dict:
    return {"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}


def lesson_with(tree, *activities):
    return LessonPageFactory(parent=tree.module, body=[h5p_block(activity) for activity in activities])


def start(page, section_index: int = 0):
    section = page.locator("[data-h5p-activity]").nth(section_index)
    section.get_by_role("button", name="Start activity").click()
    page.wait_for_selector(f"[data-h5p-activity] >> nth={section_index}", state="attached")
    section.locator("[data-h5p-ready=true]").or_(section).first.wait_for()
    page.wait_for_function(
        "(i) => document.querySelectorAll('[data-h5p-activity]')[i].getAttribute('data-h5p-ready') === 'true'",
        arg=section_index,
        timeout=20_000,
    )
    return section


def frame_of(page, section):
    """The activity's document: H5P's iframe if the content embeds in one, else the lesson page itself."""
    iframe = section.locator("iframe")
    if iframe.count():
        return iframe.first.content_frame
    return section


@pytest.mark.parametrize(
    "name", [p.name for p in REAL] or [pytest.param("absent", marks=pytest.mark.skip(reason=SKIP_REASON))]
)
def test_each_real_package_renders_in_a_lesson(name, live_server, chromium, tree, media):
    activity = import_package(real_package(name), name=name)
    lesson = lesson_with(tree, activity)
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    requested, errors, offsite = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Offline, as at a Digital Centre without internet: anything off the site is refused.
    context.route(
        lambda url: not url.startswith(live_server.url),
        lambda route: (offsite.append(route.request.url), route.abort()),
    )
    page.goto(live_server.url + lesson.url)
    assert not any("/h5p/" in url or "h5p-standalone" in url for url in requested), "nothing loads before start"
    section = start(page)
    content = frame_of(page, section)
    content.locator(".h5p-content").first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)
    assert content.locator(".h5p-content").first.is_visible()
    site = live_server.url
    assert any(url.startswith(f"{site}/h5p/libraries/") for url in requested), "libraries come from the site"
    allowed = EXTERNAL_SOURCES.get(name, ())
    assert [url for url in offsite if not url.startswith("data:") and not any(h in url for h in allowed)] == []
    assert errors == [], errors
    if os.environ.get("H5P_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['H5P_SCREENSHOTS']}/{name}.png", full_page=True)
    context.close()
