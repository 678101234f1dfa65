"""The learner's journeys through the site's pages, from the outside."""

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.models import Enrolment, EnrolmentStatus, LearnerProfile, LessonProgress, Statement
from lms.services import record_activity_result, record_statement, statement_actor
from tests.factories import AccreditingBodyFactory, CoursePageFactory, LessonPageFactory, ModulePageFactory, UserFactory

from .conftest import check_iri

User = get_user_model()


PASSWORD = "a long pass phrase"


def sign_up(client, name="+8801712345678", password=PASSWORD, next_url=""):
    data = {"full_name": "Rahima Begum", "email_or_phone": name, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("learner:sign_up"), data)


def test_citizen_signs_up_with_a_phone_number_and_enrols_in_two_taps(tree):
    client = Client()
    course_url = tree.course.get_url()
    page = client.get(course_url)
    assert b"Enrol in this course" in page.content
    tap = client.post(reverse("learner:enrol", args=[tree.course.pk]))  # tap 1, not signed in yet
    assert tap.status_code == 302 and reverse("learner:sign_up") in tap["Location"]
    joined = sign_up(client, name="017 1234-5678", next_url=course_url)
    assert joined.status_code == 302 and joined["Location"] == course_url
    user = User.objects.get(username="+8801712345678")
    assert user.learner_profile.phone == "+8801712345678"
    tap = client.post(reverse("learner:enrol", args=[tree.course.pk]))
    assert tap.status_code == 302 and tap["Location"] == tree.lessons[0].get_url()
    assert Enrolment.objects.get(user=user).course_id == tree.course.pk


