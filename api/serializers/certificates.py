"""Certificates, their history, and verification requests and results."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.models import Certificate
from certification.selectors import certificate_state, certification_histories
from certification.verification import CHECK_DETAILS


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
