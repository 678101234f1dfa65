"""Courses in the catalogue and their outline: what a client lists and opens."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courses.models import Audience, CoursePage, Language, LessonPage, ModulePage


class CourseFiltersSerializer(serializers.Serializer):
    """The catalogue's query parameters; an invalid value is a 400 that names the parameter."""

    locale = serializers.ChoiceField(choices=Language.choices, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False, help_text="Language of instruction.")
    topic = serializers.SlugField(required=False, help_text="Topic slug.")
    accredited = serializers.BooleanField(required=False, allow_null=True, default=None)
    accrediting_body = serializers.SlugField(required=False, help_text="Short name of the accrediting body.")


class AccreditationSerializer(serializers.Serializer):
    body = serializers.CharField(source="accrediting_body.name")
    credit_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    curriculum_code = serializers.CharField()


class CourseSummarySerializer(serializers.ModelSerializer):
    course_id = serializers.IntegerField(
        read_only=True,
        help_text="The course across its languages: the id of its source copy, the same for every translation. "
        "Enrolments, progress and certificates name the course by it.",
    )
    url = serializers.SerializerMethodField()
    locale = serializers.CharField(source="locale.language_code", read_only=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    accreditation = serializers.SerializerMethodField()

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "course_id",
            "title",
            "slug",
            "url",
            "locale",
            "summary",
            "audience",
            "level",
            "language",
            "estimated_hours",
            "topics",
            "accreditation",
        ]

    def get_url(self, course: CoursePage) -> str:
        return course.get_full_url(request=self.context.get("request")) or ""

    @extend_schema_field(AccreditationSerializer(allow_null=True))
    def get_accreditation(self, course: CoursePage) -> dict | None:
        if not course.is_accredited:
            return None
        return AccreditationSerializer(course).data


class LessonOutlineSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = LessonPage
        fields = ["id", "title", "slug", "url", "required", "estimated_minutes"]

    def get_url(self, lesson: LessonPage) -> str:
        return lesson.get_full_url(request=self.context.get("request")) or ""


class ModuleOutlineSerializer(serializers.ModelSerializer):
    lessons = LessonOutlineSerializer(many=True, read_only=True)

    class Meta:
        model = ModulePage
        fields = ["id", "title", "slug", "summary", "lessons"]


class CourseDetailSerializer(CourseSummarySerializer):
    modules = ModuleOutlineSerializer(many=True, read_only=True, source="outline")
    prerequisites = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(CourseSummarySerializer.Meta):
        fields = CourseSummarySerializer.Meta.fields + ["prerequisites", "passing_score", "modules"]


# --- me: enrolments, progress, certificates ----------------------------------------------------


class CourseReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoursePage
        fields = ["id", "title", "slug"]
