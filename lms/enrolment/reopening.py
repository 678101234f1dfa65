"""Reopening a course for a learner who must take it again: recertification.

lms knows nothing about certificates. The app that does decides when a learner must take a course
again (their certificate is about to expire) and asks here; the completion that follows is an
ordinary completion, announced by the ``course_completed`` signal as every completion is.

A completed enrolment starts a new *cycle*: its stored progress (percent, score, status, dates) and
the derived records that completion counts (lesson completions, activities' counting scores, the H5P
activities' saved state) are cleared, so the course is completed again by the same rule as the
first time. The attempts themselves (activity results, xAPI statements) stay, as the learner's
history. The reopened enrolment is due on the date given (the certificate's expiry), so an
organisation's reports and the learner's dashboard show it due, and overdue once that date passes.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from courses.models import CoursePage

from ..models import ActivityScore, Enrolment, EnrolmentSource, EnrolmentStatus, H5PState, LessonProgress, NoticeKind
from ..notices.services import record_notice
from .services import course_identity, enrol


def cycle_key(enrolment: Enrolment) -> str:
    """What tells the notices of an enrolment's later cycles apart from its first one's."""
    return "" if enrolment.cycle == 1 else str(enrolment.cycle)


def _start_new_cycle(enrolment: Enrolment, *, due_on: date) -> None:
    ActivityScore.objects.filter(enrolment=enrolment).delete()
    H5PState.objects.filter(enrolment=enrolment).delete()
    LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).update(completed_at=None)
    enrolment.cycle += 1
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.progress_percent = 0
    enrolment.score_scaled = None
    enrolment.started_at = None
    enrolment.completed_at = None
    enrolment.due_on = due_on
    enrolment.save(
        update_fields=["cycle", "status", "progress_percent", "score_scaled", "started_at", "completed_at", "due_on"]
    )


@transaction.atomic
def reopen_course(*, user: AbstractBaseUser, course: CoursePage, due_on: date) -> Enrolment:
    """Open ``course`` (any of its copies) to ``user`` again, to be completed by ``due_on``.

    - enrolled and completed: a new cycle begins (see above);
    - enrolled, not completed: the enrolment keeps its progress and is due by ``due_on`` at the latest;
    - not enrolled (a refresher course): enrolled by the one enrolment rule, whose refusal
      (``EnrolmentRefused``: not published, prerequisites missing, ...) is raised and changes nothing.

    The learner is told once per cycle (an in-site notice). Callers make sure they ask once per reason:
    each call on a completed enrolment starts another cycle.
    """
    course = course_identity(course)
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None:
        enrolment = enrol(user=user, course=course, source=EnrolmentSource.RECERTIFICATION)
        Enrolment.objects.filter(pk=enrolment.pk).update(due_on=due_on)
        enrolment.due_on = due_on
    elif enrolment.is_completed:
        _start_new_cycle(enrolment, due_on=due_on)
    elif enrolment.due_on is None or enrolment.due_on > due_on:
        enrolment.due_on = due_on
        enrolment.save(update_fields=["due_on"])
    record_notice(enrolment=enrolment, kind=NoticeKind.RECERTIFICATION, key=cycle_key(enrolment), on_date=due_on)
    return enrolment
