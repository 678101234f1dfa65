"""Wagtail admin for H5P activities: a snippet listing (and chooser for the lesson block) whose "Add"
is the upload form, the upload's progress and preview pages, and deletion refused while lessons use it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .h5p import admin_views
from .h5p.services import lessons_using
from .models import H5PActivity


class UploadInstead(CreateView):
    """An activity is created by uploading a package, never by filling in fields."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("h5p_admin:upload")


class H5PActivityViewSet(SnippetViewSet):
    model = H5PActivity
    icon = "form"
    menu_label = _("H5P activities")
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = UploadInstead
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


@hooks.register("before_delete_snippet")
def refuse_deleting_activities_in_use(request, instances):
    """Deleting an activity a lesson uses would break the lesson: refuse, naming the lessons."""
    if not instances or not isinstance(instances[0], H5PActivity):
        return None
    for activity in instances:
        lessons = lessons_using(activity)
        if lessons:
            titles = ", ".join(f"{lesson.title} ({lesson.locale.language_code})" for lesson in lessons)
            messages.error(
                request,
                _("“%(title)s” is used in these lessons and cannot be deleted: %(lessons)s")
                % {"title": activity.title, "lessons": titles},
            )
            return redirect(reverse("wagtailsnippets_courses_h5pactivity:list"))
    return None


@hooks.register("after_delete_snippet")
def delete_activity_files(request, instances):
    """The activity's own files go with it; libraries stay, shared by other activities."""
    from django.db import transaction

    from .h5p.services import delete_folder

    for instance in instances:
        if isinstance(instance, H5PActivity):
            transaction.on_commit(lambda folder=instance.folder: delete_folder(folder))
