"""The admin's pack import: upload, a preview of what will be created or updated and who signed it
(with a confirmation for a signer the site does not trust), then the import. Administrators only:
a pack can create and publish whole courses.

The uploaded pack waits in storage under a random name between the two steps and is deleted after
the import or a refusal; a pending pack older than a day is deleted when the next one arrives.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..archives import PackageRefused
from ..h5p.services import remove_empty_parents
from .importing import import_pack, plan_import
from .reading import limits, open_pack

PENDING = "course-packs/pending"


class UploadForm(forms.Form):
    pack = forms.FileField(
        label=gettext_lazy("Course pack"),
        help_text=gettext_lazy("A .zip written by export_course on this or another site."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )

    def clean_pack(self):
        pack = self.cleaned_data["pack"]
        limit = limits().max_package_bytes
        if pack.size > limit:
            raise forms.ValidationError(
                _("%(name)s: the package is larger than %(limit)d bytes") % {"name": pack.name, "limit": limit}
            )
        return pack


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the pages at once"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise every page lands as a draft in the accreditation review. Pages that were drafts where "
            "the pack was made stay drafts."
        ),
    )
    trust_signer = forms.BooleanField(
        label=gettext_lazy("I know this signer and accept this pack"),
        required=False,
        help_text=gettext_lazy("This site does not list the signer's key among its trusted signers."),
    )

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not token.isalnum() or not default_storage.exists(pending_name(token)):
            raise forms.ValidationError(_("This upload has expired: upload the pack again."))
        return token


def pending_name(token: str) -> str:
    return f"{PENDING}/{token}.zip"


def _forget_stale() -> None:
    try:
        _directories, files = default_storage.listdir(PENDING)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    cutoff = timezone.now() - timedelta(days=1)
    for name in files:
        try:
            if default_storage.get_modified_time(f"{PENDING}/{name}") < cutoff:
                default_storage.delete(f"{PENDING}/{name}")
        except (NotImplementedError, OSError):
            continue


def administrators_only(view):
    """A plain 403 (Wagtail's admin turns PermissionDenied into a redirect home, which hides the refusal)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_superuser:
            return HttpResponseForbidden(_("Only administrators may import course packs."))
        return view(request, *args, **kwargs)

    return guarded


def _discard(name: str) -> None:
    default_storage.delete(name)
    remove_empty_parents([name])


def _refused(request, exc: PackageRefused):
    """The upload form again, with every problem by name; nothing was kept."""
    context = {"form": UploadForm(), "problems": [str(problem) for problem in exc.problems]}
    return TemplateResponse(request, "courses/packs_admin/upload.html", context, status=400)


@administrators_only
def upload(request):
    """Step one: check the pack completely (everything but the signer's trust) and show what it would do."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "courses/packs_admin/upload.html", {"form": form}, status=status)
    _forget_stale()
    token = secrets.token_hex(16)
    stored = default_storage.save(pending_name(token), form.cleaned_data["pack"])
    try:
        with default_storage.open(stored, "rb") as handle:
            plan = plan_import(open_pack(handle, name=form.cleaned_data["pack"].name, trust=True))
    except PackageRefused as exc:
        _discard(stored)
        return _refused(request, exc)
    confirm = ConfirmForm(initial={"token": token})
    if plan.trusted:
        del confirm.fields["trust_signer"]
    return TemplateResponse(
        request,
        "courses/packs_admin/preview.html",
        {"plan": plan, "form": confirm, "name": form.cleaned_data["pack"].name},
    )


@administrators_only
def confirm(request):
    """Step two: import the pack checked in step one (checked again: it is read anew)."""
    if request.method != "POST":
        return redirect("course_packs_admin:upload")
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        context = {"form": UploadForm(), "problems": problems}
        return TemplateResponse(request, "courses/packs_admin/upload.html", context, status=400)
    name = pending_name(form.cleaned_data["token"])
    trust = bool(form.cleaned_data.get("trust_signer"))
    try:
        with default_storage.open(name, "rb") as handle:
            plan = plan_import(open_pack(handle, name=name, trust=True))
        if not plan.trusted and not trust:
            form.add_error("trust_signer", _("Confirm that you accept this signer, or upload another pack."))
            context = {"plan": plan, "form": form}
            return TemplateResponse(request, "courses/packs_admin/preview.html", context, status=400)
        with default_storage.open(name, "rb") as handle:
            result = import_pack(
                handle, name=name, user=request.user, publish=form.cleaned_data["publish"], trust=trust
            )
    except PackageRefused as exc:
        _discard(name)
        return _refused(request, exc)
    _discard(name)
    messages.success(
        request,
        _("Course pack imported: %(created)d page(s) created, %(updated)d updated.")
        % {"created": result.plan.creates, "updated": result.plan.updates},
    )
    if result.courses:
        return redirect(reverse("wagtailadmin_explore", args=[result.courses[0].pk]))
    return redirect("course_packs_admin:upload")
