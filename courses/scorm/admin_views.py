"""Wagtail admin views for SCORM: upload (validated and stored at once), and a preview that records nothing."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..archives import PackageRefused
from ..package_admin import upload_page
from .manifest import limits_from_settings
from .models import ScormPackage
from .services import import_package


class UploadForm(forms.Form):
    package = forms.FileField(
        label=_("SCORM package"),
        help_text=_("A .zip file with imsmanifest.xml at its root (SCORM 1.2 or SCORM 2004)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=255, required=False, help_text=_("Leave empty to use the package's own title.")
    )

    def clean_package(self):
        package = self.cleaned_data["package"]
        limit = limits_from_settings().max_package_bytes
        if package.size > limit:
            raise forms.ValidationError(
                gettext("%(name)s: the package is larger than %(limit)d bytes") % {"name": package.name, "limit": limit}
            )
        return package


@permission_required("courses.add_scormpackage", raise_exception=True)
def upload(request):
    """Upload a package; a refusal comes back on the form, naming each file and rule, with nothing kept."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["package"]
        try:
            package = import_package(
                uploaded.file if hasattr(uploaded, "file") else uploaded,
                name=uploaded.name,
                uploaded_by=request.user,
                title=form.cleaned_data["title"] or None,
            )
        except PackageRefused as exc:
            for problem in exc.problems or [exc]:
                form.add_error("package", str(problem))
        else:
            return redirect("scorm_admin:preview", pk=package.pk)
    status = 400 if request.method == "POST" else 200
    return upload_page(request, form, title=_("Upload a SCORM package"), icon="doc-full-inverse", status=status)


@permission_required("courses.view_scormpackage", raise_exception=True)
def preview(request, pk: int):
    """The package's SCOs, each playable in the admin before placing it in a lesson; nothing is recorded."""
    package = get_object_or_404(ScormPackage, pk=pk)
    return TemplateResponse(request, "courses/scorm_admin/preview.html", {"package": package})
