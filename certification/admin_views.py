"""Wagtail admin pages for certificates: find one, revoke or re-issue it, and read the audit log.

Revoking and re-issuing need the ``certification.change_certificate`` permission; reading the
audit log needs ``certification.view_auditentry``. The audit log has no edit or delete view at all.
"""

import contextlib
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .bulk_download import (
    certificates_zip,
    course_certificates,
    downloadable_courses,
    downloadable_units,
    unit_certificates,
)
from .models import Certificate
from .selectors import audit_log
from .services import CertificateStateError, reissue_certificate, revoke_certificate


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReissueForm(forms.Form):
    recipient_name = forms.CharField(label=gettext_lazy("Name as it should be printed"), max_length=300)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@permission_required("certification.change_certificate", raise_exception=True)
def certificate_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    certificates = Certificate.objects.select_related("issuer", "user").order_by("-issued_at")
    if query:
        condition = Q(recipient_name__icontains=query) | Q(course_title__icontains=query)
        with contextlib.suppress(ValueError):  # not an id: search names and titles only
            condition |= Q(pk=uuid.UUID(query))
        certificates = certificates.filter(condition)
    page = Paginator(certificates, 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "certification/admin/index.html", {"page": page, "query": query})


@permission_required("certification.change_certificate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def certificate_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("issuer", "replaced_by", "replaces"), pk=pk)
    revoke_form = RevokeForm(prefix="revoke")
    reissue_form = ReissueForm(prefix="reissue", initial={"recipient_name": certificate.recipient_name})
    status, errors = 200, []
    if request.method == "POST":
        action = request.POST.get("action")
        form = (
            RevokeForm(request.POST, prefix="revoke")
            if action == "revoke"
            else ReissueForm(request.POST, prefix="reissue")
        )
        if form.is_valid():
            try:
                if action == "revoke":
                    revoke_certificate(certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user)
                    messages.success(request, _("The certificate is revoked."))
                    return redirect("certification_admin:detail", pk=certificate.pk)
                new = reissue_certificate(
                    certificate=certificate,
                    reason=form.cleaned_data["reason"],
                    recipient_name=form.cleaned_data["recipient_name"],
                    actor=request.user,
                )
                messages.success(request, _("A corrected certificate was issued; the old one is revoked."))
                return redirect("certification_admin:detail", pk=new.pk)
            except CertificateStateError as exc:
                form.add_error(None, str(exc))
        status, errors = 400, form.non_field_errors()
        if action == "revoke":
            revoke_form = form
        else:
            reissue_form = form
    return TemplateResponse(
        request,
        "certification/admin/detail.html",
        {
            "certificate": certificate,
            "revoke_form": revoke_form,
            "reissue_form": reissue_form,
            "errors": errors,
            "entries": certificate.audit_entries.select_related("actor"),
        },
        status=status,
    )


@permission_required("certification.view_auditentry", raise_exception=True)
def audit_log_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(audit_log(), 100).get_page(request.GET.get("p"))
    return TemplateResponse(request, "certification/admin/audit_log.html", {"page": page})


def certificate_downloads(request: HttpRequest) -> HttpResponse:
    """Links to the ZIP of each unit's (and, for certificate admins, each course's) certificates."""
    units, courses = downloadable_units(user=request.user), downloadable_courses(user=request.user)
    if not units.exists() and not courses.exists():
        raise Http404
    return TemplateResponse(
        request,
        "certification/admin/downloads.html",
        {"page_title": _("Certificate downloads"), "units": units, "courses": courses},
    )


def _zip_response(certificates, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(certificates_zip(certificates=certificates), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}.zip"'
    response["Cache-Control"] = "no-store"
    return response


def unit_certificates_zip(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    found = unit_certificates(user=request.user, organisation_id=pk)
    if found is None:
        raise Http404
    organisation, certificates = found
    return _zip_response(certificates, f"certificates-{organisation.code}")


def course_certificates_zip(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    found = course_certificates(user=request.user, course_id=pk)
    if found is None:
        raise Http404
    course, certificates = found
    return _zip_response(certificates, f"certificates-{course.slug}")
