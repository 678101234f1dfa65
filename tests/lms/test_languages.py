"""One course in every language, from the outside: a learner, an admin and a program see one course.

The tree's course is written in English and translated into Bengali with Wagtail's own translation
copy (block ids kept); the learner moves between the two copies over HTTP.
"""

import csv
import io
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from courses.activities import activity_iri
from lms.models import ActivityScore, Enrolment, EnrolmentStatus, LessonProgress
from lms.services import enrol, make_organisation_admin, record_activity_result, set_membership
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    translate,
    translate_tree,
)

from .factories import organisation


def check_block(lesson):
    return next(block for block in lesson.body if block.block_type == "knowledge_check")


def right_choice(lesson) -> str:
    block = check_block(lesson)
    return str(next(i for i, choice in enumerate(block.value["choices"]) if choice["correct"]))


def answer(client, lesson) -> None:
    """Answer the lesson's knowledge check right, as the page's form does."""
    block = check_block(lesson)
    response = client.post(f"{lesson.get_url()}check/{block.id}/", {"choice": right_choice(lesson)})
    assert response.status_code == 200


@pytest.fixture
def bengali(tree):
    return translate_tree(tree, "bn")


@pytest.fixture
def learner_client(learner):
    client = Client()
    client.force_login(learner)
    return client


def test_switching_language_mid_course_keeps_enrolment_progress_and_resume_point(
    tree, bengali, learner, learner_client
):
    response = learner_client.post(reverse("learner:enrol", args=[tree.course.pk]))
    assert response.status_code == 302
    answer(learner_client, tree.lessons[0])  # lesson 1 in English
    bn_course, bn_lesson = bengali[tree.course.pk], bengali[tree.lessons[1].pk]
    learner_client.get(bn_lesson.get_url())  # lesson 2 opened in Bengali

    page = learner_client.get(bn_course.get_url()).content.decode()
    assert "Enrol in this course" not in page
    assert f'href="{bn_lesson.get_url()}"' in page  # continue where you left off, in Bengali
    assert "33%" in page or 'value="33"' in page

    answer(learner_client, bn_lesson)  # lesson 2 answered in Bengali: the same lesson, the same course
    enrolment = Enrolment.objects.get()
    assert enrolment.course_id == tree.course.pk and enrolment.language == "bn"
    assert enrolment.progress_percent == 66
    assert set(LessonProgress.objects.filter(completed_at__isnull=False).values_list("lesson_id", flat=True)) == {
        tree.lessons[0].pk,
        tree.lessons[1].pk,
    }
    assert set(ActivityScore.objects.values_list("lesson_id", "block_id")) == {
        (tree.lessons[0].pk, check_block(tree.lessons[0]).id),
        (tree.lessons[1].pk, check_block(tree.lessons[1]).id),
    }
    # a lesson completed in English shows as completed on its Bengali page
    bn_first = learner_client.get(bengali[tree.lessons[0].pk].get_url()).content.decode()
    assert "lesson-progress__done" in bn_first
    # the English course page resumes at the same lesson, in English
    en_page = learner_client.get(tree.course.get_url()).content.decode()
    assert f'href="{tree.lessons[1].get_url()}"' in en_page


def test_enrolling_in_both_languages_is_one_enrolment(tree, bengali, learner, learner_client):
    learner_client.post(reverse("learner:enrol", args=[tree.course.pk]))
    response = learner_client.post(reverse("learner:enrol", args=[bengali[tree.course.pk].pk]), follow=True)
    assert "You are already enrolled in this course." in response.content.decode()
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_prerequisites_completed_in_one_language_hold_in_the_other(tree, bengali, learner, learner_client):
    advanced = CoursePageFactory(parent=tree.catalogue, title="Advanced")
    advanced_module = ModulePageFactory(parent=advanced)
    LessonPageFactory(parent=advanced_module)
    advanced.prerequisites.add(tree.course)
    advanced.save_revision().publish()
    bn_advanced = translate(advanced, "bn", title="উন্নত")
    enrol(user=learner, course=bengali[tree.course.pk])  # enrolled through the Bengali copy
    for lesson in tree.lessons:
        answer(learner_client, bengali[lesson.pk])  # and completed it in Bengali
    assert Enrolment.objects.get(course=tree.course).status == EnrolmentStatus.COMPLETED

    page = learner_client.get(bn_advanced.get_url()).content.decode()
    assert "Complete these courses before you enrol" not in page
    response = learner_client.post(reverse("learner:enrol", args=[advanced.pk]))  # the English copy
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=learner, course=advanced).exists()


