"""The Wagtail admin's learning reports (``lms_admin:`` names), registered by wagtail_hooks."""

from django.urls import path

from .organisations import admin_views as organisation_views
from .reports import admin_views as report_views

app_name = "lms_admin"

urlpatterns = [
    path("organisations/", organisation_views.organisation_index, name="organisation_index"),
    path("organisations/<int:pk>/", organisation_views.organisation_report_view, name="organisation_report"),
    path(
        "organisations/<int:pk>/export.<str:fmt>",
        organisation_views.organisation_export,
        name="organisation_export",
    ),
    path(
        "organisations/<int:pk>/overdue.<str:fmt>",
        organisation_views.organisation_overdue_export,
        name="organisation_overdue_export",
    ),
    path(
        "organisations/<int:pk>/competencies/",
        organisation_views.organisation_competencies,
        name="organisation_competencies",
    ),
    path("organisations/<int:pk>/enrol/", organisation_views.organisation_enrol, name="organisation_enrol"),
    path(
        "organisations/<int:pk>/enrol-member/",
        organisation_views.organisation_enrol_member,
        name="organisation_enrol_member",
    ),
    path(
        "organisations/<int:pk>/refused.csv",
        organisation_views.organisation_refusals,
        name="organisation_refusals",
    ),
    path("organisations/<int:pk>/assign/", organisation_views.organisation_assign, name="organisation_assign"),
    path("courses/", report_views.course_index, name="course_index"),
    path("courses/<int:pk>/", report_views.course_report_view, name="course_report"),
    path("courses/<int:pk>/export.<str:fmt>", report_views.course_export, name="course_export"),
]
