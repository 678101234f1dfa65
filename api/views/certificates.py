"""Certificates: by id in every format, verification of one or many, revocation and re-issue."""

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import views as certification_views
from certification.models import Certificate
from certification.selectors import certificate_by_id
from certification.services import reissue_certificate, revoke_certificate
from certification.verification import VerificationInputError, verify_credential

from ..authentication import ClientScopes
from ..query_parameters import DeclaredQueryParameters
from ..serializers import (
    BulkVerificationSerializer,
    BulkVerifyRequestSerializer,
    CertificateSerializer,
    ReissueRequestSerializer,
    RevokeRequestSerializer,
    VerificationResultSerializer,
    VerifyRequestSerializer,
)

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
class CertificateDetailView(DeclaredQueryParameters, APIView):
    """A certificate by id, as the Accept header (or ``?format=json|vc|pdf|png|html``) asks: JSON facts and
    links, the signed credential (``application/vc``, the stored bytes), the PDF or the baked badge PNG
    (the learner and staff only, as on the site) or the verification page."""

    permission_classes = [AllowAny, ClientScopes]
    query_parameters = frozenset({"format"})
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
    "superseded": False,
    "superseded_by": None,
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
        "registry": {
            "passed": True,
            "code": "registry_listed",
            "detail": "Listed by Ministry of Public Administration as BPATC.",
        },
    },
    "listed_by": [
        {
            "registry": "Ministry of Public Administration",
            "name": "BPATC",
            "detail": "Listed by Ministry of Public Administration as BPATC.",
        }
    ],
    "registries": [
        {
            "registry": "Ministry of Public Administration",
            "source": "https://registry.mopa.gov.bd/registry.json",
            "outcome": "listed",
            "listed_name": "BPATC",
            "detail": "Listed by Ministry of Public Administration as BPATC.",
        }
    ],
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
class VerifyView(DeclaredQueryParameters, APIView):
    """Verify one credential: each check (signature, issuer, validity, status, subject) with its outcome.
    Anyone may call it; it is throttled per client (scope ``verify``). Files (PDF, baked PNG) can be
    posted as they are to ``/certificates/verify`` on the site."""

    permission_classes = [AllowAny, ClientScopes]
    client_scopes = {"POST": "read"}  # verifying changes nothing
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
class BulkVerifyView(DeclaredQueryParameters, APIView):
    """Verify up to 100 credentials in one request; a credential that cannot be read gets an error in
    its own place and the others are still verified. Throttled per client (scope ``bulk``)."""

    permission_classes = [AllowAny, ClientScopes]
    client_scopes = {"POST": "read"}  # verifying changes nothing
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
class RevokeView(DeclaredQueryParameters, APIView):
    """Revoke a certificate (staff with the permission to change certificates); it is audited."""

    permission_classes = [IsAuthenticated, ClientScopes, ManageCertificates]

    def post(self, request: Request, certificate_id) -> Response:
        certificate = _certificate(certificate_id)
        data = RevokeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revoked = revoke_certificate(certificate=certificate, reason=data.validated_data["reason"], actor=request.user)
        return Response(CertificateSerializer(certificate_by_id(revoked.pk), context={"request": request}).data)


@extend_schema(request=ReissueRequestSerializer, responses={201: CertificateSerializer, 409: None})
class ReissueView(DeclaredQueryParameters, APIView):
    """Issue a corrected certificate that replaces and revokes this one (staff; audited)."""

    permission_classes = [IsAuthenticated, ClientScopes, ManageCertificates]

    def post(self, request: Request, certificate_id) -> Response:
        certificate = _certificate(certificate_id)
        data = ReissueRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        replacement = reissue_certificate(certificate=certificate, actor=request.user, **data.validated_data)
        return Response(
            CertificateSerializer(certificate_by_id(replacement.pk), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
