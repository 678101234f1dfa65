"""The learner's pages, under the language prefix (``learner:`` names)."""

from django.urls import path

from . import views

app_name = "learner"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("join/", views.sign_up_view, name="sign_up"),
    path("sign-in/", views.sign_in_view, name="sign_in"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("courses/<int:course_id>/enrol/", views.enrol_view, name="enrol"),
    path("lessons/<int:lesson_id>/complete/", views.complete_lesson_view, name="complete_lesson"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("privacy/my-data.json", views.data_export_view, name="data_export"),
]
