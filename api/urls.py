"""The API, versioned by path: ``/api/v1/``. The schema describes only the API's own routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

v1_patterns = [
    path("courses/", views.CourseListView.as_view(), name="course-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-v1:schema"), name="docs"),
]

urlpatterns = [path("v1/", include((v1_patterns, "api-v1")))]
