"""Many certificates at once: a course's or a unit's certificates as one streamed ZIP.

A course's archive is for certificate admins (``certification.view_certificate``); a unit's for
its organisation admins too, who see only their own units: any other id is a 404, as on the
unit's other endpoints. The archive itself is built by ``certification.bulk_download``.
"""

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from certification.bulk_download import certificates_zip, course_certificates, unit_certificates

from ..authentication import ClientScopes
from ..query_parameters import DeclaredQueryParameters


class ZipRenderer(BaseRenderer):
    media_type = "application/zip"
    format = "zip"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _archive(certificates, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(certificates_zip(certificates=certificates), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}.zip"'
    response["Cache-Control"] = "no-store"
    return response


class ArchiveView(DeclaredQueryParameters, APIView):
    permission_classes = [IsAuthenticated, ClientScopes]
    renderer_classes = [ZipRenderer, JSONRenderer]
    query_parameters = frozenset({"format"})

    def handle_exception(self, exc):
        # Errors are JSON whatever was negotiated: a ZIP cannot say "not found".
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)


@extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 404: None})
class CourseCertificatesArchiveView(ArchiveView):
    """Every certificate of a course (all its languages): ``index.csv``, ``certificates/<id>.pdf`` and
    ``credentials/<id>.json``. Certificate admins only."""

    def get(self, request: Request, pk: int) -> StreamingHttpResponse:
        found = course_certificates(user=request.user, course_id=pk)
        if found is None:
            raise NotFound(_("No course with this id."))
        course, certificates = found
        return _archive(certificates, f"certificates-{course.slug}")


@extend_schema(
    parameters=[OpenApiParameter("course", int, description="Only this course's certificates.")],
    responses={(200, "application/zip"): OpenApiTypes.BINARY, 400: None, 404: None},
)
class UnitCertificatesArchiveView(ArchiveView):
    """The certificates of the members of a unit and its sub-units, as one ZIP (``?course=`` for one
    course). For the unit's organisation admins and certificate admins."""

    query_parameters = frozenset({"format", "course"})

    def get(self, request: Request, pk: int) -> StreamingHttpResponse:
        course = request.query_params.get("course")
        if course is not None and not (course.isdigit() and len(course) <= 18):
            raise ValidationError({"course": [_("Give a course id (a number).")]})
        found = unit_certificates(user=request.user, organisation_id=pk, course_id=int(course) if course else None)
        if found is None:
            raise NotFound(_("No unit with this id among those you administer."))
        organisation, certificates = found
        return _archive(certificates, f"certificates-{organisation.code}")
