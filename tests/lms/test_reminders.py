"""Reminders and overdue notices: each sent at most once per assigned enrolment and event.

The rules are exercised by calling the tasks in-process; the last test sends them through the broker
to a real worker process when one is configured (CI), and runs them eagerly otherwise."""

import time
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from lms.models import Enrolment, EnrolmentStatus, Notice, NoticeKind, OrganisationKind
from lms.services import assign_course
from lms.tasks import send_due_reminders, send_overdue_notices

from .factories import member, organisation


def _assigned(tree, *, due_in_days: int, count: int = 2):
    unit = organisation("Cabinet Division", kind=OrganisationKind.DIVISION, code="cabinet")
    learners = [member(unit) for _ in range(count)]
    assign_course(organisation=unit, course=tree.course, due_on=timezone.localdate() + timedelta(days=30))
    Enrolment.objects.update(due_on=timezone.localdate() + timedelta(days=due_in_days))
    return learners


def test_reminders_go_out_once_before_the_due_date(tree):
    learners = _assigned(tree, due_in_days=3)
    done = Enrolment.objects.get(user=learners[1])
    done.status = EnrolmentStatus.COMPLETED
    done.save()
    send_due_reminders()
    send_due_reminders()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learners[0].email]
    assert tree.course.title in message.subject and "Cabinet Division" in message.body
    assert "/en/learning/" in message.body
    assert Notice.objects.filter(kind=NoticeKind.REMINDER).count() == 1
    send_overdue_notices()
    assert len(mail.outbox) == 1  # not overdue yet


def test_no_reminder_long_before_the_due_date(tree):
    _assigned(tree, due_in_days=20)
    assert send_due_reminders() == 0
    assert mail.outbox == []


def test_overdue_notice_once_after_the_due_date(tree):
    learners = _assigned(tree, due_in_days=-1, count=1)
    send_overdue_notices()
    send_overdue_notices()
    send_due_reminders()
    assert [message.to for message in mail.outbox] == [[learners[0].email]]
    assert "Overdue" in mail.outbox[0].subject


def test_self_enrolments_get_no_notices(tree, learner):
    Enrolment.objects.create(user=learner, course=tree.course, due_on=timezone.localdate() - timedelta(days=1))
    assert send_overdue_notices() == 0


def test_tasks_run_in_a_real_worker_when_a_broker_is_configured(page_tree_root, tree, celery_worker_process):
    """With CELERY_BROKER_URL set this goes through Redis to a separate worker process."""
    _assigned(tree, due_in_days=-2, count=2)
    send_overdue_notices.delay()
    send_overdue_notices.delay()
    deadline = time.monotonic() + 30
    while Notice.objects.filter(kind=NoticeKind.OVERDUE).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5 if celery_worker_process else 0)  # let a second, duplicate run finish
    assert Notice.objects.filter(kind=NoticeKind.OVERDUE).count() == 2
