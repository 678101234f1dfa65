"""A learner and a lesson: opening it, marking it done, answering its knowledge checks.

A lesson is the same lesson in every language: whichever copy the learner opens, the visit and the
completion are recorded against the source lesson of the course they are enrolled in.
"""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.activities import activity_iri
from courses.identity import language_code_of
from courses.models import LessonPage

from ..errors import LearningError, UnknownActivity
from ..models import ActivityResult, Enrolment, EnrolmentStatus, LessonProgress
from .recording import record_activity_result
from .stored import locked_enrolment, refresh_progress
from .structure import CourseStructure, source_course_of_lesson, structure_for_lesson


def enrolment_for_lesson(*, user: AbstractBaseUser, lesson: Page) -> Enrolment | None:
    """The learner's enrolment in the course of a lesson (of any copy), or None."""
    if not user.is_authenticated:
        return None
    course_id = source_course_of_lesson(lesson.pk)
    if course_id is None:
        return None
    return Enrolment.objects.filter(user=user, course_id=course_id).first()


def _language_of(lesson: Page) -> str:
    return language_code_of(lesson.locale_id)


def record_lesson_visit(*, user: AbstractBaseUser, lesson: LessonPage, request=None) -> Enrolment | None:
    """Remember the lesson as where the learner left off, and the language they read it in.

    Outside an enrolment nothing is recorded; a visit that changes nothing (the same lesson again,
    in the same language) writes nothing either, so reading a lesson is a read. The enrolment, with
    ``lesson_completed`` (whether this lesson is done), is kept on ``request`` for the rest of the page
    (``enrolment_for_request``)."""
    structure = structure_for_lesson(lesson) if user.is_authenticated else None
    source = structure.source_lesson(lesson.pk) if structure else None
    if source is None:
        return None
    done = LessonProgress.objects.filter(enrolment=OuterRef("pk"), lesson_id=source, completed_at__isnull=False)
    enrolment = (
        Enrolment.objects.filter(user=user, course_id=structure.course_id)
        .annotate(lesson_completed=Exists(done))
        .first()
    )
    if request is not None:
        request._lms_lesson_enrolment = (lesson.pk, enrolment)
    if enrolment is None:
        return None
    language = _language_of(lesson)
    unchanged = (
        enrolment.last_lesson_id == source
        and enrolment.language == language
        and enrolment.started_at is not None
        and enrolment.status != EnrolmentStatus.ENROLLED
    )
    if unchanged:
        return enrolment
    with transaction.atomic():
        LessonProgress.objects.get_or_create(enrolment=enrolment, lesson_id=source)
        changes = {"last_lesson_id": source, "started_at": enrolment.started_at or timezone.now(), "language": language}
        if enrolment.status == EnrolmentStatus.ENROLLED:
            changes["status"] = EnrolmentStatus.IN_PROGRESS
        Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
        for name, value in changes.items():
            setattr(enrolment, name, value)
    return enrolment


def enrolment_for_request(*, request, lesson: Page) -> Enrolment | None:
    """The learner's enrolment for this lesson's course, as the visit found it earlier in this request
    (no query), else from the database."""
    cached = getattr(request, "_lms_lesson_enrolment", None)
    if cached is not None and cached[0] == lesson.pk:
        return cached[1]
    user = getattr(request, "user", None)
    return enrolment_for_lesson(user=user, lesson=lesson) if user is not None else None


def complete_lesson(*, user: AbstractBaseUser, lesson: LessonPage) -> Enrolment:
    """Mark a lesson without activities as done; lessons with activities complete by answering them."""
    structure: CourseStructure | None = structure_for_lesson(lesson) if lesson.live else None
    source = structure.source_lesson(lesson.pk) if structure else None
    if source is None:
        raise UnknownActivity(_("This lesson is not published."), code="lesson_not_published")
    with transaction.atomic():
        enrolment = locked_enrolment(user=user, course_id=structure.course_id)
        if structure.activities_by_lesson.get(source):
            raise LearningError(_("Answer the questions of this lesson to complete it."), code="lesson_has_activities")
        progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson_id=source)
        if progress.completed_at is None:
            progress.completed_at = timezone.now()
            progress.save(update_fields=["completed_at", "last_visited_at"])
        refresh_progress(enrolment=enrolment, structure=structure, last_lesson_id=source)
    return enrolment


def record_knowledge_check_answer(
    *,
    user: AbstractBaseUser,
    lesson: LessonPage,
    block_id: str,
    correct: bool,
    choice: int | None = None,
    event_id: str | None = None,
) -> ActivityResult | None:
    """The site's own knowledge-check form, as an activity result for an enrolled learner, with the
    chosen answer as its response (a revisited check shows it).

    Not enrolled, or not signed in: the answer is still marked on the page, but nothing is recorded.
    """
    if not user.is_authenticated or enrolment_for_lesson(user=user, lesson=lesson) is None:
        return None
    return record_activity_result(
        user=user,
        activity_iri=activity_iri(lesson_id=lesson.pk, block_id=block_id),
        event_id=event_id or str(uuid.uuid4()),
        score_raw=1 if correct else 0,
        score_max=1,
        success=correct,
        completion=True,
        response="" if choice is None else str(choice),
    )
