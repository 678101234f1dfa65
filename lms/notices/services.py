"""What a learner is told about their courses: an assignment, a due date coming, a due date passed, a
certificate issued. Each kind is told once per enrolment (a unique row): in the site's list of
notices always, and by email for reminders and overdue notices when the learner has an email
address, in the language they study the course in."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Value, When
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.activities import site_origin
from courses.identity import copy_for_reader

from ..conf import lms_settings
from ..models import (
    Enrolment,
    EnrolmentStatus,
    Notice,
    NoticeKind,
)

# --- reminders ---------------------------------------------------------------------------------


def _cycle_key():
    """The notice key of an enrolment's current cycle, as a query expression (``reopening.cycle_key``)."""
    return Case(When(cycle=1, then=Value("")), default=Cast("cycle", CharField()), output_field=CharField())


def _not_told(enrolments, kind: str):
    """The enrolments not yet sent a notice of ``kind`` in their current cycle."""
    told = Notice.objects.filter(enrolment=OuterRef("pk"), kind=kind, key=OuterRef("notice_key"))
    return enrolments.annotate(notice_key=_cycle_key()).exclude(Exists(told))


def _send_notices(*, kind: str, enrolments, subject: str, template: str) -> int:
    """Record one notice per enrolment and email it where the learner has an address, each at most once:
    the Notice row is written in the same transaction as the send, and its unique constraint turns a
    second attempt into a no-op. Returns how many emails went out."""
    sent = 0
    for enrolment in enrolments.select_related("user", "course", "assignment__organisation").iterator():
        email = enrolment.user.email
        try:
            with transaction.atomic():
                Notice.objects.create(enrolment=enrolment, kind=kind, key=enrolment.notice_key, emailed=bool(email))
                if email:
                    language = enrolment.language or settings.LANGUAGE_CODE
                    with translation.override(language):
                        course = copy_for_reader(enrolment.course, language)
                        context = {"enrolment": enrolment, "course": course, "site_url": site_origin()}
                        body = render_to_string(template, context)
                        send_mail(subject % {"course": course.title}, body, None, [email])
        except IntegrityError:
            continue
        sent += bool(email)
    return sent


def record_notice(*, enrolment: Enrolment, kind: str, key: str = "", on_date: date | None = None) -> bool:
    """Tell the learner something about an enrolment in the site's list of notices, once per kind and
    key; True when it is new."""
    try:
        with transaction.atomic():
            Notice.objects.create(enrolment=enrolment, kind=kind, key=key, on_date=on_date)
    except IntegrityError:
        return False
    return True


def record_assignment_notices(*, enrolment_ids) -> int:
    """The "assigned" notice of each enrolment an assignment created (one query)."""
    created = Notice.objects.bulk_create(
        [Notice(enrolment_id=pk, kind=NoticeKind.ASSIGNED) for pk in enrolment_ids], ignore_conflicts=True
    )
    return len(created)


def mark_notices_read(*, user) -> int:
    """The learner has seen their notices."""
    return Notice.objects.filter(enrolment__user=user, read_at__isnull=True).update(read_at=timezone.now())


def _assigned_and_unfinished():
    return Enrolment.objects.filter(assignment__isnull=False, due_on__isnull=False, user__is_active=True).exclude(
        status=EnrolmentStatus.COMPLETED
    )


def send_due_reminders(*, today: date | None = None) -> int:
    """Remind learners of assigned courses due within ``LMS_REMINDER_DAYS`` days."""
    today = today or timezone.localdate()
    days = lms_settings.LMS_REMINDER_DAYS
    enrolments = _not_told(
        _assigned_and_unfinished().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days)),
        NoticeKind.REMINDER,
    )
    return _send_notices(
        kind=NoticeKind.REMINDER,
        enrolments=enrolments,
        subject=_("Reminder: %(course)s is due soon"),
        template="lms/email/reminder.txt",
    )


def send_overdue_notices(*, today: date | None = None) -> int:
    """Tell learners once that an assigned course is past its due date."""
    today = today or timezone.localdate()
    enrolments = _not_told(_assigned_and_unfinished().filter(due_on__lt=today), NoticeKind.OVERDUE)
    return _send_notices(
        kind=NoticeKind.OVERDUE,
        enrolments=enrolments,
        subject=_("Overdue: %(course)s"),
        template="lms/email/overdue.txt",
    )