def test_continue_where_you_left_off_on_another_day(tree):
    client = Client()
    sign_up(client, name="rahima@example.com")
    client.post(reverse("learner:enrol", args=[tree.course.pk]))
    client.get(tree.lessons[1].get_url())
    client.logout()
    assert (
        client.post(
            reverse("learner:sign_in"), {"email_or_phone": "Rahima@Example.com", "password": "a long pass phrase"}
        ).status_code
        == 302
    )
    course_page = client.get(tree.course.get_url()).content.decode()
    assert "Continue where you left off" in course_page
    assert f'href="{tree.lessons[1].get_url()}"' in course_page
    dashboard = client.get(reverse("learner:dashboard")).content.decode()
    assert f'href="{tree.lessons[1].get_url()}"' in dashboard


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("not an email", "a long pass phrase", "Enter an email address or a Bangladeshi mobile number"),
        ("someone@example.com", "12345678", "This password is entirely numeric"),
        ("amina@example.gov.bd", "a long pass phrase", "exists already"),
    ],
)
def test_sign_up_refusals(learner, name, password, message):
    response = sign_up(Client(), name=name, password=password)
    assert response.status_code == 400  # a refused form is a client error
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_wrong_password_at_sign_in(learner):
    response = Client().post(reverse("learner:sign_in"), {"email_or_phone": learner.username, "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_enrolling_twice_keeps_one_enrolment(tree, learner):
    client = Client()
    client.force_login(learner)
    client.post(reverse("learner:enrol", args=[tree.course.pk]))
    response = client.post(reverse("learner:enrol", args=[tree.course.pk]), follow=True)
    assert "already enrolled" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_prerequisite_message_on_the_course_page(tree, learner):
    advanced = CoursePageFactory(parent=tree.catalogue, title="Advanced")
    ModulePageFactory(parent=advanced)
    advanced.prerequisites.add(tree.course)
    advanced.save_revision().publish()
    client = Client()
    client.force_login(learner)
    page = client.get(advanced.get_url()).content.decode()
    assert "Complete these courses before you enrol" in page and tree.course.title in page
    response = client.post(reverse("learner:enrol", args=[advanced.pk]), follow=True)
    assert "Complete these courses first" in response.content.decode()
    assert not Enrolment.objects.filter(course=advanced).exists()


def test_unpublished_course_cannot_be_enrolled(tree, learner):
    draft = CoursePageFactory(parent=tree.catalogue, live=False)
    client = Client()
    client.force_login(learner)
    assert client.post(reverse("learner:enrol", args=[draft.pk])).status_code == 404
    assert client.post(reverse("learner:enrol", args=[999999])).status_code == 404


def test_mark_as_complete_for_a_lesson_without_questions(tree, learner, enrolment):
    reading = LessonPageFactory(
        parent=tree.module, body=[{"type": "paragraph", "id": str(uuid.uuid4()), "value": "<p>Read.</p>"}]
    )
    client = Client()
    client.force_login(learner)
    page = client.get(reading.get_url()).content.decode()
    assert "Mark as complete" in page
    assert "Mark as complete" not in client.get(tree.lessons[0].get_url()).content.decode()
    response = client.post(reverse("learner:complete_lesson", args=[reading.pk]))
    assert response.status_code == 302
    assert LessonProgress.objects.get(lesson=reading).completed_at is not None
    assert "You have completed this lesson" in client.get(reading.get_url()).content.decode()
    refused = client.post(reverse("learner:complete_lesson", args=[tree.lessons[0].pk]), follow=True)
    assert "Answer the questions of this lesson" in refused.content.decode()


def test_completing_a_lesson_of_a_course_one_is_not_enrolled_in(tree):
    stranger = UserFactory()
    client = Client()
    client.force_login(stranger)
    response = client.post(reverse("learner:complete_lesson", args=[tree.lessons[0].pk]), follow=True)
    assert "Enrol in this course first" in response.content.decode()
    assert LessonProgress.objects.count() == 0


def test_dashboard_shows_own_courses_due_dates_and_credit_hours(tree, learner):
    body = AccreditingBodyFactory()
    accredited = CoursePageFactory(
        parent=tree.catalogue, accrediting_body=body, credit_hours=Decimal("6.0"), curriculum_code="DG-101"
    )
    Enrolment.objects.create(
        user=learner,
        course=accredited,
        status=EnrolmentStatus.COMPLETED,
        completed_at=timezone.now(),
        progress_percent=100,
    )
    Enrolment.objects.create(user=learner, course=tree.course, due_on=timezone.localdate() - timedelta(days=2))
    other = UserFactory()
    other_course = CoursePageFactory(parent=tree.catalogue, title="Someone else's course")
    Enrolment.objects.create(user=other, course=other_course)
    client = Client()
    client.force_login(learner)
    page = client.get(reverse("learner:dashboard")).content.decode()
    assert tree.course.title in page and accredited.title in page
    assert "Someone else" not in page
    assert "Overdue" in page
    assert str(timezone.localdate().year) in page and ">6<" in page


def test_dashboard_needs_sign_in():
    response = Client().get(reverse("learner:dashboard"))
    assert response.status_code == 302 and reverse("learner:sign_in") in response["Location"]


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("learner:dashboard")).status_code == 200
    return len(queries)


def test_dashboard_costs_the_same_queries_at_two_sizes(tree, learner):
    client = Client()
    client.force_login(learner)
    course = CoursePageFactory(parent=tree.catalogue)
    Enrolment.objects.create(user=learner, course=course, last_lesson=tree.lessons[0])
    _dashboard_queries(client)  # warms Wagtail's cache of site root paths
    small = _dashboard_queries(client)
    for _ in range(5):
        extra = CoursePageFactory(parent=tree.catalogue)
        Enrolment.objects.create(user=learner, course=extra, last_lesson=tree.lessons[1])
    assert _dashboard_queries(client) == small


def test_shared_computer_switching_accounts_shows_only_ones_own(tree):
    client = Client()
    sign_up(client, name="first@example.com")
    client.post(reverse("learner:enrol", args=[tree.course.pk]))
    sign_up(client, name="second@example.com")  # the operator registers the next citizen
    page = client.get(reverse("learner:dashboard")).content.decode()
    assert "You are not enrolled in any course yet" in page
    assert Enrolment.objects.get().user.username == "first@example.com"


def test_data_export_contains_only_ones_own_data(tree, learner, enrolment):
    record_activity_result(user=learner, activity_iri=check_iri(tree.lessons[0]), event_id="a", score_scaled=1)
    other = UserFactory(email="other@example.gov.bd")
    Enrolment.objects.create(user=other, course=tree.course)
    record_activity_result(user=other, activity_iri=check_iri(tree.lessons[0]), event_id="b", score_scaled=0)
    client = Client()
    client.force_login(learner)
    response = client.get(reverse("learner:data_export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == learner.email
    assert [row["event_id"] for row in data["activity_results"]] == ["a"]
    assert "other@example.gov.bd" not in response.content.decode()


def test_erasure_removes_personal_data_and_keeps_counts(tree, learner, enrolment):
    record_statement(
        user=learner,
        statement={
            "actor": statement_actor(user=learner),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": check_iri(tree.lessons[0])},
            "result": {"score": {"scaled": 1}},
        },
    )
    LearnerProfile.objects.create(user=learner, designation="Assistant Secretary", phone="+8801812345678")
    client = Client()
    client.force_login(learner)
    refused = client.post(reverse("learner:privacy"), {"password": "wrong"})
    assert refused.status_code == 400 and "not your password" in refused.content.decode()
    response = client.post(reverse("learner:privacy"), {"password": "correct horse battery"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.email == "" and learner.first_name == "" and not learner.is_active
    assert learner.username.startswith("erased-")
    assert not learner.has_usable_password()
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.phone is None and profile.designation == "" and profile.erased_at
    assert Statement.objects.count() == 0
    assert Enrolment.objects.filter(course=tree.course).count() == 1  # counts survive
    assert client.get(reverse("learner:dashboard")).status_code == 302


def test_anonymous_and_learners_see_published_content_only(tree, learner, enrolment):
    draft = LessonPageFactory(parent=tree.module, live=False)
    assert Client().get(draft.get_url() or f"{tree.module.get_url()}{draft.slug}/").status_code == 404
    client = Client()
    client.force_login(learner)
    assert client.get(f"{tree.module.get_url()}{draft.slug}/").status_code == 404
    assert client.post(reverse("learner:complete_lesson", args=[draft.pk])).status_code == 404
    assert not LessonProgress.objects.filter(lesson_id=draft.pk).exists()


def test_progress_tags_render_outside_a_request(tree):
    from django.template import Context, Template

    rendered = Template("{% load learner_progress %}{% course_progress course %}{% lesson_progress lesson %}").render(
        Context({"course": tree.course, "lesson": tree.lessons[0]})
    )
    assert "Enrol in this course" in rendered
