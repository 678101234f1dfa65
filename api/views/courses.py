"""The catalogue: published courses and one course with its outline."""

from rest_framework import generics
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.permissions import AllowAny

from courses.models import CoursePage
from courses.selectors import course_outline, published_courses

from ..authentication import ClientScopes
from ..query_parameters import DeclaredQueryParameters
from ..serializers import (
    CourseDetailSerializer,
    CourseFiltersSerializer,
    CourseSummarySerializer,
)


class CourseListView(DeclaredQueryParameters, generics.ListAPIView):
    """Published courses of the catalogue, filterable, in the requested locale (all locales by default)."""

    serializer_class = CourseSummarySerializer
    filters_serializer_class = CourseFiltersSerializer
    permission_classes = [AllowAny, ClientScopes]

    def get_queryset(self):
        filters = CourseFiltersSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return published_courses(user=self.request.user, **filters.validated_data)


class CourseDetailView(DeclaredQueryParameters, generics.RetrieveAPIView):
    """One published course with the outline of its published modules and lessons."""

    serializer_class = CourseDetailSerializer
    permission_classes = [AllowAny, ClientScopes]

    def get_queryset(self):
        return published_courses(user=self.request.user).prefetch_related("prerequisites")

    def get_object(self):
        course = super().get_object()
        course.outline = course_outline(course=course, user=self.request.user)
        return course


def published_course(pk: int) -> CoursePage:
    """The course (any language's copy) an enrolment request names. Whether it is published for the
    learner being enrolled is the enrolment rule's to say (``lms.enrolment.rules``: a draft is
    ``course_not_published``, as on every other way of enrolling); an id that names no course is a 400."""
    course = CoursePage.objects.filter(pk=pk).first()
    if course is None:
        raise ValidationError({"course": [ErrorDetail("No published course has this id.", code="not_found")]})
    return course
