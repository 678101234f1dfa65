"""Offline lessons' addresses, outside the language prefix (``offline:`` names); ``/sw.js`` is added
at the root by ``learning_suite.urls``."""

from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    path("session/", views.session, name="session"),
    path("files/<int:page_id>/", views.files, name="files"),
    path("not-saved/<str:language>/", views.not_saved, name="not_saved"),
    path("manifest/<str:language>.webmanifest", views.manifest, name="manifest"),
]
