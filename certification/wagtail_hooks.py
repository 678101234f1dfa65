"""Admin: issuer profiles and certificate templates as snippets; certificates and the audit log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, release_views
from .bulk_download import downloadable_courses, downloadable_units
from .models import CertificateTemplate, IssuerProfile
from .registries.models import AccreditedIssuer


class IssuerProfileViewSet(SnippetViewSet):
    model = IssuerProfile
    icon = "user"
    list_display = ["name", "slug", "accrediting_body", "is_default"]


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    list_display = ["name", "layout"]


class AccreditedIssuerViewSet(SnippetViewSet):
    """integrations: the issuers the site lists when it runs as a registry of accredited issuers."""

    model = AccreditedIssuer
    icon = "success"
    list_display = ["name", "did", "is_listed"]


register_snippet(IssuerProfileViewSet)
register_snippet(CertificateTemplateViewSet)
register_snippet(AccreditedIssuerViewSet)

admin_urls = [
    path("", admin_views.certificate_index, name="index"),
    path("<uuid:pk>/", admin_views.certificate_detail, name="detail"),
    path("audit-log/", admin_views.audit_log_index, name="audit_log"),
    path("downloads/", admin_views.certificate_downloads, name="downloads"),
    path("releases/", release_views.certificate_releases, name="releases"),
    path("downloads/unit-<int:pk>.zip", admin_views.unit_certificates_zip, name="unit_zip"),
    path("downloads/course-<int:pk>.zip", admin_views.course_certificates_zip, name="course_zip"),
]


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("certificates/", include((admin_urls, "certification_admin")))]


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return PermittedMenuItem(
        _("Certificates"),
        reverse("certification_admin:index"),
        icon_name="tick-inverse",
        order=350,
        permission="certification.change_certificate",
    )


@hooks.register("register_admin_menu_item")
def register_audit_log_menu_item():
    return PermittedMenuItem(
        _("Certificate audit log"),
        reverse("certification_admin:audit_log"),
        icon_name="history",
        order=351,
        permission="certification.view_auditentry",
    )


class ReleasesMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return release_views.may_use_releases(request.user)


@hooks.register("register_admin_menu_item")
def register_releases_menu_item():
    return ReleasesMenuItem(
        _("Certificate releases"), reverse("certification_admin:releases"), icon_name="lock-open", order=352
    )


class DownloadsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return downloadable_units(user=request.user).exists() or downloadable_courses(user=request.user).exists()


@hooks.register("register_reports_menu_item")
def register_certificate_downloads_menu_item():
    return DownloadsMenuItem(
        _("Certificate downloads"), reverse("certification_admin:downloads"), icon_name="download", order=920
    )


@hooks.register("site_account_links")
def certificate_account_link(*, request) -> list[tuple[int, str, str]]:
    """My certificates, in the header of every site page, for a signed-in learner."""
    if request.user.is_authenticated:
        return [(20, _("My certificates"), reverse("certification_pages:mine"))]
    return []


@hooks.register("enrolment_certificates")
def certificates_of_enrolments(*, request, enrolment_ids) -> dict[int, dict]:
    """The standing certificate of each of these enrolments (the latest generation that is not revoked;
    for one a recertification superseded, the newer one), for lms's pages to link with a small preview
    (the baked badge) and its expiry: two queries, three when a refresher course renewed one. lms asks
    through this hook and imports nothing of certification."""
    from django.urls import reverse
    from django.utils import timezone

    from .models import Certificate
    from .release import pending_enrolment_ids

    latest: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(
        enrolment_id__in=list(enrolment_ids), revoked_at__isnull=True
    ).order_by("enrolment_id", "-generation"):
        latest.setdefault(certificate.enrolment_id, certificate)
    superseded = {c.pk: enrolment_id for enrolment_id, c in latest.items() if c.superseded_at is not None}
    while superseded:
        newer = Certificate.objects.filter(replaces_id__in=list(superseded), revoked_at__isnull=True)
        superseded_next = {}
        for certificate in newer:
            enrolment_id = superseded[certificate.replaces_id]
            latest[enrolment_id] = certificate
            if certificate.superseded_at is not None:
                superseded_next[certificate.pk] = enrolment_id
        superseded = superseded_next
    now = timezone.now()
    found: dict[int, dict] = {}
    for enrolment_id, certificate in latest.items():
        found[enrolment_id] = {
            "id": str(certificate.pk),
            "title": certificate.course_title,
            "language": certificate.language,
            "valid_until": certificate.valid_until,
            "expired": certificate.valid_until is not None and certificate.valid_until <= now,
            "renewal": certificate.kind == "recertification",
            "page_url": reverse("certification_pages:verification_page", args=[certificate.pk]),
            "pdf_url": reverse("certification:pdf", args=[certificate.pk]),
            "badge_url": reverse("certification:badge", args=[certificate.pk]),
            "history_url": reverse("certification_pages:mine"),
        }
    for enrolment_id in pending_enrolment_ids(set(enrolment_ids) - set(found)):
        found[enrolment_id] = {"pending": True}
    return found


@hooks.register("programme_completion_certificates")
def certificates_of_programme_completions(*, request, completion_ids) -> dict[int, dict]:
    """The certificate of each of these programme completions, for lms's dashboard: one query."""
    from django.urls import reverse

    from .models import Certificate

    found: dict[int, dict] = {}
    rows = (
        Certificate.objects.filter(programme_completion_id__in=list(completion_ids), revoked_at__isnull=True)
        .order_by("programme_completion_id", "-generation")
        .values_list("programme_completion_id", "pk", "course_title", "language")
    )
    for completion_id, pk, title, language in rows:
        found.setdefault(
            completion_id,
            {
                "id": str(pk),
                "title": title,
                "language": language,
                "page_url": reverse("certification_pages:verification_page", args=[pk]),
                "pdf_url": reverse("certification:pdf", args=[pk]),
                "badge_url": reverse("certification:badge", args=[pk]),
            },
        )
    return found


@hooks.register("register_permissions")
def register_release_permission():
    """Offered in the admin's group editor: give it to the reviewers who release held certificates."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="certification", codename="release_certificate")