def test_a_result_against_the_bengali_copy_of_an_activity_counts_for_the_same_lesson(tree, bengali, learner):
    enrol(user=learner, course=tree.course)
    bn_lesson = bengali[tree.lessons[2].pk]
    result = record_activity_result(
        user=learner,
        activity_iri=activity_iri(lesson_id=bn_lesson.pk, block_id=check_block(bn_lesson).id),
        event_id=str(uuid.uuid4()),
        score_scaled=1,
    )
    assert result.lesson_id == tree.lessons[2].pk
    assert result.activity_iri == activity_iri(lesson_id=tree.lessons[2].pk, block_id=check_block(tree.lessons[2]).id)


def test_a_translation_whose_editor_replaced_the_block_still_counts_it(tree, learner):
    lesson = tree.lessons[0]
    copy = translate(lesson, "bn", title="পাঠ")
    body = copy.body.raw_data
    for block in body:
        if block["type"] == "knowledge_check":
            block["id"] = str(uuid.uuid4())  # a new block, as an editor who deleted and re-added it
    copy.body = body
    copy.save_revision().publish()
    copy.refresh_from_db()
    enrol(user=learner, course=tree.course)
    record_activity_result(
        user=learner,
        activity_iri=activity_iri(lesson_id=copy.pk, block_id=check_block(copy).id),
        event_id="replaced-block",
        score_scaled=1,
    )
    assert ActivityScore.objects.get().block_id == check_block(lesson).id


