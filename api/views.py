from datetime import datetime
from urllib.parse import urlencode

from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import views as certification_views
from certification.models import Certificate
from certification.selectors import certificate_by_id, certificates_of
from certification.services import reissue_certificate, revoke_certificate
from certification.verification import VerificationInputError, verify_credential
from courses.models import CoursePage
from courses.selectors import course_outline, published_courses
from lms.models import Organisation
from lms.selectors import (
    AmbiguousMember,
    administered_organisations,
    enrolment_lessons,
    find_member,
    learner_enrolments,
    learner_statements,
    organisation_assignments,
    organisation_enrolments,
    organisation_report,
)
from lms.services import assign_course, enrol, enrol_member, record_statement

from . import xapi
from .authentication import ClientScopes
from .serializers import (
    AssignmentRequestSerializer,
    AssignmentSerializer,
    BulkVerificationSerializer,
    BulkVerifyRequestSerializer,
    CertificateSerializer,
    CourseDetailSerializer,
    CourseFiltersSerializer,
    CourseSummarySerializer,
    EnrolmentDetailSerializer,
    EnrolmentSerializer,
    EnrolRequestSerializer,
    MemberEnrolmentRequestSerializer,
    MemberEnrolmentSerializer,
    OrganisationReportSerializer,
    OrganisationSerializer,
    ReissueRequestSerializer,
    RevokeRequestSerializer,
    StatementPutQuerySerializer,
    StatementQuerySerializer,
    StatementResultSerializer,
    StatementSerializer,
    StoredStatementSerializer,
    VerificationResultSerializer,
    VerifyRequestSerializer,
)


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


# --- authentication ----------------------------------------------------------------------------


class TokenView(ObtainAuthToken):
    """Exchange a sign-in name and password for the learner's API token (one per learner, kept until
    they sign out of the app). Send it as ``Authorization: Token <key>``."""

    throttle_scope = "verify"


# --- me ----------------------------------------------------------------------------------------


class MyEnrolmentsView(generics.ListCreateAPIView):
    """GET: my enrolments with their progress. POST: enrol myself in a published course."""

    permission_classes = [IsAuthenticated]
    serializer_class = EnrolmentSerializer

    def get_queryset(self):
        return learner_enrolments(user=self.request.user)

    @extend_schema(request=EnrolRequestSerializer, responses={201: EnrolmentSerializer, 409: None})
    def post(self, request: Request) -> Response:
        data = EnrolRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = _published_course(data.validated_data["course"])
        enrolment = enrol(user=request.user, course=course)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class MyEnrolmentDetailView(generics.RetrieveAPIView):
    """One of my enrolments with the progress of each lesson; another learner's is a 404."""

    permission_classes = [IsAuthenticated]
    serializer_class = EnrolmentDetailSerializer

    def get_queryset(self):
        return learner_enrolments(user=self.request.user)

    def get_object(self):
        enrolment = super().get_object()
        enrolment.lessons = enrolment_lessons(enrolment=enrolment)
        return enrolment


class MyCertificatesView(generics.ListAPIView):
    """My certificates, newest first, with links to the credential, the PDF and the baked badge."""

    permission_classes = [IsAuthenticated]
    serializer_class = CertificateSerializer

    def get_queryset(self):
        return certificates_of(self.request.user)


def _published_course(pk: int) -> CoursePage:
    course = CoursePage.objects.live().public().filter(pk=pk).first()
    if course is None:
        raise ValidationError({"course": [ErrorDetail("No published course has this id.", code="not_found")]})
    return course


# --- certificates ------------------------------------------------------------------------------


class CredentialRenderer(BaseRenderer):
    """The signed credential's exact bytes (the view hands them over; nothing is re-serialised)."""

    media_type = "application/vc"
    format = "vc"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CredentialLdRenderer(CredentialRenderer):
    media_type = "application/vc+ld+json"
    format = "vc-ld"


class PDFRenderer(CredentialRenderer):
    media_type = "application/pdf"
    format = "pdf"


class BadgeRenderer(CredentialRenderer):
    media_type = "image/png"
    format = "png"


