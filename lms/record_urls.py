"""Endpoints without a language prefix: learning records the site's pages post (``lms:`` names)."""

from django.urls import path

from .h5p_state import views as h5p_state_views
from .scorm_runtime import views as scorm_views
from .statements import views as statements_views

app_name = "lms"

urlpatterns = [
    path("statements/", statements_views.statements, name="statements"),
    path(
        "h5p-state/<int:lesson_id>/<str:block_id>/<str:content_id>/<str:data_type>/<str:sub_content_id>/",
        h5p_state_views.h5p_state,
        name="h5p_state",
    ),
    # SCORM runtime (lms/scorm_runtime/)
    path("scorm/<int:lesson_id>/<str:block_id>/launch/", scorm_views.launch, name="scorm_launch"),
    path("scorm/attempts/<int:attempt_id>/commit/", scorm_views.commit, name="scorm_commit"),
]
