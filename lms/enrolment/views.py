"""My learning, and enrolling from a course page."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import CoursePage, LessonPage
from courses.publication import published_for_learners

from ..accounts.views import sign_in_first
from ..enrolment.selectors import attach_certificates, credit_hours_by_year, in_reader_language, learner_enrolments
from ..notices.selectors import unread_notice_count
from ..programmes.selectors import attach_programme_certificates, competency_standing, learner_programmes
from ..services import (
    EnrolmentRefused,
    enrol,
)


def dashboard(request: HttpRequest) -> HttpResponse:
    """My learning: assigned and enrolled courses with progress, due dates and where to continue."""
    if not request.user.is_authenticated:
        return sign_in_first(request)
    return render(
        request,
        "lms/dashboard.html",
        {
            "enrolments": attach_certificates(
                in_reader_language(learner_enrolments(user=request.user), get_language()), request=request
            ),
            "credits": credit_hours_by_year(user=request.user),
            "unread_notices": unread_notice_count(user=request.user),
            "programmes": attach_programme_certificates(
                learner_programmes(user=request.user, language=get_language()), request=request
            ),
            "competencies": competency_standing(user=request.user, language=get_language()),
            "today": timezone.localdate(),
        },
    )


@require_POST
def enrol_view(request: HttpRequest, course_id: int) -> HttpResponse:
    """Enrol from a course page (any language's copy): then on to the copy's first lesson."""
    visible = published_for_learners(CoursePage.objects.all(), user=request.user, session=request.session)
    course = get_object_or_404(visible, pk=course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request=request), login_url=reverse("learner:sign_up"))
    try:
        enrol(user=request.user, course=course, session=request.session)
    except EnrolmentRefused as exc:
        messages.error(request, exc.message)
        return redirect(course.get_url(request=request))
    messages.success(request, _("You are enrolled. Start with the first lesson."))
    lessons = published_for_learners(LessonPage.objects.filter(path__startswith=course.path), user=request.user)
    first = lessons.order_by("path").first()
    return redirect((first or course).get_url(request=request))
