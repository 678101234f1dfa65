"""Reminders and recertification driven by Celery beat with a real worker on PostgreSQL and Redis, and
two runs at once on PostgreSQL: each reminder goes out once, the course reopens once, and completing
it again issues exactly one new certificate that supersedes the old one."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from certification.expiry import send_expiry_reminders
from certification.models import Certificate, CertificateKind, ExpiryReminder, Recertification
from certification.recertification import open_due_recertifications
from certification.tasks import issue_certificate_task
from lms.models import Enrolment, Notice, NoticeKind
from tests.factories import UserFactory

from .test_recertification import VALID_MONTHS, certificate_expiring_in, complete_lessons
from .test_worker_recovery import start_worker, stop, wait_for

pytestmark = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL or not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs a real worker: run with DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…",
)


@pytest.fixture
def expiring_course(tree):
    course = tree.course
    course.certificate_valid_months = VALID_MONTHS
    course.recertification_window_days = 30
    course.save_revision().publish()
    course.refresh_from_db()
    return course


@pytest.mark.django_db(transaction=True)
def test_beat_reminds_once_reopens_once_and_the_new_completion_supersedes_the_old_certificate(
    tree, expiring_course, officer, tmp_path, monkeypatch
):
    old = certificate_expiring_in(officer, expiring_course, 10)
    queue, log = f"recert-{uuid.uuid4().hex}", tmp_path / "worker.log"
    # what this process queues (the completion's issuing task) goes to this test's own worker
    monkeypatch.setitem(issue_certificate_task.app.conf, "task_default_queue", queue)
    beat = {
        "CERTIFICATION_RECERTIFICATION_SECONDS": "2",
        "CERTIFICATION_SWEEP_SECONDS": "3",
        "CERTIFICATION_SWEEP_GRACE_SECONDS": "5",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    worker = start_worker(queue, log, beat=beat)
    try:
        opened = wait_for(lambda: ExpiryReminder.objects.exists() and Recertification.objects.exists(), seconds=90)
        assert opened, log.read_text()
        time.sleep(8)  # several more beat runs: nothing is sent or reopened twice
        assert list(ExpiryReminder.objects.values_list("days_before", "emailed")) == [(30, True)]
        assert Recertification.objects.count() == 1
        assert Notice.objects.filter(kind=NoticeKind.CERTIFICATE_EXPIRING).count() == 1
        enrolment = Enrolment.objects.get(pk=old.enrolment_id)
        assert enrolment.cycle == 2 and not enrolment.is_completed

        complete_lessons(officer, tree.lessons)  # commits; course_completed queues the task to the worker
        arrived = wait_for(lambda: Certificate.objects.filter(replaces=old).exists(), seconds=90)
        assert arrived, log.read_text()
        time.sleep(7)  # the sweep ran meanwhile: it finds nothing lacking
        new = Certificate.objects.get(replaces=old)
        old.refresh_from_db()
        assert new.kind == CertificateKind.RECERTIFICATION and new.cycle == 2
        assert old.superseded_at is not None and not old.is_revoked
        assert Certificate.objects.filter(user=officer).count() == 2
        assert new.pdf.read().startswith(b"%PDF")
    finally:
        stop(worker)


def _at_once(function, runs: int = 2) -> list:
    """Run ``function`` in ``runs`` threads released together, each on its own database connection."""
    barrier, results = threading.Barrier(runs), []

    def run():
        barrier.wait()
        try:
            results.append(function())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_at_once_send_each_reminder_once_and_reopen_once(expiring_course, officer):
    assert connection.vendor == "postgresql"
    certificates = [
        certificate_expiring_in(user, expiring_course, 12)
        for user in [officer, *(UserFactory(email=f"learner{n}@example.gov.bd") for n in range(3))]
    ]
    mail.outbox.clear()
    assert sum(_at_once(send_expiry_reminders)) == len(certificates)
    assert ExpiryReminder.objects.count() == len(certificates) and len(mail.outbox) == len(certificates)
    later = timezone.now() + timedelta(days=6)  # 6 days left: the 7-day reminder, once each
    assert sum(_at_once(lambda: send_expiry_reminders(now=later))) == len(certificates)
    assert len(mail.outbox) == 2 * len(certificates)
    assert sum(_at_once(open_due_recertifications)) == len(certificates)
    assert Recertification.objects.count() == len(certificates)
    assert set(Enrolment.objects.values_list("cycle", flat=True)) == {2}