def test_a_missing_translation_is_shown_and_still_counts(tree, learner, learner_client):
    bengali = translate_tree(tree, "bn", skip=(2,))
    bn_course = bengali[tree.course.pk]
    enrol(user=learner, course=bn_course)
    page = learner_client.get(bn_course.get_url()).content.decode()
    assert "এই পাঠগুলো এখনও এই ভাষায় নেই।" in page  # "These lessons are not yet available in this language."
    assert f'href="{tree.lessons[2].get_url()}"' in page and 'lang="en"' in page
    for index in (0, 1):
        answer(learner_client, bengali[tree.lessons[index].pk])
    enrolment = Enrolment.objects.get()
    assert enrolment.progress_percent == 66 and enrolment.status != EnrolmentStatus.COMPLETED
    answer(learner_client, tree.lessons[2])  # read in English, where it was written
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_the_api_lists_one_enrolment_titled_in_the_readers_language(tree, bengali, learner):
    enrol(user=learner, course=bengali[tree.course.pk])
    token = Token.objects.create(user=learner)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    english = client.get("/api/v1/me/enrolments/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["count"] == 1
    assert english["results"][0]["course"] == {
        "id": tree.course.pk,
        "title": tree.course.title,
        "slug": tree.course.slug,
    }
    bangla = client.get("/api/v1/me/enrolments/", HTTP_ACCEPT_LANGUAGE="bn").json()
    assert bangla["results"][0]["course"]["title"] == bengali[tree.course.pk].title
    again = client.post("/api/v1/me/enrolments/", {"course": tree.course.pk}, content_type="application/json")
    assert again.status_code == 409
    courses = client.get("/api/v1/courses/").json()["results"]
    assert {course["course_id"] for course in courses} == {tree.course.pk}
    assert len(courses) == 2  # both copies are listed, each naming the one course


@pytest.fixture
def units(db):
    ministry = organisation("Ministry of Posts")
    division = organisation("ICT Division", parent=ministry)
    return {"ministry": ministry, "division": division}


def test_csv_names_a_course_by_either_slug_or_code_and_reports_count_it_once(tree, bengali, units):
    officer = UserFactory(username="officer-admin")
    make_organisation_admin(user=officer, organisation=units["division"])
    members = [UserFactory(email=f"m{i}@gov.bd") for i in range(2)]
    for user in members:
        set_membership(user=user, organisation=units["division"])
    tree.course.curriculum_code = "DG-101"
    tree.course.save_revision().publish()
    bn_slug = bengali[tree.course.pk].slug = "digital-bn"
    bengali[tree.course.pk].save_revision().publish()
    client = Client()
    client.force_login(officer)
    text = f"email,course\nm0@gov.bd,{bn_slug}\nm1@gov.bd,DG-101\n"
    upload = io.BytesIO(text.encode())
    upload.name = "staff.csv"
    response = client.post(reverse("lms_admin:organisation_enrol", args=[units["division"].pk]), {"file": upload})
    assert response.status_code == 302, response.content.decode()
    assert set(Enrolment.objects.values_list("course_id", flat=True)) == {tree.course.pk}

    report = client.get(reverse("lms_admin:organisation_report", args=[units["division"].pk])).content.decode()
    assert report.count(tree.course.title) == 1
    api = client.get(f"/api/v1/organisations/{units['division'].pk}/report/").json()
    assert [row["enrolled"] for row in api["by_course"]] == [2]


def test_a_csv_key_naming_two_courses_is_refused_by_name(tree, bengali, units):
    other = CoursePageFactory(parent=tree.catalogue, title="Another course", slug="shared-slug")
    bengali[tree.course.pk].slug = "shared-slug"
    bengali[tree.course.pk].save_revision().publish()
    from lms.services import import_enrolments

    member = UserFactory(email="m@gov.bd")
    set_membership(user=member, organisation=units["division"])
    result = import_enrolments(organisation=units["division"], raw=b"email,course\nm@gov.bd,shared-slug\n")
    assert not result.ok
    assert "names two different courses" in result.refusals[0].reason
    assert other.title in result.refusals[0].reason and bengali[tree.course.pk].title in result.refusals[0].reason
    assert Enrolment.objects.count() == 0


def test_the_picker_lists_each_course_once_in_the_admins_language(tree, bengali, units):
    officer = UserFactory(username="officer-picker")
    make_organisation_admin(user=officer, organisation=units["division"])
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("lms_admin:organisation_assign", args=[units["division"].pk])).content.decode()
    assert page.count(f'value="{tree.course.pk}"') == 1
    assert f'value="{bengali[tree.course.pk].pk}"' not in page
    assert "বাংলা" in page  # its other language is shown


def test_the_trainer_report_counts_one_course_once(tree, bengali, learner):
    admin = UserFactory(username="boss", is_superuser=True, is_staff=True)
    enrol(user=learner, course=bengali[tree.course.pk])
    client = Client()
    client.force_login(admin)
    index = client.get(reverse("lms_admin:course_index")).content.decode()
    assert index.count(reverse("lms_admin:course_report", args=[tree.course.pk])) == 1
    assert reverse("lms_admin:course_report", args=[bengali[tree.course.pk].pk]) not in index
    report = client.get(reverse("lms_admin:course_report", args=[tree.course.pk]))
    assert report.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(reverse("lms_admin:course_export", args=[tree.course.pk, "csv"])).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 2  # the heading and the one enrolment


def test_statements_about_either_copy_reach_the_same_enrolment(tree, bengali, learner, learner_client):
    enrol(user=learner, course=tree.course)
    bn_lesson = bengali[tree.lessons[0].pk]
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "http://127.0.0.1:8000", "name": learner.username}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": activity_iri(lesson_id=bn_lesson.pk, block_id=check_block(bn_lesson).id)},
        "result": {"score": {"scaled": 1}, "success": True},
    }
    response = learner_client.post(reverse("lms:statements"), json.dumps(statement), content_type="application/json")
    assert response.status_code == 201, response.content
    assert LessonProgress.objects.get(completed_at__isnull=False).lesson_id == tree.lessons[0].pk
