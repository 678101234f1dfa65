"""The signed-in learner's own records: enrolments (with per-lesson progress) and certificates."""

from django.utils.translation import get_language
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from certification.selectors import certificates_of
from lms.selectors import (
    enrolment_lessons,
    in_reader_language,
    learner_enrolments,
)
from lms.services import enrol

from ..authentication import ClientScopes
from ..query_parameters import DeclaredQueryParameters
from ..serializers import (
    CertificateSerializer,
    EnrolmentDetailSerializer,
    EnrolmentSerializer,
    EnrolRequestSerializer,
)

# --- me ----------------------------------------------------------------------------------------
from .courses import published_course


class MyEnrolmentsView(DeclaredQueryParameters, generics.ListCreateAPIView):
    """GET: my enrolments with their progress. POST: enrol myself in a published course."""

    permission_classes = [IsAuthenticated, ClientScopes]
    serializer_class = EnrolmentSerializer

    def get_queryset(self):
        return learner_enrolments(user=self.request.user)

    def paginate_queryset(self, queryset):
        return in_reader_language(super().paginate_queryset(queryset) or [], get_language())

    @extend_schema(request=EnrolRequestSerializer, responses={201: EnrolmentSerializer, 409: None})
    def post(self, request: Request) -> Response:
        data = EnrolRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = published_course(data.validated_data["course"])
        enrolment = enrol(user=request.user, course=course, session=getattr(request, "session", None))
        in_reader_language([enrolment], get_language())
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class MyEnrolmentDetailView(DeclaredQueryParameters, generics.RetrieveAPIView):
    """One of my enrolments with the progress of each lesson; another learner's is a 404."""

    permission_classes = [IsAuthenticated, ClientScopes]
    serializer_class = EnrolmentDetailSerializer

    def get_queryset(self):
        return learner_enrolments(user=self.request.user)

    def get_object(self):
        enrolment = super().get_object()
        in_reader_language([enrolment], get_language())
        enrolment.lessons = enrolment_lessons(enrolment=enrolment, language=get_language())
        return enrolment


class MyCertificatesView(DeclaredQueryParameters, generics.ListAPIView):
    """My certificates, newest first, with links to the credential, the PDF and the baked badge."""

    permission_classes = [IsAuthenticated, ClientScopes]
    serializer_class = CertificateSerializer

    def get_queryset(self):
        return certificates_of(self.request.user)
