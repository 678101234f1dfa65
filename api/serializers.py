from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.models import Certificate
from certification.selectors import certificate_state, certification_histories
from certification.verification import CHECK_DETAILS
from courses.models import Audience, CoursePage, Language, LessonPage, ModulePage
from lms.models import Assignment, Enrolment, Organisation


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


class CertificateLinksSerializer(serializers.Serializer):
    credential = serializers.URLField(help_text="The signed credential (application/vc), public.")
    pdf = serializers.URLField(help_text="The certificate PDF, with the credential attached (learner, staff).")
    badge = serializers.URLField(help_text="The Open Badges PNG with the credential baked in (learner, staff).")
    verification_page = serializers.URLField(help_text="The page a QR code opens.")
    api = serializers.URLField(help_text="This certificate in the API (content-negotiated).")


CERTIFICATE_STATES = ["valid", "expired", "superseded", "replaced", "revoked"]


class CertificateHistoryEntrySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["course", "reissue", "recertification"])
    generation = serializers.IntegerField()
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=CERTIFICATE_STATES)


class CertificateSerializer(serializers.ModelSerializer):
    credential_id = serializers.CharField(read_only=True)
    course = serializers.IntegerField(
        source="course_id", read_only=True, allow_null=True, help_text="Empty for a programme's certificate."
    )
    is_revoked = serializers.BooleanField(read_only=True)
    name_withheld = serializers.SerializerMethodField(
        help_text="True once the learner was erased: recipient_name is then empty (docs/security.md)."
    )
    replaced_by = serializers.SerializerMethodField(
        help_text="The certificate that followed this one: a corrected re-issue or a recertification."
    )
    replaces = serializers.UUIDField(source="replaces_id", read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField(
        help_text="The holder's certificates of this course, oldest first: the chain of the certification."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "credential_id",
            "course",
            "course_title",
            "recipient_name",
            "name_withheld",
            "credit_hours",
            "accrediting_body_name",
            "language",
            "score",
            "completed_at",
            "issued_at",
            "valid_until",
            "generation",
            "kind",
            "cycle",
            "state",
            "is_revoked",
            "revoked_at",
            "superseded_at",
            "replaces",
            "replaced_by",
            "history",
            "links",
        ]
        read_only_fields = fields

    def get_name_withheld(self, certificate: Certificate) -> bool:
        return certificate.name_withheld_at is not None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_replaced_by(self, certificate: Certificate) -> str | None:
        replacement = getattr(certificate, "replaced_by", None)
        return str(replacement.pk) if replacement else None

    @extend_schema_field(serializers.ChoiceField(choices=CERTIFICATE_STATES))
    def get_state(self, certificate: Certificate) -> str:
        return certificate_state(certificate)

    @extend_schema_field(CertificateHistoryEntrySerializer(many=True))
    def get_history(self, certificate: Certificate) -> list[dict]:
        histories = self.context.setdefault("_histories", {})
        if certificate.user_id not in histories:
            histories[certificate.user_id] = certification_histories(user_id=certificate.user_id)
        entries = [
            {
                "id": entry.pk,
                "kind": entry.kind,
                "generation": entry.generation,
                "issued_at": entry.issued_at,
                "valid_until": entry.valid_until,
                "state": certificate_state(entry),
            }
            for entry in histories[certificate.user_id].get(certificate.course_id, [])
        ]
        return CertificateHistoryEntrySerializer(entries, many=True).data

    @extend_schema_field(CertificateLinksSerializer)
    def get_links(self, certificate: Certificate) -> dict:
        request = self.context["request"]
        api = request.build_absolute_uri(reverse("api-v1:certificate-detail", args=[certificate.pk]))
        return {
            "credential": f"{api}?format=vc",
            "pdf": f"{api}?format=pdf",
            "badge": f"{api}?format=png",
            "verification_page": request.build_absolute_uri(f"/v/{certificate.pk}"),
            "api": api,
        }


# --- certificates: verification and staff actions ----------------------------------------------


class VerifyRequestSerializer(serializers.Serializer):
    credential = serializers.JSONField(help_text="The signed credential, as JSON (an object).")
    name = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    email = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def validate_credential(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("The credential must be a JSON object.", code="invalid_credential")
        return value


MAX_CREDENTIALS_PER_REQUEST = 100


class BulkVerifyRequestSerializer(serializers.Serializer):
    credentials = VerifyRequestSerializer(many=True, allow_empty=False, max_length=MAX_CREDENTIALS_PER_REQUEST)


class CheckSerializer(serializers.Serializer):
    passed = serializers.BooleanField(allow_null=True, help_text="null: not checked (e.g. no name to compare).")
    code = serializers.ChoiceField(
        choices=sorted(CHECK_DETAILS), help_text="The outcome as a stable code, for programs to act on."
    )
    detail = serializers.CharField(
        help_text="The outcome in words, in the language of Accept-Language (English by default)."
    )


class ChecksSerializer(serializers.Serializer):
    signature = CheckSerializer()
    issuer = CheckSerializer()
    validity = CheckSerializer()
    status = CheckSerializer()
    subject = CheckSerializer()
    registry = CheckSerializer(help_text="Which trusted registry of accredited issuers lists the issuer, if any.")


class RegistryListingSerializer(serializers.Serializer):
    registry = serializers.CharField(help_text="The registry's configured name.")
    name = serializers.CharField(help_text="The name the registry lists the issuer under.")
    detail = serializers.CharField(help_text='"Listed by <registry> as <name>", in the negotiated language.')


class RegistryOutcomeSerializer(serializers.Serializer):
    registry = serializers.CharField()
    source = serializers.CharField(help_text="The registry's URL or file.")
    outcome = serializers.ChoiceField(choices=["listed", "not_listed", "other_key", "unreachable", "malformed"])
    listed_name = serializers.CharField(allow_null=True)
    detail = serializers.CharField()


class NewerCertificateSerializer(serializers.Serializer):
    credential_id = serializers.CharField()
    verification_page = serializers.URLField()


class VerificationResultSerializer(serializers.Serializer):
    credential_id = serializers.CharField()
    genuine = serializers.BooleanField()
    revoked = serializers.BooleanField()
    expired = serializers.BooleanField()
    valid = serializers.BooleanField()
    superseded = serializers.BooleanField(
        help_text="True when a recertification superseded it: still genuine and not revoked, but a newer one exists."
    )
    superseded_by = NewerCertificateSerializer(allow_null=True, help_text="The newer certificate, when superseded.")
    checks = ChecksSerializer()
    listed_by = RegistryListingSerializer(many=True, help_text="The trusted registries that list the issuer.")
    registries = RegistryOutcomeSerializer(many=True, help_text="What each trusted registry says, in order.")


class BulkVerificationItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the credential in the request.")
    result = VerificationResultSerializer(allow_null=True)
    error = serializers.DictField(allow_null=True, help_text="Why this one could not be verified: code and message.")


class BulkVerificationSerializer(serializers.Serializer):
    results = BulkVerificationItemSerializer(many=True)


class RevokeRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ReissueRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    recipient_name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- organisations -----------------------------------------------------------------------------


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


class StatementSerializer(serializers.Serializer):
    """An xAPI 1.0.3 statement. Only its shape is documented here: the learning records service
    validates it (actor is you, verb and object IRIs, result ranges, id a UUID)."""

    id = serializers.UUIDField(required=False, help_text="Set by you to make posting idempotent.")
    actor = serializers.JSONField(help_text='You: {"mbox": "mailto:…"} or {"account": {"homePage", "name"}}.')
    verb = serializers.JSONField(help_text='{"id": IRI}')
    object = serializers.JSONField(help_text='{"objectType": "Activity", "id": IRI of one of this site\'s activities}')
    result = serializers.JSONField(required=False, help_text="score {raw, min, max, scaled}, success, completion")
    timestamp = serializers.DateTimeField(required=False)


class StoredStatementSerializer(serializers.Serializer):
    """A statement as stored: the statement received, with its ``id`` and the ``stored`` time set."""

    id = serializers.UUIDField()
    actor = serializers.DictField()
    verb = serializers.DictField()
    object = serializers.DictField()
    stored = serializers.CharField()


class StatementResultSerializer(serializers.Serializer):
    statements = serializers.ListField(child=serializers.DictField())
    more = serializers.CharField(
        allow_blank=True,
        help_text="Empty when this is the last page; otherwise the relative IRL of the next page of the same "
        "query (same filters and order, statements stored meanwhile left out). Opaque, signed, valid for "
        "24 hours and only for the learner it was issued to.",
    )


class StatementQuerySerializer(serializers.Serializer):
    statementId = serializers.UUIDField(  # noqa: N815 - the xAPI parameter name
        required=False, help_text="Answer with that statement alone (only `format` and `attachments` may join)."
    )
    voidedStatementId = serializers.UUIDField(  # noqa: N815 - the xAPI parameter name
        required=False,
        help_text="A voided statement, by its id (voided statements are left out of every other query).",
    )
    agent = serializers.CharField(required=False, max_length=2000, help_text="A JSON agent: its statements.")
    registration = serializers.UUIDField(required=False, help_text="Statements of this registration.")
    related_activities = serializers.ChoiceField(
        choices=["true", "false"], required=False, default="false", help_text="true: the activity anywhere."
    )
    related_agents = serializers.ChoiceField(
        choices=["true", "false"], required=False, default="false", help_text="true: the agent anywhere."
    )
    verb = serializers.CharField(required=False, max_length=500, help_text="Verb IRI.")
    activity = serializers.CharField(required=False, max_length=500, help_text="Object (activity) IRI.")
    since = serializers.DateTimeField(required=False, help_text="Stored after this time.")
    until = serializers.DateTimeField(required=False, help_text="Stored at or before this time.")
    limit = serializers.IntegerField(
        required=False, min_value=0, max_value=500, default=0, help_text="0 (or above 100): the server's maximum, 100."
    )
    ascending = serializers.ChoiceField(
        choices=["true", "false"], required=False, default="false", help_text="true: oldest stored first."
    )
    format = serializers.ChoiceField(
        choices=["exact", "ids", "canonical"],
        required=False,
        default="exact",
        help_text="exact: as received; ids: agents, verbs and activities by their identifiers only; "
        "canonical: as exact (the store keeps the definitions it received).",
    )
    attachments = serializers.ChoiceField(
        choices=["true", "false"],
        required=False,
        default="false",
        help_text="true: a multipart/mixed answer with the attachments' bytes after the statements.",
    )
    more = serializers.CharField(
        required=False, max_length=4000, help_text="The next page, as given in `more`; alone, no other parameter."
    )

    def validate(self, data):
        single = {"statementId", "voidedStatementId"} & set(self.initial_data)
        if len(single) == 2:
            raise serializers.ValidationError(
                {"voidedStatementId": ["Ask for statementId or voidedStatementId, not both."]},
                code="conflicting_parameters",
            )
        if single:
            others = set(self.initial_data) - single - {"format", "attachments"}
            if others:
                name = sorted(others)[0]
                raise serializers.ValidationError(
                    {name: [f"With {single.pop()} only format and attachments may be given."]},
                    code="single_statement_parameters",
                )
        if "more" in self.initial_data and len(self.initial_data) > 1:
            name = sorted(set(self.initial_data) - {"more"})[0]
            raise serializers.ValidationError(
                {name: ["A more link carries its whole query: send it alone."]}, code="more_alone"
            )
        return data


class StatementPutQuerySerializer(serializers.Serializer):
    statementId = serializers.UUIDField()  # noqa: N815 - the xAPI parameter name
