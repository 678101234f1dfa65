"""The progress stored on an enrolment: percent, score, status and the last lesson.

Every learning record updates these numbers in the same transaction as the record itself, so a page
reads where a learner stands from the enrolment row instead of rescanning every record. The
arithmetic is ``completion.course_progress``; this module only counts and stores.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import NotEnrolled
from ..models import ActivityScore, Enrolment, EnrolmentStatus, LessonProgress
from ..signals import course_completed
from .completion import course_progress
from .structure import CourseStructure


def not_enrolled() -> NotEnrolled:
    return NotEnrolled(
        _("Enrol in this course first: your progress is only recorded in courses you are enrolled in."),
        code="not_enrolled",
    )


def locked_enrolment(*, user: AbstractBaseUser, course_id: int) -> Enrolment:
    """The learner's enrolment in a course (its source copy's id), locked for this transaction."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course")
        .filter(user=user, course_id=course_id)
        .first()
    )
    if enrolment is None:
        raise not_enrolled()
    return enrolment


def refresh_progress(*, enrolment: Enrolment, structure: CourseStructure, last_lesson_id: int) -> None:
    """Store percent, score, status and last lesson; queue the signal if this completes the course.

    Both counts come from one query over the learner's own rows for this course's current lessons
    and activities, so a lesson made optional or unpublished stops counting at once.
    """
    required = structure.required_lesson_ids
    activity_ids = structure.activity_ids
    counts = (
        Enrolment.objects.filter(pk=enrolment.pk)
        .annotate(
            lessons_done=Subquery(
                LessonProgress.objects.filter(
                    enrolment=OuterRef("pk"), lesson_id__in=required, completed_at__isnull=False
                )
                .order_by()
                .values("enrolment")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            score_total=Subquery(
                ActivityScore.objects.filter(enrolment=OuterRef("pk"), block_id__in=activity_ids)
                .order_by()
                .values("enrolment")
                .annotate(total=Sum("score_scaled"))
                .values("total")
            ),
        )
        .values("lessons_done", "score_total")
        .get()
    )
    progress = course_progress(
        lessons_done=counts["lessons_done"] or 0,
        required_lessons=len(required),
        score_total=counts["score_total"],
        activities=len(activity_ids),
        passing_score=structure.passing_score,
    )

    now = timezone.now()
    before = (enrolment.progress_percent, enrolment.score_scaled, enrolment.status, enrolment.last_lesson_id)
    enrolment.last_lesson_id = last_lesson_id
    enrolment.progress_percent = progress.percent
    enrolment.score_scaled = progress.score
    newly_completed = progress.complete and enrolment.completed_at is None
    if newly_completed:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = now
    elif enrolment.status == EnrolmentStatus.ENROLLED:
        enrolment.status = EnrolmentStatus.IN_PROGRESS
    after = (enrolment.progress_percent, enrolment.score_scaled, enrolment.status, enrolment.last_lesson_id)
    if enrolment.started_at is None or before != after:
        enrolment.started_at = enrolment.started_at or now
        enrolment.save(
            update_fields=["progress_percent", "score_scaled", "started_at", "status", "completed_at", "last_lesson"]
        )
    if newly_completed:
        transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))
