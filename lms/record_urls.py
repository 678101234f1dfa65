"""Endpoints without a language prefix: learning records the site's pages post (``lms:`` names)."""

from django.urls import path

from . import views

app_name = "lms"

urlpatterns = [
    path("statements/", views.statements, name="statements"),
]
