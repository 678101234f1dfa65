"""A learner leaves a real QuestionSet half-done and continues where they stopped: after the H5P core's
own periodic save, after leaving the page before it, and signed in again in a fresh browser."""

import json
import time

import pytest
from django.core.signals import request_started
from django.db import OperationalError, connection

from courses.h5p.services import import_package
from lms.models import Enrolment, H5PState
from tests.browser.leaving import follow_breadcrumb_to
from tests.browser.test_h5p_player import answer_visible_question, frame_of, lesson_with, signed_in_context, start
from tests.factories import UserFactory
from tests.h5p_packages import REAL, SKIP_REASON, real_package

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not any(p.name == "H5P.QuestionSet.h5p" for p in REAL), reason=SKIP_REASON),
]
VISIBLE = ".question-container:visible"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def question_set(tree, media):
    activity = import_package(real_package("H5P.QuestionSet.h5p"), name="H5P.QuestionSet.h5p")
    lesson = lesson_with(tree, activity)
    learner = UserFactory(username="shirin")
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    return lesson, learner, enrolment, activity


def saved_progress(enrolment, *, timeout: float = 20) -> dict:
    """The QuestionSet state kept for the learner, once it says they are past the first question."""
    deadline, row = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            row = H5PState.objects.filter(enrolment=enrolment, data_type="state", sub_content_id="0").first()
        except OperationalError:  # SQLite's shared in-memory test database: the server thread is writing
            row = None
        if row and json.loads(row.data).get("progress", 0) >= 1:
            return {"state": json.loads(row.data), "row": row}
        time.sleep(0.2)
    found = f"the state saved says {json.loads(row.data)!r:.300}" if row else "no state was saved"
    raise AssertionError(f"no state past the first question was saved: {found}")


def answer_first_and_go_on(content) -> str:
    """Answer question 1, press "Next question" and return the text of question 2 now on screen."""
    first = content.locator(VISIBLE).first.inner_text()
    answer_visible_question(content)
    content.locator(VISIBLE + " .h5p-question-next").first.click()
    content.locator(VISIBLE).first.wait_for()
    second = content.locator(VISIBLE).first.inner_text()
    assert second != first
    return second


@pytest.fixture
def state_requests():
    """Every request the live server received at the state address: (method, path)."""
    seen = []

    def note(sender, environ, **kwargs):
        if environ.get("PATH_INFO", "").startswith("/learning/h5p-state/"):
            seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))

    request_started.connect(note)
    yield seen
    request_started.disconnect(note)


def resumes_at(page, expected: str) -> None:
    section = start(page)
    content = frame_of(page, section)
    content.locator(VISIBLE).first.wait_for(timeout=20_000)
    assert content.locator(VISIBLE).first.inner_text() == expected


def test_the_core_saves_the_state_and_a_reload_resumes_there(
    live_server, chromium, question_set, settings, state_requests
):
    settings.H5P_STATE_SAVE_SECONDS = 1
    lesson, learner, enrolment, activity = question_set
    context = signed_in_context(chromium, live_server, learner, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + lesson.url)
    content = frame_of(page, start(page))
    second = answer_first_and_go_on(content)
    saved = saved_progress(enrolment)
    assert saved["state"]["progress"] == 1 and saved["row"].content_id == activity.uuid
    # saved while the page stayed open: by the H5P core's own request in the player's frame, which the
    # site accepted only because the loader gave it the CSRF header
    assert page.evaluate("document.visibilityState") == "visible"
    assert any(method == "POST" for method, _path in state_requests)
    state_requests.clear()
    page.reload()
    resumes_at(page, second)
    assert not [r for r in state_requests if r[0] == "GET"], "the state came with the page: nothing was fetched"
    context.close()


def test_leaving_before_the_core_saves_keeps_the_place_for_another_day(
    live_server, chromium, tree, question_set, settings
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "The live server shares one in-memory SQLite connection between its threads, and the save a page sends"
            " as it is left runs while the next page loads ('database table is locked'); CI runs this on PostgreSQL."
        )
    settings.H5P_STATE_SAVE_SECONDS = 600  # the core would not save before the learner leaves
    lesson, learner, enrolment, _activity = question_set
    context = signed_in_context(chromium, live_server, learner, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + lesson.url)
    second = answer_first_and_go_on(frame_of(page, start(page)))
    assert not H5PState.objects.filter(enrolment=enrolment).exists()
    follow_breadcrumb_to(page, live_server.url + tree.course.url)  # leaves: the loader saves on the way out
    saved_progress(enrolment)
    context.close()
    # Another day, on a shared Digital Centre computer: signed in again, a browser with nothing kept.
    again = signed_in_context(chromium, live_server, learner, viewport={"width": 360, "height": 800})
    page = again.new_page()
    page.goto(live_server.url + lesson.url)
    resumes_at(page, second)
    again.close()


def test_a_learner_not_enrolled_plays_and_nothing_is_kept(
    live_server, chromium, question_set, settings, state_requests
):
    settings.H5P_STATE_SAVE_SECONDS = 1
    lesson, _learner, _enrolment, _activity = question_set
    visitor = UserFactory(username="visitor")
    context = signed_in_context(chromium, live_server, visitor, viewport={"width": 360, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + lesson.url)
    answer_first_and_go_on(frame_of(page, start(page)))
    page.wait_for_timeout(2500)  # more than the save interval
    assert state_requests == [] and errors == []
    page.goto(live_server.url + "/en/")
    assert not H5PState.objects.exists()
    context.close()
