"""The API, versioned by path: ``/api/v1/``. The schema describes only the API's own routes."""

from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from oauth2_provider import views as oauth_views

from .views import auth, certificate_archives, certificates, courses, me, organisations, statements


class DatabaseIdConverter:
    """A positive id that fits a 64-bit column; a longer number is a 404, not a database overflow."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")

v1_patterns = [
    path("courses/", courses.CourseListView.as_view(), name="course-list"),
    path("courses/<id:pk>/", courses.CourseDetailView.as_view(), name="course-detail"),
    path(
        "courses/<id:pk>/certificates.zip",
        certificate_archives.CourseCertificatesArchiveView.as_view(),
        name="course-certificates-archive",
    ),
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    # OAuth 2.0 client credentials for organisations' systems (documented as the schema's oauth2 scheme).
    path("oauth/token/", auth.OAuthTokenView.as_view(), name="oauth-token"),
    path("oauth/revoke/", oauth_views.RevokeTokenView.as_view(), name="oauth-revoke"),
    path("me/enrolments/", me.MyEnrolmentsView.as_view(), name="my-enrolments"),
    path("me/enrolments/<id:pk>/", me.MyEnrolmentDetailView.as_view(), name="my-enrolment"),
    path("me/certificates/", me.MyCertificatesView.as_view(), name="my-certificates"),
    path("certificates/verify/", certificates.VerifyView.as_view(), name="verify"),
    path("certificates/verify/bulk/", certificates.BulkVerifyView.as_view(), name="verify-bulk"),
    path(
        "certificates/<uuid:certificate_id>/", certificates.CertificateDetailView.as_view(), name="certificate-detail"
    ),
    path("certificates/<uuid:certificate_id>/revoke/", certificates.RevokeView.as_view(), name="certificate-revoke"),
    path("certificates/<uuid:certificate_id>/reissue/", certificates.ReissueView.as_view(), name="certificate-reissue"),
    path("organisations/", organisations.OrganisationsView.as_view(), name="organisations"),
    path("organisations/<id:pk>/report/", organisations.OrganisationReportView.as_view(), name="organisation-report"),
    path(
        "organisations/<id:pk>/enrolments/",
        organisations.OrganisationEnrolmentsView.as_view(),
        name="organisation-enrolments",
    ),
    path(
        "organisations/<id:pk>/assignments/",
        organisations.OrganisationAssignmentsView.as_view(),
        name="organisation-assignments",
    ),
    path(
        "organisations/<id:pk>/certificates.zip",
        certificate_archives.UnitCertificatesArchiveView.as_view(),
        name="organisation-certificates-archive",
    ),
    path("statements/", statements.StatementsView.as_view(), name="statements"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-v1:schema"), name="docs"),
]

urlpatterns = [path("v1/", include((v1_patterns, "api-v1")))]
