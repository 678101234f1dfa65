"""The admin from the outside: trainers upload, see progress and a preview; refusals name the file and
the rule and keep nothing; deleting an activity a lesson uses is refused; titles are escaped everywhere."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.h5p.packaging import knowledge_check_package
from courses.models import H5PActivity, H5PLibrary, H5PUpload
from tests.factories import LessonPageFactory, TrainerFactory, UserFactory
from tests.h5p_packages import (  # noqa: F401  (the media fixture)
    build_zip,
    media_folder,
    package_files,
    real_package,
    storage_listing,
)

pytestmark = pytest.mark.django_db
HTML_TITLE = '<img src=x onerror="alert(1)">Quiz & <b>more</b>'


@pytest.fixture(autouse=True)
def eager(settings):
    """Most tests look at the result; the embedded default extracts at once (see the test with a worker)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def trainer(client, tree):
    user = TrainerFactory()
    client.force_login(user)
    return user


def small_check(title: str = "Check") -> bytes:
    return knowledge_check_package(title=title, question="q?", choices=[{"text": "a", "correct": True}, {"text": "b"}])


def upload(client, data: bytes, name: str = "activity.h5p", title: str = ""):
    return client.post("/admin/h5p/upload/", {"package": SimpleUploadedFile(name, data), "title": title}, follow=False)


def test_a_trainer_uploads_previews_and_sees_progress(client, trainer, media):
    response = upload(client, real_package("H5P.QuestionSet.h5p").read_bytes(), name="H5P.QuestionSet.h5p")
    assert response.status_code == 302
    progress = client.get(response["Location"])
    assert progress.status_code == 200
    activity = H5PActivity.objects.get()
    assert activity.uploaded_by == trainer
    assert b"100%" in progress.content and b'http-equiv="refresh"' not in progress.content
    preview = client.get(f"/admin/h5p/activities/{activity.pk}/preview/")
    assert preview.status_code == 200
    assert b"data-h5p-activity" in preview.content and b"h5p-lesson.js" in preview.content
    assert b'"statementsUrl": ""' in preview.content  # a preview records nothing
    assert not any(name.startswith("h5p/uploads/") for name in storage_listing(media)), "the upload is not kept"


@pytest.mark.parametrize(
    ("path", "title", "icon"),
    [
        ("/admin/h5p/upload/", "Upload an H5P activity", "form"),
        ("/admin/scorm/upload/", "Upload a SCORM package", "doc-full-inverse"),
    ],
)
def test_each_upload_page_has_its_title_and_header_icon_and_plain_fields(client, db, path, title, icon):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(path).content.decode()
    assert f"<title>{title}" in page and f"#icon-{icon}" in page
    assert "w-field__icon" not in page  # the header's icon is not drawn inside the form's fields


def test_a_refused_upload_names_the_file_and_rule_and_keeps_nothing(client, trainer, media):
    hostile = build_zip({**package_files(), "content/../../evil.json": b"{}", "content/x.php": b"<?php"})
    response = upload(client, hostile, name="hostile.h5p")
    assert response.status_code == 400
    body = response.content.decode()
    assert "content/../../evil.json: unsafe path" in body
    assert "content/x.php: the extension &#x27;php&#x27; is not on H5P&#x27;s allow list" in body
    assert (H5PActivity.objects.count(), H5PLibrary.objects.count(), H5PUpload.objects.count()) == (0, 0, 0)
    assert storage_listing(media) == [] or all(not name.endswith((".json", ".php")) for name in storage_listing(media))


def test_people_without_the_permission_cannot_upload(client, tree, media):
    assert client.get("/admin/h5p/upload/").status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert upload(client, b"PK").status_code in {302, 403}
    assert H5PUpload.objects.count() == 0


def test_deleting_an_activity_a_lesson_uses_is_refused_in_the_admin(client, tree, media, admin_user):
    client.force_login(admin_user)
    upload(
        client,
        small_check(),
    )
    activity = H5PActivity.objects.get()
    LessonPageFactory(
        parent=tree.module,
        title="Lesson that uses it",
        body=[{"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}],
    )
    response = client.post(f"/admin/snippets/courses/h5pactivity/delete/{activity.pk}/", follow=True)
    assert H5PActivity.objects.filter(pk=activity.pk).exists()
    assert "Lesson that uses it (en)" in response.content.decode()


def test_an_unused_activity_is_deleted_with_its_files(
    client, tree, media, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    upload(
        client,
        small_check(),
    )
    activity = H5PActivity.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/snippets/courses/h5pactivity/delete/{activity.pk}/")
    assert not H5PActivity.objects.exists()
    assert not any(str(activity.uuid) in name for name in storage_listing(media))


def test_a_title_with_html_is_escaped_everywhere(client, tree, media, admin_user):
    client.force_login(admin_user)
    package = knowledge_check_package(
        title=HTML_TITLE, question="q?", choices=[{"text": "a", "correct": True}, {"text": "b"}]
    )
    response = upload(client, package)
    activity = H5PActivity.objects.get()
    lesson = LessonPageFactory(
        parent=tree.module,
        body=[{"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}],
    )
    pages = {
        "progress": client.get(response["Location"]),
        "listing": client.get("/admin/snippets/courses/h5pactivity/"),
        "preview": client.get(f"/admin/h5p/activities/{activity.pk}/preview/"),
        "lesson": client.get(lesson.url),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        body = page.content.decode()
        assert '<img src=x onerror="alert(1)">' not in body, name
        assert "<b>more</b>" not in body, name
        assert "&lt;img src=x" in body or "\\u003Cimg src=x" in body, name


def test_the_package_itself_is_not_needed_after_upload(client, trainer, media):
    response = upload(client, build_zip(package_files(title="Small")), name="small.h5p")
    assert response.status_code == 302
    stored = H5PUpload.objects.get()
    assert stored.status == H5PUpload.Status.DONE and stored.activity.title == "Small"
    assert not any(name.startswith("h5p/uploads/") and "." in name for name in storage_listing(media))


def test_with_a_broker_the_upload_waits_for_a_worker_and_the_page_shows_progress(
    client, trainer, media, settings, django_capture_on_commit_callbacks
):
    from courses.h5p.services import process_upload

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client, build_zip(package_files(title="Later")), name="later.h5p")
    assert len(queued) == 1, "the task is queued once the upload's row is committed"
    waiting = client.get(response["Location"])
    assert b'http-equiv="refresh"' in waiting.content and b"Waiting" in waiting.content
    assert not H5PActivity.objects.exists()
    process_upload(upload_id=H5PUpload.objects.get().pk)  # what the worker runs
    done = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in done.content and b"Ready: 100%" in done.content
    assert H5PActivity.objects.get().title == "Later"
