"""Progress on the course and lesson pages. Courses' templates do not load this library: they call
their own ``{% learning_panel page %}``, and lms's ``learning_panel`` hook renders these tags' templates,
so courses depends on lms neither in code nor in templates."""

from django import template
from django.contrib.auth.models import AnonymousUser

from courses.activities import ACTIVITY_BLOCK_TYPES
from courses.models import CoursePage, LessonPage

from ..models import LessonProgress
from ..selectors import course_enrolment
from ..services import enrolment_for_lesson, missing_prerequisites

register = template.Library()


@register.inclusion_tag("lms/includes/course_progress.html", takes_context=True)
def course_progress(context, course: CoursePage):
    """Enrol button, or progress bar and a "continue where you left off" link."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    enrolment = course_enrolment(user=user, course=course)
    first_lesson = None
    missing = []
    if enrolment is None and user.is_authenticated:
        missing = missing_prerequisites(user=user, course=course)
    if enrolment is not None and enrolment.last_lesson is None:
        first_lesson = LessonPage.objects.live().public().filter(path__startswith=course.path).order_by("path").first()
    return {
        "request": request,
        "user": user,
        "course": course,
        "enrolment": enrolment,
        "first_lesson": first_lesson,
        "missing": missing,
    }


@register.inclusion_tag("lms/includes/lesson_progress.html", takes_context=True)
def lesson_progress(context, lesson: LessonPage):
    """ "Mark as complete" for lessons without activities; a note once the lesson is done."""
    request = context.get("request")
    enrolment = enrolment_for_lesson(user=getattr(request, "user", None) or AnonymousUser(), lesson=lesson)
    completed = (
        enrolment is not None
        and LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson, completed_at__isnull=False).exists()
    )
    has_activities = any(block.block_type in ACTIVITY_BLOCK_TYPES for block in lesson.body)
    return {
        "request": request,
        "enrolment": enrolment,
        "lesson": lesson,
        "completed": completed,
        "has_activities": has_activities,
    }