class PageRenderer(CredentialRenderer):
    media_type = "text/html"
    format = "html"


@extend_schema(
    responses={
        (200, "application/json"): CertificateSerializer,
        (200, "application/vc"): OpenApiTypes.BINARY,
        (200, "application/vc+ld+json"): OpenApiTypes.BINARY,
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (200, "image/png"): OpenApiTypes.BINARY,
        (200, "text/html"): OpenApiTypes.STR,
        406: None,
    }
)
class CertificateDetailView(APIView):
    """A certificate by id, as the Accept header (or ``?format=json|vc|pdf|png|html``) asks: JSON facts and
    links, the signed credential (``application/vc``, the stored bytes), the PDF or the baked badge PNG
    (the learner and staff only, as on the site) or the verification page."""

    permission_classes = [AllowAny]
    renderer_classes = [
        JSONRenderer,
        CredentialRenderer,
        CredentialLdRenderer,
        PDFRenderer,
        BadgeRenderer,
        PageRenderer,
    ]

    def handle_exception(self, exc):
        # Errors are JSON whatever was negotiated: a PDF renderer cannot say "not found".
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)

    def get(self, request: Request, certificate_id) -> HttpResponse:
        certificate = certificate_by_id(certificate_id)
        if certificate is None:
            raise NotFound("No certificate with this id.")
        wanted = request.accepted_renderer.format
        if wanted in ("vc", "vc-ld"):
            return HttpResponse(certificate.credential.encode("utf-8"), content_type=request.accepted_media_type)
        if wanted in ("pdf", "png"):
            if certificate.user_id != request.user.pk and not request.user.is_staff:
                raise NotFound("No certificate with this id.")
            document = certificate.pdf if wanted == "pdf" else certificate.badge
            return FileResponse(document.open("rb"), content_type=request.accepted_media_type)
        if wanted == "html":
            return certification_views.verification_page(request._request, certificate_id=certificate.pk)
        return Response(CertificateSerializer(certificate, context={"request": request}).data)


VERIFY_EXAMPLE_RESULT = {
    "credential_id": "urn:uuid:5b0c7a6e-3c4f-4a8e-9d2b-0e6a8a0f4c11",
    "genuine": True,
    "revoked": False,
    "expired": False,
    "valid": True,
    "checks": {
        "signature": {
            "passed": True,
            "code": "signature_valid",
            "detail": "The eddsa-rdfc-2022 signature matches the credential.",
        },
        "issuer": {
            "passed": True,
            "code": "issuer_key_published",
            "detail": "Signed with did:web:learning.example.gov.bd:issuers:bpatc#key-1, "
            "a key that did:web:learning.example.gov.bd:issuers:bpatc publishes.",
        },
        "validity": {"passed": True, "code": "valid_without_expiry", "detail": "Valid from issue, with no expiry."},
        "status": {"passed": True, "code": "not_revoked", "detail": "Not revoked."},
        "subject": {
            "passed": True,
            "code": "subject_matches",
            "detail": "The given name/email matches the credential's hashed subject.",
        },
    },
}
VERIFY_EXAMPLE_REQUEST = {
    "credential": {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:5b0c7a6e-3c4f-4a8e-9d2b-0e6a8a0f4c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:learning.example.gov.bd:issuers:bpatc", "type": ["Profile"], "name": "BPATC"},
        "validFrom": "2026-01-10T09:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"name": "Digital governance"}},
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z3…"},
    },
    "name": "Nusrat Jahan",
}


def _verification(item: dict) -> dict:
    return verify_credential(data=item["credential"], name=item["name"], email=item["email"]).as_dict()


@extend_schema(
    request=VerifyRequestSerializer,
    responses={200: VerificationResultSerializer, 422: None},
    examples=[
        OpenApiExample("A genuine credential", value=VERIFY_EXAMPLE_REQUEST, request_only=True),
        OpenApiExample("Every check passed", value=VERIFY_EXAMPLE_RESULT, response_only=True),
    ],
)
class VerifyView(APIView):
    """Verify one credential: each check (signature, issuer, validity, status, subject) with its outcome.
    Anyone may call it; it is throttled per client (scope ``verify``). Files (PDF, baked PNG) can be
    posted as they are to ``/certificates/verify`` on the site."""

    permission_classes = [AllowAny]
    throttle_scope = "verify"

    def post(self, request: Request) -> Response:
        data = VerifyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_verification(data.validated_data))


