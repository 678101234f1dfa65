"""Marking a lesson without activities as complete: a form that redirects, or JSON for a page's script
(the offline outbox, ``Accept: application/json``)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from courses.models import LessonPage
from courses.publication import published_for_learners

from ..accounts.views import sign_in_first
from ..services import (
    LearningError,
    complete_lesson,
)


@require_POST
def complete_lesson_view(request: HttpRequest, lesson_id: int) -> HttpResponse:
    visible = published_for_learners(LessonPage.objects.all(), user=request.user, session=request.session)
    lesson = get_object_or_404(visible, pk=lesson_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated:
        if wants_json:  # the offline outbox: keep the request until the learner signs in again
            return JsonResponse({"code": "not_signed_in", "message": _("Sign in to record your progress.")}, status=403)
        return sign_in_first(request)
    try:
        enrolment = complete_lesson(user=request.user, lesson=lesson)
    except LearningError as exc:
        if wants_json:
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.error(request, exc.message)
        return redirect(lesson.get_url(request=request))
    if wants_json:
        return JsonResponse({"completed": True, "course_completed": enrolment.is_completed})
    if enrolment.is_completed:
        messages.success(request, _("Lesson complete. You have completed the course!"))
    else:
        messages.success(request, _("Lesson complete."))
    course_path = lesson.path[: -2 * Page.steplen]  # the course copy the learner is reading
    following = (
        published_for_learners(LessonPage.objects.filter(path__startswith=course_path), user=request.user)
        .filter(path__gt=lesson.path)
        .order_by("path")
        .first()
    )
    return redirect((following or lesson).get_url(request=request))
