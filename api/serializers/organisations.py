"""Organisations, their reports, members' enrolments and course assignments."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.models import Assignment, Organisation

from .courses import CourseReferenceSerializer
from .enrolments import EnrolmentSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "code", "parent"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, organisation: Organisation) -> int | None:
        parent = organisation.get_parent()
        return parent.pk if parent else None


class ReportRowSerializer(serializers.Serializer):
    label = serializers.CharField(allow_null=True)
    enrolled = serializers.IntegerField()
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completed_percent = serializers.IntegerField()


class CourseReportRowSerializer(ReportRowSerializer):
    course = serializers.IntegerField(source="course_id")


class UnitReportRowSerializer(ReportRowSerializer):
    unit = serializers.IntegerField(source="user__learner_profile__organisation_id", allow_null=True)


class OrganisationReportSerializer(serializers.Serializer):
    organisation = OrganisationSerializer()
    by_course = CourseReportRowSerializer(many=True)
    by_unit = UnitReportRowSerializer(many=True)


class MemberEnrolmentRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="The member's email, as in the CSV import.")
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class MemberEnrolmentSerializer(EnrolmentSerializer):
    user = serializers.EmailField(source="user.email", read_only=True)

    class Meta(EnrolmentSerializer.Meta):
        fields = ["user"] + EnrolmentSerializer.Meta.fields
        read_only_fields = fields


class AssignmentRequestSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    due_on = serializers.DateField()


class AssignmentSerializer(serializers.ModelSerializer):
    course = CourseReferenceSerializer(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    enrolled = serializers.IntegerField(read_only=True, help_text="Enrolments the assignment created.")

    class Meta:
        model = Assignment
        fields = ["id", "organisation", "course", "due_on", "created_at", "enrolled"]
        read_only_fields = fields


# --- xAPI statements ---------------------------------------------------------------------------
