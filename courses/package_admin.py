"""What the admin pages of content packages (H5P activities, SCORM packages) share: the upload page,
and the snippet "Add" button that leads to it, since a package is added by uploading it, never by
filling in fields."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.snippets.views.snippets import CreateView


def upload_page(request, form, *, title: str, icon: str, status: int) -> TemplateResponse:
    # Not "icon": the field template included below would draw it inside every form field.
    context = {"form": form, "title": title, "header_icon": icon}
    return TemplateResponse(request, "courses/admin/package_upload.html", context, status=status)


class UploadInstead(CreateView):
    """The snippet's add view: a redirect to the package's upload page (``upload_url_name``)."""

    upload_url_name = ""

    def dispatch(self, request, *args, **kwargs):
        return redirect(self.upload_url_name)
