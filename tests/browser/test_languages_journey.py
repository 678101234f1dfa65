"""The officer's journey of issue 10 in Chromium at 360 px, with axe-core on each page: complete a
course in English, switch the site to Bengali, find the same course completed (not "enrol"), and enrol
in the next course, whose prerequisite it is, from its Bengali page."""

import pytest

from lms.models import Enrolment, EnrolmentStatus
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, UserFactory, translate

from .test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def _right_choice(lesson) -> str:
    block = next(block for block in lesson.body if block.block_type == "knowledge_check")
    return next(choice["text"] for choice in block.value["choices"] if choice["correct"])


def test_an_officer_completes_a_course_in_english_and_goes_on_in_bengali(live_server, chromium, axe_source, tree):
    bn_catalogue = translate(tree.catalogue, "bn", title="কোর্স")
    bn_course = translate(tree.course, "bn", title="ডিজিটাল শাসনের ভিত্তি")
    translate(tree.module, "bn", title="মডিউল")
    for lesson in tree.lessons:
        translate(lesson, "bn", title=f"পাঠ {lesson.pk}")
    procurement = CoursePageFactory(parent=tree.catalogue, title="ICT Procurement")
    module = ModulePageFactory(parent=procurement)
    LessonPageFactory(parent=module)
    procurement.prerequisites.add(tree.course)
    procurement.save_revision().publish()
    bn_procurement = translate(procurement, "bn", title="আইসিটি ক্রয়")
    officer = UserFactory(username="officer", email="officer@example.gov.bd")

    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    failures = {}

    def check(label: str) -> None:
        found = serious_violations(page, axe_source)
        if found:
            failures[label] = found
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, label

    page.goto(live_server.url + "/en/learning/sign-in/")
    page.get_by_label("Email or mobile number").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/learning/")
    page.goto(live_server.url + tree.course.url)
    page.get_by_role("button", name="Enrol in this course").click()
    for lesson in tree.lessons:
        page.goto(live_server.url + lesson.url)
        page.get_by_label(_right_choice(lesson)).check()
        page.get_by_role("button", name="Check my answer").click()
        page.wait_for_load_state()
    check("last lesson, English")
    assert Enrolment.objects.get(user=officer, course=tree.course).status == EnrolmentStatus.COMPLETED

    page.goto(live_server.url + tree.course.url)
    page.get_by_role("link", name="বাংলা").click()  # the language switcher, to the course's Bengali copy
    page.wait_for_url(live_server.url + bn_course.url)
    check("course page, Bengali")
    assert page.locator(".course-progress form").count() == 0  # no "enrol" on the course he completed
    assert page.locator(".course-progress .progress").count() == 1  # his progress bar instead

    page.goto(live_server.url + bn_procurement.url)
    check("next course, Bengali")
    assert page.locator(".course-progress ul").count() == 0  # no missing prerequisite listed
    page.locator(".course-progress form button").click()
    page.wait_for_load_state()
    check("first lesson of the next course, Bengali")
    assert Enrolment.objects.filter(user=officer, course=procurement).exists()
    assert Enrolment.objects.filter(user=officer).count() == 2
    assert bn_catalogue.url.startswith("/bn/")
    context.close()
    assert failures == {}