@extend_schema(
    request=BulkVerifyRequestSerializer,
    responses={200: BulkVerificationSerializer},
    examples=[
        OpenApiExample(
            "Two credentials", value={"credentials": [VERIFY_EXAMPLE_REQUEST, {"credential": {}}]}, request_only=True
        ),
        OpenApiExample(
            "One verified, one unreadable",
            value={
                "results": [
                    {"index": 0, "result": VERIFY_EXAMPLE_RESULT, "error": None},
                    {
                        "index": 1,
                        "result": None,
                        "error": {
                            "code": "invalid_credential",
                            "message": "@context must start with the VC 2.0 and Open Badges 3.0.3 contexts.",
                        },
                    },
                ]
            },
            response_only=True,
        ),
    ],
)
class BulkVerifyView(APIView):
    """Verify up to 100 credentials in one request; a credential that cannot be read gets an error in
    its own place and the others are still verified. Throttled per client (scope ``bulk``)."""

    permission_classes = [AllowAny]
    throttle_scope = "bulk"

    def post(self, request: Request) -> Response:
        data = BulkVerifyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = []
        for index, item in enumerate(data.validated_data["credentials"]):
            try:
                results.append({"index": index, "result": _verification(item), "error": None})
            except VerificationInputError as exc:
                results.append(
                    {"index": index, "result": None, "error": {"code": "invalid_credential", "message": str(exc)}}
                )
        return Response({"results": results})


