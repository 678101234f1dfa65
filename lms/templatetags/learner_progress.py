"""Progress on the course and lesson pages. Courses' templates do not load this library: they call
their own ``{% learning_panel page %}``, and lms's ``learning_panel`` hook renders these tags' templates,
so courses depends on lms neither in code nor in templates.

The page may be any language's copy of the course or lesson: the enrolment and the records are the
course's, and the links lead to the copies in the page's language."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import get_language

from courses.activities import ACTIVITY_BLOCK_TYPES
from courses.identity import copy_for_reader, lesson_identity
from courses.models import CoursePage, LessonPage
from courses.publication import published_for_learners

from ..enrolment.selectors import attach_certificates, course_enrolment
from ..enrolment.services import missing_prerequisites
from ..models import LessonProgress
from ..progress.lessons import enrolment_for_lesson, enrolment_for_request
from ..progress.selectors import completed_lessons, next_lesson_to_do
from ..progress.structure import course_structure

register = template.Library()


@register.inclusion_tag("lms/includes/course_progress.html", takes_context=True)
def course_progress(context, course: CoursePage):
    """Enrol button, or progress bar and a "continue where you left off" link."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    enrolment = course_enrolment(user=user, course=course)
    language = course.locale.language_code if course.locale_id else get_language()
    first_lesson = resume_lesson = None
    missing = []
    if enrolment is None and user.is_authenticated:
        missing = missing_prerequisites(user=user, course=course, language=language)
    if enrolment is not None and not enrolment.is_completed:
        structure = course_structure(course_id=enrolment.course_id)
        target = (
            next_lesson_to_do(
                enrolment=enrolment, lesson_order=structure.lesson_order, done=completed_lessons(enrolment=enrolment)
            )
            if structure
            else None
        )
        if target is not None and enrolment.last_lesson_id is not None:
            resume_lesson = copy_for_reader(LessonPage.objects.get(pk=target), language)
        elif target is not None:
            lessons = published_for_learners(LessonPage.objects.filter(path__startswith=course.path), user=user)
            first_lesson = lessons.order_by("path").first()
    if enrolment is not None:
        attach_certificates([enrolment], request=request)
    return {
        "request": request,
        "user": user,
        "course": course,
        "enrolment": enrolment,
        "first_lesson": first_lesson,
        "resume_lesson": resume_lesson,
        "missing": missing,
    }


@register.inclusion_tag("lms/includes/lesson_progress.html", takes_context=True)
def lesson_progress(context, lesson: LessonPage):
    """ "Mark as complete" for lessons without activities; a note once the lesson is done."""
    request = context.get("request")
    if request is not None:
        enrolment = enrolment_for_request(request=request, lesson=lesson)
    else:
        enrolment = enrolment_for_lesson(user=AnonymousUser(), lesson=lesson)
    completed = enrolment is not None and getattr(enrolment, "lesson_completed", None)
    if enrolment is not None and completed is None:
        completed = LessonProgress.objects.filter(
            enrolment=enrolment, lesson_id=lesson_identity(lesson).source_id, completed_at__isnull=False
        ).exists()
    return {
        "request": request,
        "enrolment": enrolment,
        "lesson": lesson,
        "completed": completed,
        "has_activities": any(block.block_type in ACTIVITY_BLOCK_TYPES for block in lesson.body),
    }
