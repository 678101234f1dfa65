"""The admin page where reviewers and a course's trainers release certificates held for review."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .models import CertificateRelease
from .release import RELEASE_PERMISSION, pending_releases, releasable_courses, release_certificates


class ReleaseFilter(forms.Form):
    course = forms.ModelChoiceField(queryset=None, required=False, label=_("Course"), empty_label=_("All courses"))
    completed_from = forms.DateField(required=False, label=_("Completed on or after"))
    completed_to = forms.DateField(required=False, label=_("Completed on or before"))
    learner = forms.CharField(required=False, max_length=100, label=_("Learner"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = releasable_courses(user=user)
        for field in ("completed_from", "completed_to"):
            self.fields[field].widget = forms.DateInput(attrs={"type": "date"})


def may_use_releases(user) -> bool:
    return user.is_authenticated and (user.has_perm(RELEASE_PERMISSION) or releasable_courses(user=user).exists())


def _refused(request: HttpRequest) -> HttpResponse:
    """403 with the reason (Wagtail would turn PermissionDenied into a redirect to the dashboard)."""
    return TemplateResponse(
        request,
        "certification/admin/releases_refused.html",
        {"header_title": _("Certificate releases"), "page_title": _("Certificate releases")},
        status=403,
    )


@require_http_methods(["GET", "POST"])
def certificate_releases(request: HttpRequest) -> HttpResponse:
    if not may_use_releases(request.user):
        return _refused(request)
    try:
        return _releases(request)
    except PermissionDenied:
        return _refused(request)


def _releases(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    filters = ReleaseFilter(data or None, user=request.user)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    status = 200 if not filters.is_bound or filters.is_valid() else 400
    releases = pending_releases(user=request.user, **{k: v for k, v in criteria.items() if v not in (None, "")})
    if request.method == "POST" and status == 200:
        if request.POST.get("action") == "release_all":
            chosen = list(releases)
        else:
            ids = [value for value in request.POST.getlist("release") if value.isdigit()]
            chosen = list(CertificateRelease.objects.filter(pk__in=ids))
            if len(chosen) != len(set(ids)):
                raise PermissionDenied  # an id that is not a held certificate: nothing is released
        if not chosen:
            messages.error(request, _("Choose the certificates to release."))
        else:
            released = release_certificates(releases=chosen, actor=request.user)  # PermissionDenied: 403
            messages.success(
                request,
                ngettext(
                    "%(count)d certificate released; it is being issued.",
                    "%(count)d certificates released; they are being issued.",
                    released,
                )
                % {"count": released},
            )
        query = {k: v for k, v in request.POST.items() if k in filters.fields and v}
        return redirect(f"{request.path}?{urlencode(query)}" if query else request.path)
    page = Paginator(releases, 100).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "certification/admin/releases.html",
        {
            "page_title": _("Certificates held for release"),
            "header_title": _("Certificates held for release"),
            "filters": filters,
            "page": page,
        },
        status=status,
    )