class ManageCertificates(BasePermission):
    """As in the admin: revoking and re-issuing need ``certification.change_certificate``."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("certification.change_certificate"))


def _certificate(certificate_id) -> Certificate:
    certificate = certificate_by_id(certificate_id)
    if certificate is None:
        raise NotFound("No certificate with this id.")
    return certificate


@extend_schema(request=RevokeRequestSerializer, responses={200: CertificateSerializer, 409: None})
class RevokeView(APIView):
    """Revoke a certificate (staff with the permission to change certificates); it is audited."""

    permission_classes = [IsAuthenticated, ManageCertificates]

    def post(self, request: Request, certificate_id) -> Response:
        certificate = _certificate(certificate_id)
        data = RevokeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revoked = revoke_certificate(certificate=certificate, reason=data.validated_data["reason"], actor=request.user)
        return Response(CertificateSerializer(certificate_by_id(revoked.pk), context={"request": request}).data)


@extend_schema(request=ReissueRequestSerializer, responses={201: CertificateSerializer, 409: None})
class ReissueView(APIView):
    """Issue a corrected certificate that replaces and revokes this one (staff; audited)."""

    permission_classes = [IsAuthenticated, ManageCertificates]

    def post(self, request: Request, certificate_id) -> Response:
        certificate = _certificate(certificate_id)
        data = ReissueRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        replacement = reissue_certificate(certificate=certificate, actor=request.user, **data.validated_data)
        return Response(
            CertificateSerializer(certificate_by_id(replacement.pk), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


# --- organisations -----------------------------------------------------------------------------


class OrganisationsView(generics.ListAPIView):
    """The units I administer, and all their sub-units."""

    permission_classes = [IsAuthenticated, ClientScopes]
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return administered_organisations(user=self.request.user).order_by("path")


class AdministeredOrganisation:
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

    @extend_schema(request=MemberEnrolmentRequestSerializer, responses={201: MemberEnrolmentSerializer, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        organisation = self.organisation()
        data = MemberEnrolmentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = _published_course(data.validated_data["course"])
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
        course = _published_course(data.validated_data["course"])
        assignment, enrolled = assign_course(
            organisation=organisation, course=course, due_on=data.validated_data["due_on"], assigned_by=request.user
        )
        assignment.enrolled = enrolled
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


# --- xAPI statements ---------------------------------------------------------------------------

MAX_STATEMENTS_PER_REQUEST = 100
MAX_STATEMENTS_PER_PAGE = 100
STATEMENT_EXAMPLE = {
    "id": "0a8f7c1e-5b2d-4c3a-9e8f-1d2c3b4a5e6f",
    "actor": {"objectType": "Agent", "account": {"homePage": "https://learning.example.gov.bd", "name": "nusrat"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en": "answered"}},
    "object": {"objectType": "Activity", "id": "https://learning.example.gov.bd/activities/42/3f2c9d1e"},
    "result": {"score": {"raw": 4, "min": 0, "max": 5, "scaled": 0.8}, "success": True, "completion": True},
    "timestamp": "2026-11-23T09:15:00Z",
}
XAPI_HEADERS = [
    OpenApiParameter(
        xapi.VERSION_HEADER,
        {"type": "string", "pattern": r"^1\.0(\.[0-9]+)?$", "example": xapi.XAPI_VERSION},
        location=OpenApiParameter.HEADER,
        required=True,
        description="The xAPI version the client speaks: 1.0.3 (any 1.0.x). Without it the request is a 400.",
    ),
    OpenApiParameter(
        xapi.VERSION_HEADER,
        {"type": "string", "enum": [xapi.XAPI_VERSION]},
        location=OpenApiParameter.HEADER,
        response=True,
        required=True,
        description="The version of xAPI this resource follows.",
    ),
    OpenApiParameter(
        "X-Experience-API-Consistent-Through",
        OpenApiTypes.DATETIME,
        location=OpenApiParameter.HEADER,
        response=True,
        required=True,
        description="Every statement stored before this time can be read (statements are stored synchronously).",
    ),
]


def _record(user, items: list) -> list[str]:
    """All or none: one refused statement stores none of them (the service says which and why)."""
    with transaction.atomic():
        return [str(record_statement(user=user, statement=item)[0].statement_id) for item in items]


class StatementsView(APIView):
    """The xAPI 1.0.3 Statements resource for the signed-in learner: statements about yourself and
    this site's activities, stored once by id and counted in your progress as the lesson player's are.
    Every request carries ``X-Experience-API-Version: 1.0.x``; every response carries 1.0.3."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = xapi.XapiContentNegotiation
    parameters_by_method = {"GET": xapi.GET_PARAMETERS, "PUT": {"statementId"}, "POST": set()}

    def initial(self, request, *args, **kwargs):
        if request.method != "OPTIONS":
            xapi.check_version(request)
            xapi.check_parameters(request.query_params, self.parameters_by_method.get(request.method, set()))
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response[xapi.VERSION_HEADER] = xapi.XAPI_VERSION
        response["X-Experience-API-Consistent-Through"] = timezone.now().isoformat()
        return response

    @extend_schema(
        parameters=[StatementQuerySerializer, *XAPI_HEADERS],
        responses={
            200: PolymorphicProxySerializer(
                component_name="StatementResultOrStatement",
                serializers=[StatementResultSerializer, StoredStatementSerializer],
                resource_type_field_name=None,
            )
        },
        description="Your own statements, newest stored first (`ascending=true`: oldest first), at most `limit` "
        "(100) per page; `more` is the next page. With `statementId`, that one statement itself.",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        if params.get("format") == "canonical":
            raise xapi.refuse(
                "format", "format=canonical is not supported: ask for exact or ids.", "unsupported_format"
            )
        if params.get("attachments") == "true":
            raise xapi.refuse(
                "attachments",
                "Attachment data is not stored here, so attachments=true cannot be answered: ask with false.",
                "unsupported_attachments",
            )
        query = StatementQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if "statementId" in data:
            return self._single(request, data["statementId"], data["format"])
        if "voidedStatementId" in data:
            self._voided(request, data["voidedStatementId"])
        if "more" in data:
            page_query, after = xapi.read_more_token(data["more"], user=request.user)
        else:
            now = timezone.now()
            page_query = {
                "verb": data.get("verb"),
                "activity": data.get("activity"),
                "since": data["since"].isoformat() if "since" in data else None,
                # Pinned to now: later statements stay out of this query's pages, whatever the order.
                "until": min(data.get("until", now), now).isoformat(),
                "ascending": data["ascending"] == "true",
                "format": data["format"],
                "limit": min(data["limit"] or MAX_STATEMENTS_PER_PAGE, MAX_STATEMENTS_PER_PAGE),
            }
            after = None
        return Response(self._page(request, page_query, after))

    def _page(self, request: Request, page_query: dict, after) -> dict:
        limit = page_query["limit"]
        statements = learner_statements(
            user=request.user,
            verb=page_query["verb"],
            activity=page_query["activity"],
            since=datetime.fromisoformat(page_query["since"]) if page_query["since"] else None,
            until=datetime.fromisoformat(page_query["until"]),
            ascending=page_query["ascending"],
            after=after,
        )
        rows = list(statements.values_list("stored_at", "pk", "payload")[: limit + 1])
        more = ""
        if len(rows) > limit:
            rows = rows[:limit]
            token = xapi.more_token(user=request.user, query=page_query, last=rows[-1][:2])
            more = f"{reverse('api-v1:statements')}?{urlencode({'more': token})}"
        return {"statements": [xapi.formatted(payload, page_query["format"]) for *_key, payload in rows], "more": more}

    def _single(self, request: Request, statement_id, statement_format: str) -> Response:
        found = learner_statements(user=request.user, statement_id=statement_id).values_list("stored_at", "payload")
        row = found.first()
        if row is None:
            raise NotFound("No statement of yours has this id.")
        stored_at, payload = row
        response = Response(xapi.formatted(payload, statement_format))
        response["Last-Modified"] = http_date(stored_at.timestamp())
        return response

    def _voided(self, request: Request, statement_id) -> None:
        """Voiding statements (a StatementRef as object) are refused when recorded, so no statement here
        is ever voided: the answer is a 404 that says whether the statement exists unvoided."""
        if learner_statements(user=request.user, statement_id=statement_id).exists():
            raise NotFound("This statement of yours is not voided: fetch it with statementId.")
        raise NotFound("No voided statement of yours has this id.")

    @extend_schema(
        parameters=XAPI_HEADERS,
        request={
            "application/json": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Statement"},
                    {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Statement"},
                        "minItems": 1,
                        "maxItems": MAX_STATEMENTS_PER_REQUEST,
                    },
                ]
            }
        },
        responses={
            200: OpenApiResponse(
                response={"type": "array", "items": {"type": "string", "format": "uuid"}},
                description="The statements' ids, in the order sent.",
            ),
            409: None,
        },
        examples=[
            OpenApiExample("One statement", value=STATEMENT_EXAMPLE, request_only=True),
            OpenApiExample("Stored", value=[STATEMENT_EXAMPLE["id"]], response_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        body = request.data
        items = body if isinstance(body, list) else [body]
        if not items or len(items) > MAX_STATEMENTS_PER_REQUEST:
            raise ValidationError(
                ErrorDetail(
                    f"Send between 1 and {MAX_STATEMENTS_PER_REQUEST} statements at once.", code="invalid_batch"
                )
            )
        return Response(_record(request.user, items))

    @extend_schema(
        parameters=[StatementPutQuerySerializer, *XAPI_HEADERS],
        request=StatementSerializer,
        responses={204: None, 409: None},
        examples=[OpenApiExample("One statement", value=STATEMENT_EXAMPLE, request_only=True)],
        description="Store one statement under the id in `statementId`; sending it again changes nothing.",
    )
    def put(self, request: Request) -> Response:
        query = StatementPutQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        statement = request.data
        if not isinstance(statement, dict):
            raise ValidationError(ErrorDetail("A statement must be a JSON object.", code="invalid_statement"))
        statement_id = str(query.validated_data["statementId"])
        if "id" in statement and str(statement["id"]).lower() != statement_id:
            raise ValidationError({"id": [ErrorDetail("The id differs from statementId.", code="id_mismatch")]})
        _record(request.user, [{**statement, "id": statement_id}])
        return Response(status=status.HTTP_204_NO_CONTENT)
