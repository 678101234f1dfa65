"""Endpoints without a language prefix: learning records the site's pages post (``lms:`` names)."""

from django.urls import path

from . import views

app_name = "lms"

urlpatterns = [
    path("statements/", views.statements, name="statements"),
    path(
        "h5p-state/<int:lesson_id>/<str:block_id>/<str:content_id>/<str:data_type>/<str:sub_content_id>/",
        views.h5p_state,
        name="h5p_state",
    ),
]
