"""Finding and following lessons, from the outside: the pager across modules, "lesson x of y", ticks in
the outline, resume at the next lesson to do, the last answer of a revisited knowledge check, the
certificate on the course page and My learning, the list of notices, and the due-date wording."""

import json
import os
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification import keys
from courses.activities import activity_iri
from lms.models import Enrolment, EnrolmentStatus, LearnerProfile, Notice, NoticeKind
from lms.services import assign_course, enrol, send_due_reminders, set_membership
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, UserFactory, translate_tree

from .factories import organisation


def check(lesson):
    return next(block for block in lesson.body if block.block_type == "knowledge_check")


def choice(lesson, *, right: bool) -> str:
    choices = check(lesson).value["choices"]
    return str(next(i for i, c in enumerate(choices) if bool(c["correct"]) is right))


def answer(client, lesson, *, right: bool = True):
    return client.post(f"{lesson.get_url()}check/{check(lesson).id}/", {"choice": choice(lesson, right=right)})


@pytest.fixture
def two_modules(tree):
    """The tree's course with a second module of two lessons after the first."""
    second = ModulePageFactory(parent=tree.course, title="Second module")
    lessons = tree.lessons + [LessonPageFactory(parent=second, title=f"Later {i}") for i in range(2)]
    return lessons


@pytest.fixture
def client_of(learner):
    client = Client()
    client.force_login(learner)
    return client


def test_the_pager_crosses_modules_and_says_where_the_lesson_is(tree, two_modules, client_of):
    page = client_of.get(tree.lessons[2].get_url()).content.decode()
    assert "Lesson 3 of 5" in page
    assert f'href="{two_modules[3].get_url()}" rel="next"' in page and "Second module:" in page
    last = client_of.get(two_modules[4].get_url()).content.decode()
    assert "Lesson 5 of 5" in last and 'rel="next"' not in last
    assert f'href="{tree.course.get_url()}"' in last  # the end of the course leads back to it


def test_the_outline_ticks_completed_lessons_in_every_language(tree, learner, client_of):
    enrol(user=learner, course=tree.course)
    answer(client_of, tree.lessons[0])
    page = client_of.get(tree.course.get_url()).content.decode()
    assert page.count("lesson-list__done") == 1
    module_page = client_of.get(tree.module.get_url()).content.decode()
    assert module_page.count("lesson-list__done") == 1
    bengali = translate_tree(tree, "bn")
    bn_page = client_of.get(bengali[tree.course.pk].get_url()).content.decode()
    assert bn_page.count("lesson-list__done") == 1
    assert Client().get(tree.course.get_url()).content.decode().count("lesson-list__done") == 0


def test_continue_leads_to_the_next_lesson_to_do(tree, two_modules, learner, client_of):
    enrol(user=learner, course=tree.course)
    answer(client_of, two_modules[0])
    answer(client_of, two_modules[1])
    client_of.get(two_modules[0].get_url())  # back to a lesson already done
    course_page = client_of.get(tree.course.get_url()).content.decode()
    assert f'<a class="button" href="{two_modules[2].get_url()}">' in course_page
    dashboard = client_of.get(reverse("learner:dashboard")).content.decode()
    assert f'href="{two_modules[2].get_url()}"' in dashboard
    for lesson in two_modules[2:]:
        answer(client_of, lesson)
    assert Enrolment.objects.get().status == EnrolmentStatus.COMPLETED


def test_a_revisited_knowledge_check_shows_the_last_answer(tree, learner, client_of):
    enrol(user=learner, course=tree.course)
    lesson = tree.lessons[0]
    answer(client_of, lesson, right=False)
    page = client_of.get(lesson.get_url()).content.decode()
    wrong = choice(lesson, right=False)
    assert f'id="check-{check(lesson).id}-{wrong}" name="choice" value="{wrong}" checked' in page
    assert "Your last answer was not right." in page
    answer(client_of, lesson, right=True)
    page = client_of.get(lesson.get_url()).content.decode()
    assert "Your last answer was correct." in page
    assert "Because answer 1 is right." in page  # the explanation comes back too
    assert "Your last answer" not in Client().get(lesson.get_url()).content.decode()


