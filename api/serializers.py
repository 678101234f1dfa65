from rest_framework import serializers

from courses.models import CoursePage


class CourseSummarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    locale = serializers.CharField(source="locale.language_code", read_only=True)
    accrediting_body = serializers.StringRelatedField()
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = CoursePage
        fields = [
            "id",
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
            "accrediting_body",
            "credit_hours",
            "curriculum_code",
        ]

    def get_url(self, course: CoursePage) -> str:
        return course.get_url(request=self.context.get("request")) or ""
