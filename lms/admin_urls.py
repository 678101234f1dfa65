"""The Wagtail admin's learning reports (``lms_admin:`` names), registered by wagtail_hooks."""

from django.urls import path

from . import admin_views

app_name = "lms_admin"

urlpatterns = [
    path("organisations/", admin_views.organisation_index, name="organisation_index"),
    path("organisations/<int:pk>/", admin_views.organisation_report_view, name="organisation_report"),
    path(
        "organisations/<int:pk>/export.<str:fmt>",
        admin_views.organisation_export,
        name="organisation_export",
    ),
    path("organisations/<int:pk>/enrol/", admin_views.organisation_enrol, name="organisation_enrol"),
    path(
        "organisations/<int:pk>/enrol-member/",
        admin_views.organisation_enrol_member,
        name="organisation_enrol_member",
    ),
    path(
        "organisations/<int:pk>/refused.csv",
        admin_views.organisation_refusals,
        name="organisation_refusals",
    ),
    path("organisations/<int:pk>/assign/", admin_views.organisation_assign, name="organisation_assign"),
    path("courses/", admin_views.course_index, name="course_index"),
    path("courses/<int:pk>/", admin_views.course_report_view, name="course_report"),
    path("courses/<int:pk>/export.<str:fmt>", admin_views.course_export, name="course_export"),
]
