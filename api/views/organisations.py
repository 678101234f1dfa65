"""Organisations' systems: their units, reports, members' enrolments and assignments."""

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.models import Organisation
from lms.selectors import (
    AmbiguousMember,
    administered_organisations,
    find_member,
    in_reader_language,
    organisation_assignments,
    organisation_enrolments,
    organisation_report,
)
from lms.services import assign_course, enrol_member

from ..authentication import ClientScopes
from ..query_parameters import DeclaredQueryParameters
from ..serializers import (
    AssignmentRequestSerializer,
    AssignmentSerializer,
    MemberEnrolmentRequestSerializer,
    MemberEnrolmentSerializer,
    OrganisationReportSerializer,
    OrganisationSerializer,
)
from .courses import published_course

# --- organisations -----------------------------------------------------------------------------


class OrganisationsView(DeclaredQueryParameters, generics.ListAPIView):
    """The units I administer, and all their sub-units."""

    permission_classes = [IsAuthenticated, ClientScopes]
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return administered_organisations(user=self.request.user).order_by("path")


class AdministeredOrganisation(DeclaredQueryParameters):
    """Views on one unit: another unit's id is a 404, as on the site's organisation pages. An OAuth
    client needs the ``read`` scope to read and ``enrol`` to change anything."""

    permission_classes = [IsAuthenticated, ClientScopes]

    def organisation(self) -> Organisation:
        return get_object_or_404(administered_organisations(user=self.request.user), pk=self.kwargs["pk"])


class OrganisationReportView(AdministeredOrganisation, APIView):
    """Counts per course and per unit: the same selector as the organisation report in the admin."""

    @extend_schema(responses=OrganisationReportSerializer)
    def get(self, request: Request, pk: int) -> Response:
        organisation = self.organisation()
        report = organisation_report(organisation=organisation)
        return Response(OrganisationReportSerializer({"organisation": organisation, **report}).data)


class OrganisationEnrolmentsView(AdministeredOrganisation, generics.ListAPIView):
    """GET: the enrolments of the unit's members, with progress. POST: enrol one member in a course."""

    serializer_class = MemberEnrolmentSerializer

    def get_queryset(self):
        return organisation_enrolments(organisation=self.organisation())

    def paginate_queryset(self, queryset):
        return in_reader_language(super().paginate_queryset(queryset) or [], get_language())

    @extend_schema(request=MemberEnrolmentRequestSerializer, responses={201: MemberEnrolmentSerializer, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        organisation = self.organisation()
        data = MemberEnrolmentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = published_course(data.validated_data["course"])
        # only the unit's own members are looked up: an outsider and a stranger get the same answer
        try:
            member = find_member(organisation=organisation, identifier=data.validated_data["email"])
        except AmbiguousMember:
            message = _("Several members have this email; enter the username instead.")
            raise ValidationError({"email": [ErrorDetail(message, code="ambiguous_member")]}) from None
        if member is None:
            message = _("No member of %(unit)s or its units has this email.") % {"unit": organisation.name}
            raise ValidationError({"email": [ErrorDetail(message, code="not_a_member")]})
        enrolment = enrol_member(
            organisation=organisation,
            user=member,
            course=course,
            due_on=data.validated_data["due_on"],
            enrolled_by=request.user,
        )
        return Response(MemberEnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class OrganisationAssignmentsView(AdministeredOrganisation, generics.ListAPIView):
    """GET: the courses assigned to this unit. POST: assign a course with a due date; its members who
    are not enrolled yet are enrolled."""

    serializer_class = AssignmentSerializer

    def get_queryset(self):
        return organisation_assignments(organisation=self.organisation())

    @extend_schema(request=AssignmentRequestSerializer, responses={201: AssignmentSerializer, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        organisation = self.organisation()
        data = AssignmentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = published_course(data.validated_data["course"])
        assignment, enrolled = assign_course(
            organisation=organisation, course=course, due_on=data.validated_data["due_on"], assigned_by=request.user
        )
        assignment.enrolled = enrolled
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
