"""Completion -> course_completed -> Celery task -> one certificate, eagerly and with a real worker."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection

from certification.models import AuditEntry, Certificate
from certification.tasks import issue_certificate_task
from lms.services import complete_lesson, enrol
from tests.factories import CataloguePageFactory, CoursePageFactory, LessonPageFactory, ModulePageFactory, UserFactory

from .conftest import ROOT


def text_only_course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Service design basics")
    module = ModulePageFactory(parent=course)
    lessons = [
        LessonPageFactory(parent=module, body=[{"type": "paragraph", "id": str(uuid.uuid4()), "value": "<p>Read.</p>"}])
        for _ in range(2)
    ]
    return course, lessons


def complete_course(user, course, lessons):
    enrol(user=user, course=course)
    for lesson in lessons:
        enrolment = complete_lesson(user=user, lesson=lesson)
    return enrolment


@pytest.fixture
def eager(monkeypatch):
    """The embedded default: tasks run in the calling process (whatever the broker settings)."""
    monkeypatch.setitem(issue_certificate_task.app.conf, "task_always_eager", True)


def test_completing_a_course_issues_exactly_one_certificate(tree, officer, eager, django_capture_on_commit_callbacks):
    course, lessons = text_only_course(tree.catalogue)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(officer, course, lessons)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.recipient_name == "Nusrat Jahan"
    # The signal, the task or the worker firing twice changes nothing.
    assert issue_certificate_task.delay(enrolment.pk).get() == str(certificate.pk)
    assert issue_certificate_task.delay(enrolment.pk).get() == str(certificate.pk)
    assert Certificate.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_task_is_late_acknowledged_and_retried_with_backoff():
    assert issue_certificate_task.acks_late is True
    assert issue_certificate_task.retry_backoff and issue_certificate_task.max_retries >= 3


def test_task_for_an_unknown_enrolment_fails_without_retrying(db, eager):
    from lms.models import Enrolment

    with pytest.raises(Enrolment.DoesNotExist):
        issue_certificate_task.delay(999_999).get()


REAL_WORKER = bool(os.environ.get("CELERY_BROKER_URL")) and os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def celery_worker_process(certificate_settings, tmp_path):
    """A real ``celery -A learning_site worker`` on the configured broker, against the test database."""
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "learning_site.settings.test",
        "CERTIFICATION_KEY_FILE": certificate_settings.CERTIFICATION_KEY_FILE,
        "MEDIA_ROOT": certificate_settings.MEDIA_ROOT,
        "SITE_URL": certificate_settings.WAGTAILADMIN_BASE_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "learning_site",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"certtest-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(tmp_path / "worker.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.mark.skipif(
    not REAL_WORKER,
    reason="needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (a worker process cannot see SQLite's in-memory "
    "test database); the embedded default runs the task eagerly, tested above",
)
@pytest.mark.django_db(transaction=True)  # the worker must see committed data
def test_a_real_worker_issues_the_certificate(page_tree_root, celery_worker_process, tmp_path):
    catalogue = CataloguePageFactory()
    officer = UserFactory(username="officer", first_name="Nusrat", last_name="Jahan", email="officer@example.gov.bd")
    course, lessons = text_only_course(catalogue)
    enrolment = complete_course(officer, course, lessons)  # commits: transactional test
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not Certificate.objects.filter(enrolment=enrolment).exists():
        assert celery_worker_process.poll() is None, (tmp_path / "worker.log").read_text()
        time.sleep(0.5)
    certificate = Certificate.objects.filter(enrolment=enrolment).first()
    assert certificate is not None, (tmp_path / "worker.log").read_text()
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert certificate.pdf.read().startswith(b"%PDF")


def test_completion_still_succeeds_when_issuing_fails_and_can_be_issued_later(
    tree, officer, eager, settings, django_capture_on_commit_callbacks, caplog
):
    settings.CERTIFICATION_CREATE_KEY_FILE = False  # no key configured yet
    course, lessons = text_only_course(tree.catalogue)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(officer, course, lessons)
    assert enrolment.completed_at is not None and not Certificate.objects.exists()
    assert "No certificate signing key" in caplog.text
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    assert issue_certificate_task.delay(enrolment.pk).get()
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
