"""Trainers' course reports in the Wagtail admin. A course is looked up among those the
signed-in user may read, so a guessed id of someone else's course is a 404."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..organisations.selectors import ENROLMENT_EXPORT_HEADINGS
from .exports import EXPORT_FORMATS, export_response
from .selectors import course_enrolment_rows, course_funnel, question_results, titled_for_reader, trainer_courses


def course_index(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "lms/admin/course_index.html",
        {
            "page_title": _("Course results"),
            "courses": titled_for_reader(trainer_courses(user=request.user), get_language()),
        },
    )


def course_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(trainer_courses(user=request.user), pk=pk)
    (course,) = titled_for_reader([course], get_language())
    return TemplateResponse(
        request,
        "lms/admin/course_report.html",
        {
            "page_title": _("Results: %(course)s") % {"course": course.reader_title},
            "course": course,
            "funnel": course_funnel(course=course),
            "questions": question_results(course=course),
        },
    )


def course_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    course = get_object_or_404(trainer_courses(user=request.user), pk=pk)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return export_response(
        fmt=fmt,
        filename=f"results-{course.slug}",
        headings=ENROLMENT_EXPORT_HEADINGS,
        rows=course_enrolment_rows(course=course),
    )
