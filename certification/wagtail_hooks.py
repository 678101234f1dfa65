"""Admin: issuer profiles and certificate templates as snippets; certificates and the audit log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import CertificateTemplate, IssuerProfile


class IssuerProfileViewSet(SnippetViewSet):
    model = IssuerProfile
    icon = "user"
    list_display = ["name", "slug", "accrediting_body", "is_default"]


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    list_display = ["name", "layout"]


register_snippet(IssuerProfileViewSet)
register_snippet(CertificateTemplateViewSet)

admin_urls = [
    path("", admin_views.certificate_index, name="index"),
    path("<uuid:pk>/", admin_views.certificate_detail, name="detail"),
    path("audit-log/", admin_views.audit_log_index, name="audit_log"),
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
