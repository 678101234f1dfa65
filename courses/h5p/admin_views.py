"""Wagtail admin views for H5P: upload (validated, extracted by a Celery task), its progress, a preview."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..package_admin import upload_page
from .models import H5PActivity, H5PUpload
from .services import queue_upload
from .validation import limits_from_settings


class UploadForm(forms.Form):
    package = forms.FileField(
        label=_("H5P package"),
        help_text=_("An .h5p file exported from h5p.org, Lumi or another H5P editor."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=255, required=False, help_text=_("Leave empty to use the package's own title.")
    )

    def clean_package(self):
        package = self.cleaned_data["package"]
        limit = limits_from_settings().max_package_bytes
        if package.size > limit:
            raise forms.ValidationError(
                _("%(name)s: the package is larger than %(limit)d bytes") % {"name": package.name, "limit": limit}
            )
        return package


@permission_required("courses.add_h5pactivity", raise_exception=True)
def upload(request):
    """Upload a package. Under the embedded default the task has run by the time this view answers, so a
    refusal comes back on the form itself, naming each file and rule, with nothing kept."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        queued = queue_upload(
            file=form.cleaned_data["package"], uploaded_by=request.user, title=form.cleaned_data["title"]
        )
        queued.refresh_from_db()
        if queued.status == H5PUpload.Status.REFUSED:
            for problem in queued.message.split("; "):
                form.add_error("package", problem)
            queued.delete()
            return upload_page(request, form, title=_("Upload an H5P activity"), icon="form", status=400)
        return redirect("h5p_admin:progress", pk=queued.pk)
    status = 400 if request.method == "POST" else 200
    return upload_page(request, form, title=_("Upload an H5P activity"), icon="form", status=status)


@permission_required("courses.add_h5pactivity", raise_exception=True)
def progress(request, pk: int):
    """How far the upload has got; the page refreshes itself until the task has finished."""
    queued = get_object_or_404(H5PUpload, pk=pk, uploaded_by=request.user)
    finished = queued.status in {H5PUpload.Status.DONE, H5PUpload.Status.REFUSED}
    problems = queued.message.split("; ") if queued.status == H5PUpload.Status.REFUSED else []
    return TemplateResponse(
        request,
        "courses/h5p_admin/progress.html",
        {"upload": queued, "finished": finished, "problems": problems},
    )


@permission_required("courses.view_h5pactivity", raise_exception=True)
def preview(request, pk: int):
    """Play the activity in the admin before placing it in a lesson; nothing is recorded."""
    activity = get_object_or_404(H5PActivity, pk=pk)
    return TemplateResponse(request, "courses/h5p_admin/preview.html", {"activity": activity})
