from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from courses.selectors import course_outline, published_courses

from .serializers import CourseDetailSerializer, CourseFiltersSerializer, CourseSummarySerializer


@extend_schema(parameters=[CourseFiltersSerializer])
class CourseListView(generics.ListAPIView):
    """Published courses of the catalogue, filterable, in the requested locale (all locales by default)."""

    serializer_class = CourseSummarySerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        filters = CourseFiltersSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return published_courses(**filters.validated_data)


class CourseDetailView(generics.RetrieveAPIView):
    """One published course with the outline of its published modules and lessons."""

    serializer_class = CourseDetailSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return published_courses().prefetch_related("prerequisites")

    def get_object(self):
        course = super().get_object()
        course.outline = course_outline(course=course)
        return course
