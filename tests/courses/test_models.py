"""Page-type rules and the accreditation fields of a course."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from courses.models import CataloguePage, CoursePage, LessonPage, ModulePage
from tests.factories import AccreditingBodyFactory, CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (CataloguePage, Page, True),
        (CoursePage, CataloguePage, True),
        (ModulePage, CoursePage, True),
        (LessonPage, ModulePage, True),
        (LessonPage, CoursePage, False),
        (LessonPage, CataloguePage, False),
        (ModulePage, CataloguePage, False),
        (ModulePage, ModulePage, False),
        (CoursePage, Page, False),
        (CoursePage, CoursePage, False),
    ],
)
def test_page_types_allow_only_catalogue_course_module_lesson(child, parent, allowed):
    assert (parent in child.allowed_parent_page_models()) is allowed


def test_admin_refuses_a_lesson_directly_under_a_course(admin_client, tree):
    url = f"/admin/pages/add/courses/lessonpage/{tree.course.pk}/"
    response = admin_client.get(url)
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == "/admin/"
    admin_client.post(url, {"title": "Stray lesson", "slug": "stray", "action-publish": "1"})
    assert not LessonPage.objects.filter(slug="stray").exists()


def test_admin_offers_only_modules_under_a_course(admin_client, tree):
    response = admin_client.get(f"/admin/pages/{tree.course.pk}/add_subpage/", follow=True)
    assert response.status_code == 200
    # A course's only child type is the module, so the admin goes straight to the module form.
    assert response.redirect_chain[-1][0] == f"/admin/pages/add/courses/modulepage/{tree.course.pk}/"


def test_accredited_course_needs_credit_hours_and_curriculum_code(tree):
    course = tree.course
    course.accrediting_body = AccreditingBodyFactory()
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert set(error.value.message_dict) >= {"credit_hours", "curriculum_code"}
    course.credit_hours = Decimal("6")
    course.curriculum_code = "DG-101"
    course.full_clean()


def test_credit_hours_without_accrediting_body_are_refused(tree):
    course = CoursePageFactory.build(credit_hours=Decimal("3"))
    with pytest.raises(ValidationError) as error:
        course.clean()
    assert "credit_hours" in error.value.message_dict
