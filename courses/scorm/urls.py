"""A SCORM package's files, by the package's uuid and their path inside it."""

from django.urls import path

from . import views

app_name = "scorm"
urlpatterns = [path("<uuid:uuid>/<path:path>", views.package_file, name="package-file")]
