"""The files the H5P player loads: libraries by ``machineName-major.minor``, activities by their uuid."""

from django.urls import path

from . import views

app_name = "h5p"
urlpatterns = [
    path("player.css", views.player_stylesheet, name="player-css"),
    path("libraries/<str:folder>/<path:path>", views.library_file, name="library-file"),
    path("content/<uuid:uuid>/<path:path>", views.content_file, name="content-file"),
]
