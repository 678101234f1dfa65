"""The H5P player in a real Chromium: every real package renders in a lesson, from the site alone, and
answering scored activities stores statements and a scored result on the learner's progress."""

import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client

from courses.h5p.services import import_package
from courses.models import CoursePage, LessonPage
from lms.models import ActivityResult, Enrolment, Statement
from lms.services import enrol
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


def signed_in_context(chromium, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(**options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


def wait_until_sent(page, section_index: int = 0, count: int = 1):
    page.wait_for_function(
        "([i, n]) => { const s = document.querySelectorAll('[data-h5p-activity]')[i];"
        " return Number(s.getAttribute('data-h5p-sent') || 0) >= n && s.getAttribute('data-h5p-sending') === '0'; }",
        arg=[section_index, count],
        timeout=20_000,
    )


def answer_multichoice(content):
    content.get_by_role("checkbox", name="Very dark purple").or_(
        content.get_by_role("radio", name="Very dark purple")
    ).first.click()
    content.get_by_role("button", name="Check").first.click()


def answer_truefalse(content):
    content.get_by_role("radio", name="Yes").click()
    content.get_by_role("button", name="Check").first.click()


def answer_visible_question(content) -> None:
    """Give some answer to the question on screen, whatever its type, as a learner would."""
    question = content.locator(".question-container:visible").first
    kind = question.get_attribute("class") or ""
    if "h5p-multichoice" in kind:
        question.locator(".h5p-answer").first.click()
    elif "h5p-true-false" in kind:
        question.locator("[role=radio]").first.click()
    elif "h5p-blanks" in kind:
        for index in range(question.locator("input.h5p-text-input").count()):
            question.locator("input.h5p-text-input").nth(index).fill("answer")
    elif "h5p-mark-the-words" in kind:
        question.locator("[role=option]").first.click()
    elif "h5p-drag-text" in kind:  # by keyboard: pick up a word, then drop it in the first gap
        question.locator("[aria-grabbed]").first.focus()
        question.locator("[aria-grabbed]").first.press("Enter")
        question.locator("[aria-dropeffect]").first.focus()
        question.locator("[aria-dropeffect]").first.press("Enter")
    elif "h5p-dragquestion" in kind and question.locator(".h5p-draggable").count():
        question.locator(".h5p-draggable").first.drag_to(question.locator(".h5p-dropzone").first)


def finish_question_set(content):
    """Answer every question, moving on with "Next question", then press "Finish" on the last one.

    The set shows its buttons with a transition, so each step waits for whichever of "Next" or
    "Finish" the question on screen offers, and after "Next" for that question to leave the screen.
    """
    visible = ".question-container:visible "
    for _step in range(20):
        question = content.locator(".question-container:visible").first
        question.wait_for(state="visible")
        on_screen = question.element_handle()
        answer_visible_question(content)
        move_on = (
            content.locator(visible + ".h5p-question-finish:visible")
            .or_(content.locator(visible + ".h5p-question-next:visible"))
            .first
        )
        move_on.wait_for(state="visible")
        if "h5p-question-finish" in (move_on.get_attribute("class") or ""):
            move_on.click()
            return
        move_on.click()
        on_screen.wait_for_element_state("hidden")
    raise AssertionError("the question set never offered Finish")


SCORED = {
    "H5P.MultiChoice.h5p": (answer_multichoice, "answered", 1),
    "H5P.TrueFalse.h5p": (answer_truefalse, "answered", 1),
    "H5P.QuestionSet.h5p": (finish_question_set, "completed", None),
}


@pytest.mark.parametrize("name", sorted(SCORED))
def test_answering_stores_a_statement_and_a_scored_result_on_progress(name, live_server, chromium, tree, media):
    activity = import_package(real_package(name), name=name)
    lesson = lesson_with(tree, activity)
    block_id = lesson.body[0].id
    learner = UserFactory(username="rahima", email="rahima@example.gov.bd")
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    context = signed_in_context(chromium, live_server, learner, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + lesson.url)
    section = start(page)
    answer, verb, expected_raw = SCORED[name]
    answer(frame_of(page, section))
    wait_until_sent(page)
    iri = f"{django_settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/activities/{lesson.pk}/{block_id}"
    statement = Statement.objects.get(object_id=iri, verb=f"http://adlnet.gov/expapi/verbs/{verb}")
    assert statement.user == learner
    result = ActivityResult.objects.get(enrolment=enrolment, block_id=block_id)
    assert result.score_max and result.score_max > 0
    if expected_raw is not None:
        assert result.score_raw == expected_raw and result.success is True
    enrolment.refresh_from_db()
    assert enrolment.progress_percent > 0
    assert enrolment.score_scaled is not None
    assert "Your result is saved." in section.locator("[data-h5p-status]").inner_text()
    # The learner's progress on the course page moved, and the lesson shows the result on return.
    page.goto(live_server.url + tree.course.url)
    bar = page.locator(".course-progress progress")
    assert int(bar.get_attribute("value")) == enrolment.progress_percent > 0
    page.goto(live_server.url + lesson.url)
    assert "Your result so far:" in page.locator("[data-h5p-previous]").inner_text()
    context.close()


def lesson_activity_title(lesson) -> str:
    return next(block.value["activity"].title for block in lesson.body if block.block_type == "h5p")


def test_the_demo_knowledge_check_plays_in_bengali_by_keyboard_and_records_the_score(live_server, chromium, demo_site):
    lesson = LessonPage.objects.live().get(locale__language_code="bn", slug="locks-pins-and-passwords")
    course = CoursePage.objects.ancestor_of(lesson).get()
    block_id = next(block.id for block in lesson.body if block.block_type == "h5p")
    learner = UserFactory(username="karim", email="karim@example.gov.bd")
    enrolment = enrol(user=learner, course=course)  # the course, through its Bengali copy
    context = signed_in_context(chromium, live_server, learner, viewport={"width": 360, "height": 800}, locale="bn")
    page = context.new_page()
    page.goto(live_server.url + lesson.url)
    start_button = page.get_by_role("button", name="Start activity").or_(page.locator("[data-h5p-start]")).first
    start_button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-h5p-ready=true]", timeout=20_000)
    frame = page.locator("[data-h5p-player] iframe").element_handle().content_frame()
    assert page.locator("[data-h5p-player] iframe").get_attribute("title") == lesson_activity_title(lesson)
    # Keyboard only: into the question, onto the third answer, then the check button.
    frame.locator(".shikkha-check input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert frame.evaluate("document.activeElement.textContent") == "উত্তর যাচাই করুন"
    page.keyboard.press("Enter")
    assert "সঠিক।" in frame.locator(".shikkha-check [role=status]").inner_text()
    wait_until_sent(page)
    result = ActivityResult.objects.get(enrolment=enrolment, block_id=block_id)
    assert (result.score_raw, result.score_max, result.success) == (1, 1, True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_the_placeholder_and_the_own_content_type_pass_axe(live_server, chromium, axe_source, demo_site):
    from tests.browser.test_accessibility import serious_violations

    for code in ("en", "bn"):
        lesson = LessonPage.objects.live().get(locale__language_code=code, slug="locks-pins-and-passwords")
        page = chromium.new_page(viewport={"width": 360, "height": 800})
        page.goto(live_server.url + lesson.url)
        assert serious_violations(page, axe_source) == [], f"{code} placeholder"
        page.locator("[data-h5p-start]").first.click()
        page.wait_for_selector("[data-h5p-ready=true]", timeout=20_000)
        frame = page.locator("[data-h5p-player] iframe").element_handle().content_frame()
        frame.locator(".shikkha-check input[type=radio]").first.wait_for()
        assert serious_violations(page, axe_source) == [], f"{code} with the player open"
        frame.evaluate(axe_source)  # not a script tag: the page's CSP refuses inline scripts
        inside = frame.evaluate(
            "async () => (await axe.run(document)).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)"
        )
        assert inside == [], f"{code} inside the activity"
        page.close()
