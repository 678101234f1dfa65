"""Organisation tools in the Wagtail admin: reports, assignments, enrolling staff. Every object is
looked up within what the signed-in user may see, so a guessed id of someone else's organisation or course is a 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from foundation.numerals import format_date

from ..enrolment.imports import import_enrolments
from ..enrolment.services import assign_course, enrol_member
from ..errors import EnrolmentRefused
from ..models import Organisation
from ..reports.competencies import competency_coverage
from ..reports.exports import EXPORT_FORMATS, csv_response, export_response
from .breakdown import OVERDUE_EXPORT_HEADINGS, overdue_enrolment_rows, sub_unit_rows, unit_learners
from .forms import AssignmentForm, EnrolmentUploadForm, MemberEnrolmentForm
from .selectors import (
    ENROLMENT_EXPORT_HEADINGS,
    AmbiguousMember,
    administered_organisations,
    find_member,
    organisation_enrolment_rows,
    organisation_report,
)

REFUSALS_SESSION_KEY = "lms_enrolment_refusals"


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    return get_object_or_404(administered_organisations(user=request.user), pk=pk)


def organisation_index(request: HttpRequest) -> HttpResponse:
    units = administered_organisations(user=request.user).order_by("path")
    if not units.exists():
        raise Http404
    return TemplateResponse(
        request, "lms/admin/organisation_index.html", {"page_title": _("Organisations"), "units": units}
    )


def organisation_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's figures by course and by sub-unit (each sub-unit opens its own report), and its learners,
    overdue ones first (``?overdue=1`` lists only them), a page at a time."""
    organisation = _organisation(request, pk)
    report = organisation_report(organisation=organisation)
    overdue_only = request.GET.get("overdue") == "1"
    return TemplateResponse(
        request,
        "lms/admin/organisation_report.html",
        {
            "page_title": _("Progress report: %(unit)s") % {"unit": organisation.name},
            "organisation": organisation,
            "parent": organisation.get_parent() if organisation.depth > 1 else None,
            "sub_units": sub_unit_rows(organisation=organisation),
            "learners": unit_learners(
                organisation=organisation, overdue_only=overdue_only, page=request.GET.get("page", 1)
            ),
            "overdue_only": overdue_only,
            **report,
        },
    )


def organisation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    organisation = _organisation(request, pk)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return export_response(
        fmt=fmt,
        filename=f"enrolments-{organisation.code}",
        headings=ENROLMENT_EXPORT_HEADINGS,
        rows=organisation_enrolment_rows(organisation=organisation),
    )


def organisation_overdue_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The unit's overdue enrolments, most overdue first, as CSV or XLSX."""
    organisation = _organisation(request, pk)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return export_response(
        fmt=fmt,
        filename=f"overdue-{organisation.code}",
        headings=OVERDUE_EXPORT_HEADINGS,
        rows=overdue_enrolment_rows(organisation=organisation),
    )


def organisation_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a CSV of staff to enrol; a refused row means nothing is imported, and says why."""
    organisation = _organisation(request, pk)
    form = EnrolmentUploadForm(request.POST or None, request.FILES or None)
    refusals = []
    if request.method == "POST" and form.is_valid():
        result = import_enrolments(organisation=organisation, raw=form.cleaned_data["file"].read())
        if result.ok:
            messages.success(request, _("%(count)d learners enrolled.") % {"count": result.enrolled})
            return redirect("lms_admin:organisation_report", pk=organisation.pk)
        refusals = result.refusals
        request.session[REFUSALS_SESSION_KEY] = {
            "organisation": organisation.pk,
            "rows": [[r.row, r.email, r.course, r.reason] for r in refusals],
        }
    status = 400 if refusals else 200
    return TemplateResponse(
        request,
        "lms/admin/organisation_enrol.html",
        {
            "page_title": _("Enrol staff from a CSV file: %(unit)s") % {"unit": organisation.name},
            "organisation": organisation,
            "form": form,
            "refusals": refusals,
        },
        status=status,
    )


def organisation_refusals(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    stored = request.session.get(REFUSALS_SESSION_KEY) or {}
    if stored.get("organisation") != organisation.pk:
        raise Http404
    return csv_response(
        filename=f"refused-{organisation.code}", headings=["row", "email", "course", "reason"], rows=stored["rows"]
    )


MEMBER_FORM_FIELDS = {"user": "member", "due_on": "due_on", "course": "course"}


def organisation_enrol_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol one member of the unit (or of a sub-unit) through ``enrol_member``, the API's service.

    The member is typed (email, username or mobile number) and looked up among the unit's own members
    only: with thousands of them a list would not do, and someone outside the unit is "not found",
    exactly like someone who does not exist."""
    organisation = _organisation(request, pk)
    form = MemberEnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = find_member(organisation=organisation, identifier=data["member"])
        except AmbiguousMember:
            user = None
            form.add_error("member", _("Several members have this email; enter the username instead."))
        else:
            if user is None:
                form.add_error(
                    "member",
                    _("No member of %(unit)s or its units has this email, username or mobile number.")
                    % {"unit": organisation.name},
                )
        if user is not None:
            try:
                enrolment = enrol_member(
                    organisation=organisation,
                    user=user,
                    course=data["course"],
                    due_on=data["due_on"],
                    enrolled_by=request.user,
                )
            except EnrolmentRefused as exc:
                form.add_error(MEMBER_FORM_FIELDS.get(exc.field), exc.message)
            else:
                name = user.get_full_name() or user.get_username()
                if enrolment.due_on:
                    text = _("%(name)s is enrolled in %(course)s, due %(date)s.") % {
                        "name": name,
                        "course": enrolment.course.title,
                        "date": format_date(enrolment.due_on),
                    }
                else:
                    text = _("%(name)s is enrolled in %(course)s.") % {"name": name, "course": enrolment.course.title}
                messages.success(request, text)
                return redirect("lms_admin:organisation_enrol_member", pk=organisation.pk)
    return TemplateResponse(
        request,
        "lms/admin/organisation_enrol_member.html",
        {
            "page_title": _("Enrol a member: %(unit)s") % {"unit": organisation.name},
            "organisation": organisation,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def organisation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _assignment, created = assign_course(
                organisation=organisation,
                course=form.cleaned_data["course"],
                due_on=form.cleaned_data["due_on"],
                assigned_by=request.user,
            )
        except EnrolmentRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Course assigned; %(count)d learners enrolled.") % {"count": created})
            return redirect("lms_admin:organisation_report", pk=organisation.pk)
    return TemplateResponse(
        request,
        "lms/admin/organisation_assign.html",
        {
            "page_title": _("Assign a course: %(unit)s") % {"unit": organisation.name},
            "organisation": organisation,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def organisation_competencies(request: HttpRequest, pk: int) -> HttpResponse:
    """Competency coverage per unit: of the competencies members' roles need, how many have them."""
    organisation = _organisation(request, pk)
    competencies, coverage = competency_coverage(organisation=organisation, language=get_language())
    return TemplateResponse(
        request,
        "lms/admin/organisation_competencies.html",
        {
            "page_title": _("Competency coverage: %(unit)s") % {"unit": organisation.name},
            "organisation": organisation,
            "competencies": competencies,
            "coverage": coverage,
        },
    )
