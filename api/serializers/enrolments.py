"""A learner's enrolments and their progress, and the request to enrol."""

from rest_framework import serializers

from lms.models import Enrolment


class EnrolledCourseSerializer(serializers.Serializer):
    """The course of an enrolment: its id across languages, and its title and slug in the reader's
    language (the copy in the request's language, else the source)."""

    id = serializers.IntegerField(source="course_id")
    title = serializers.SerializerMethodField()
    slug = serializers.SerializerMethodField()

    def _copy(self, enrolment: Enrolment):
        return getattr(enrolment, "course_copy", None) or enrolment.course

    def get_title(self, enrolment: Enrolment) -> str:
        return self._copy(enrolment).title

    def get_slug(self, enrolment: Enrolment) -> str:
        return self._copy(enrolment).slug


class EnrolmentSerializer(serializers.ModelSerializer):
    course = EnrolledCourseSerializer(source="*", read_only=True)
    score_scaled = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    last_lesson = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "status",
            "source",
            "progress_percent",
            "score_scaled",
            "due_on",
            "is_overdue",
            "enrolled_at",
            "started_at",
            "completed_at",
            "last_lesson",
        ]
        read_only_fields = fields


class LessonProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    visited_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class EnrolmentDetailSerializer(EnrolmentSerializer):
    lessons = LessonProgressSerializer(many=True, read_only=True)

    class Meta(EnrolmentSerializer.Meta):
        fields = EnrolmentSerializer.Meta.fields + ["lessons"]
        read_only_fields = fields


class EnrolRequestSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Id of a published course.")