@pytest.fixture
def signing(settings, tmp_path, monkeypatch):
    from certification.tasks import issue_certificate_task

    # Issued in this process even when a broker is configured (the worker journey has its own test).
    monkeypatch.setitem(issue_certificate_task.app.conf, "task_always_eager", True)
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys" / "certification.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for name in ("CERTIFICATION_SIGNING_KEY", "CERTIFICATION_RETIRED_KEYS"):
        os.environ.pop(name, None)
    keys._cache.clear()


def test_the_certificate_is_linked_from_the_course_page_and_my_learning(
    tree, learner, client_of, signing, django_capture_on_commit_callbacks
):
    enrol(user=learner, course=tree.course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in tree.lessons:
            answer(client_of, lesson)
    from certification.models import Certificate

    certificate = Certificate.objects.get()
    course_page = client_of.get(tree.course.get_url()).content.decode()
    assert f'href="/en/v/{certificate.pk}"' in course_page
    assert f"/certificates/{certificate.pk}/badge.png" in course_page
    dashboard = client_of.get(reverse("learner:dashboard")).content.decode()
    assert f"/certificates/{certificate.pk}/certificate.pdf" in dashboard
    notices = client_of.get(reverse("learner:notices")).content.decode()
    assert "has been issued" in notices and f"/v/{certificate.pk}" in notices


def test_notices_in_the_site_for_every_learner_and_once(tree, learner, client_of):
    unit = organisation("Ministry of Posts")
    set_membership(user=learner, organisation=unit)
    phone_only = UserFactory(username="+8801712345678", email="")
    LearnerProfile.objects.update_or_create(user=phone_only, defaults={"phone": "+8801712345678"})
    set_membership(user=phone_only, organisation=unit)
    assign_course(organisation=unit, course=tree.course, due_on=timezone.localdate() + timedelta(days=3))
    assert Notice.objects.filter(kind=NoticeKind.ASSIGNED).count() == 2
    assert send_due_reminders() == 1  # one email: the phone-only learner has no address ...
    assert Notice.objects.filter(kind=NoticeKind.REMINDER).count() == 2  # ... and both are told in the site
    assert send_due_reminders() == 0 and Notice.objects.filter(kind=NoticeKind.REMINDER).count() == 2
    dashboard = client_of.get(reverse("learner:dashboard")).content.decode()
    assert "You have 2 new notices." in dashboard
    page = client_of.get(reverse("learner:notices")).content.decode()
    assert "assigned you" in page and "is due soon" in page and page.count("notice--new") == 2
    assert "new notice" not in client_of.get(reverse("learner:dashboard")).content.decode()
    other = Client()
    other.force_login(phone_only)
    assert other.get(reverse("learner:notices")).content.decode().count("notice--new") == 2


def test_a_course_completed_before_its_due_date_is_on_time_not_was_due(tree, learner, client_of):
    future = timezone.localdate() + timedelta(days=30)
    Enrolment.objects.create(
        user=learner, course=tree.course, status=EnrolmentStatus.COMPLETED, completed_at=timezone.now(), due_on=future
    )
    page = client_of.get(reverse("learner:dashboard")).content.decode()
    assert "Was due" not in page and "on time" in page


def test_the_statement_answer_says_the_result_so_far(tree, learner, client_of):
    course = CoursePageFactory(parent=tree.catalogue)
    module = ModulePageFactory(parent=course)
    lesson = LessonPageFactory(parent=module)
    enrol(user=learner, course=course)
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "http://127.0.0.1:8000", "name": learner.username}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": activity_iri(lesson_id=lesson.pk, block_id=check(lesson).id)},
        "result": {"score": {"raw": 3, "max": 4}, "success": False},
    }
    response = client_of.post(reverse("lms:statements"), json.dumps(statement), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["activity"] == {"score_percent": 75, "attempts": 1, "success": False}
