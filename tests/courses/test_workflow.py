"""Accreditation review: trainers write and submit, only reviewers publish. Driven through the admin."""

import pytest
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import LessonPage
from courses.services import ACCREDITATION_WORKFLOW
from tests.factories import ReviewerFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db


def lesson_form(title: str, **actions) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "a-new-lesson",
            "summary": "What this lesson covers.",
            "required": "on",
            "estimated_minutes": "12",
            "body": streamfield([("paragraph", rich_text("<p>Open standards keep options open.</p>"))]),
            "comments": inline_formset([]),
            **actions,
        }
    )


@pytest.fixture
def trainer_client(client):
    client.force_login(TrainerFactory())
    return client


def test_every_page_goes_through_accreditation_review(tree):
    workflow = tree.lessons[0].get_workflow()
    assert workflow is not None and workflow.name == ACCREDITATION_WORKFLOW


def test_trainer_can_open_the_admin_and_edit_lessons(trainer_client, tree):
    assert trainer_client.get("/admin/").status_code == 200
    response = trainer_client.get(f"/admin/pages/{tree.lessons[0].pk}/edit/")
    assert response.status_code == 200
    assert 'name="action-publish"' not in response.text
    assert 'name="action-submit"' in response.text


def test_trainer_cannot_publish(trainer_client, tree):
    response = trainer_client.post(
        f"/admin/pages/add/courses/lessonpage/{tree.module.pk}/",
        lesson_form("Published by a trainer?", **{"action-publish": "action-publish"}),
    )
    assert response.status_code in (200, 302)
    lesson = LessonPage.objects.get(slug="a-new-lesson")
    assert not lesson.live
    assert trainer_client.get(f"{tree.module.url}a-new-lesson/").status_code == 404


def test_trainer_submits_and_reviewer_approves_to_publish(client, trainer_client, tree):
    response = trainer_client.post(
        f"/admin/pages/add/courses/lessonpage/{tree.module.pk}/",
        lesson_form("Open standards in procurement", **{"action-submit": "action-submit"}),
    )
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="a-new-lesson")
    assert not lesson.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state

    trainer = UserFactory()  # an ordinary user, neither trainer nor reviewer, cannot approve
    client.force_login(trainer)
    url = f"/admin/pages/workflow/action/{lesson.pk}/approve/{task_state.pk}/"
    client.post(url, {"comment": ""})
    lesson.refresh_from_db()
    assert not lesson.live

    client.force_login(ReviewerFactory())
    response = client.post(url, {"comment": "Meets the curriculum."})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert client.get(f"{tree.module.url}a-new-lesson/").status_code == 200


def test_reviewer_can_reject_and_the_page_stays_unpublished(client, trainer_client, tree):
    trainer_client.post(
        f"/admin/pages/add/courses/lessonpage/{tree.module.pk}/",
        lesson_form("Needs more work", **{"action-submit": "action-submit"}),
    )
    lesson = LessonPage.objects.get(slug="a-new-lesson")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(lesson.pk))
    client.force_login(ReviewerFactory())
    client.post(
        f"/admin/pages/workflow/action/{lesson.pk}/reject/{state.current_task_state.pk}/",
        {"comment": "Add a knowledge check."},
    )
    lesson.refresh_from_db()
    state.refresh_from_db()
    assert not lesson.live
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_learners_cannot_enter_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_trainer_cannot_delete_or_unpublish_a_live_lesson(trainer_client, tree):
    lesson = tree.lessons[0]
    trainer_client.post(f"/admin/pages/{lesson.pk}/delete/")
    trainer_client.post(f"/admin/pages/{lesson.pk}/unpublish/")
    lesson.refresh_from_db()
    assert lesson.live
    assert LessonPage.objects.filter(pk=lesson.pk).exists()


def test_trainer_can_preview_a_draft_lesson(trainer_client, tree):
    lesson = tree.lessons[0]
    data = lesson_form("Preview of a draft")
    response = trainer_client.post(f"/admin/pages/{lesson.pk}/edit/preview/", data)
    assert response.status_code == 200 and response.json()["is_valid"]
    preview = trainer_client.get(f"/admin/pages/{lesson.pk}/edit/preview/")
    assert preview.status_code == 200
    assert "Open standards keep options open." in preview.text


def test_edits_are_kept_as_revisions(trainer_client, tree):
    lesson = tree.lessons[0]
    before = lesson.revisions.count()
    trainer_client.post(f"/admin/pages/{lesson.pk}/edit/", lesson_form("Second draft"))
    lesson.refresh_from_db()
    assert lesson.revisions.count() == before + 1
    assert lesson.get_latest_revision_as_object().title == "Second draft"
    assert lesson.title != "Second draft"  # the live page is unchanged until a reviewer publishes
