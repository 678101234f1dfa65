"""The API, versioned by path: ``/api/v1/``. The schema describes only the API's own routes."""

from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views


class DatabaseIdConverter:
    """A positive id that fits a 64-bit column; a longer number is a 404, not a database overflow."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")

v1_patterns = [
    path("courses/", views.CourseListView.as_view(), name="course-list"),
    path("courses/<id:pk>/", views.CourseDetailView.as_view(), name="course-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-v1:schema"), name="docs"),
]

urlpatterns = [path("v1/", include((v1_patterns, "api-v1")))]
