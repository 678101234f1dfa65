from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from courses.selectors import catalogue_filters, published_courses

from .serializers import CourseSummarySerializer


@extend_schema(
    parameters=[
        OpenApiParameter("audience", OpenApiTypes.STR, enum=["civil_servants", "citizens", "both"]),
        OpenApiParameter("language", OpenApiTypes.STR, enum=["en", "bn"], description="Language of instruction."),
        OpenApiParameter("topic", OpenApiTypes.STR, description="Topic slug."),
        OpenApiParameter("locale", OpenApiTypes.STR, enum=["en", "bn"], description="Locale of the pages."),
    ]
)
class CourseListView(generics.ListAPIView):
    """Published courses of the catalogue, in the requested locale."""

    serializer_class = CourseSummarySerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        params = self.request.query_params
        return published_courses(locale=params.get("locale") or None, **catalogue_filters(params))
