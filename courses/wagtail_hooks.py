"""Wagtail admin for H5P activities: a snippet listing (and chooser for the lesson block) whose "Add"
is the upload form, the upload's progress and preview pages, and deletion refused while lessons use it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .h5p import admin_views
from .h5p.services import lessons_using
from .models import H5PActivity, ScormPackage
from .package_admin import UploadInstead
from .packs import admin_views as pack_admin_views
from .scorm import admin_views as scorm_admin_views


class UploadH5PInstead(UploadInstead):
    upload_url_name = "h5p_admin:upload"


class H5PActivityViewSet(SnippetViewSet):
    model = H5PActivity
    icon = "form"
    menu_label = _("H5P activities")
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = UploadH5PInstead
    list_display = ["title", "main_library", "uploaded_at"]
    search_fields = ["title"]


register_snippet(H5PActivityViewSet)

admin_urls = [
    path("upload/", admin_views.upload, name="upload"),
    path("uploads/<int:pk>/", admin_views.progress, name="progress"),
    path("activities/<int:pk>/preview/", admin_views.preview, name="preview"),
]


@hooks.register("register_admin_urls")
def register_h5p_admin_urls():
    return [path("h5p/", include((admin_urls, "h5p_admin")))]


# --- SCORM packages: the same pattern (courses/scorm/) ------------------------------------------


class UploadScormInstead(UploadInstead):
    upload_url_name = "scorm_admin:upload"


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    icon = "doc-full-inverse"
    menu_label = _("SCORM packages")
    menu_order = 251
    add_to_admin_menu = True
    add_view_class = UploadScormInstead
    list_display = ["title", "version", "uploaded_at"]
    search_fields = ["title"]


register_snippet(ScormPackageViewSet)

scorm_admin_urls = [
    path("upload/", scorm_admin_views.upload, name="upload"),
    path("packages/<int:pk>/preview/", scorm_admin_views.preview, name="preview"),
]


@hooks.register("register_admin_urls")
def register_scorm_admin_urls():
    return [path("scorm/", include((scorm_admin_urls, "scorm_admin")))]


def _lessons_using(instance) -> list:
    if isinstance(instance, ScormPackage):
        from .scorm.services import lessons_using as lessons_placing_package

        return lessons_placing_package(instance)
    return lessons_using(instance)


@hooks.register("before_delete_snippet")
def refuse_deleting_activities_in_use(request, instances):
    """Deleting an activity (or SCORM package) a lesson uses would break the lesson: refuse, naming the lessons."""
    if not instances or not isinstance(instances[0], (H5PActivity, ScormPackage)):
        return None
    listing = "wagtailsnippets_courses_scormpackage:list" if isinstance(instances[0], ScormPackage) else None
    for activity in instances:
        lessons = _lessons_using(activity)
        if lessons:
            titles = ", ".join(f"{lesson.title} ({lesson.locale.language_code})" for lesson in lessons)
            messages.error(
                request,
                _("“%(title)s” is used in these lessons and cannot be deleted: %(lessons)s")
                % {"title": activity.title, "lessons": titles},
            )
            return redirect(reverse(listing or "wagtailsnippets_courses_h5pactivity:list"))
    return None


@hooks.register("after_delete_snippet")
def delete_activity_files(request, instances):
    """The activity's own files go with it; libraries stay, shared by other activities."""
    from django.db import transaction

    from .h5p.services import delete_folder

    for instance in instances:
        if isinstance(instance, (H5PActivity, ScormPackage)):
            transaction.on_commit(lambda folder=instance.folder: delete_folder(folder))


# --- course packs (courses/packs/): administrators import a course written on another site ----------

packs_admin_urls = [
    path("", pack_admin_views.upload, name="upload"),
    path("import/", pack_admin_views.confirm, name="confirm"),
]


@hooks.register("register_admin_urls")
def register_pack_admin_urls():
    return [path("course-packs/", include((packs_admin_urls, "course_packs_admin")))]


class AdministratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_pack_menu_item():
    return AdministratorsMenuItem(
        _("Import a course pack"), reverse("course_packs_admin:upload"), icon_name="download", order=252
    )


@hooks.register("insert_global_admin_css")
def admin_fonts_for_bengali_and_dzongkha():
    """Trainers write Bengali (and Dzongkha) in the admin: draw it with the site's fonts, not boxes."""
    return format_html('<link rel="stylesheet" href="{}">', static("courses/admin-fonts.css"))
