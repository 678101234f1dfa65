import io
import zipfile

import pytest
from django.contrib.auth.models import Permission

from certification.models import AuditAction, AuditEntry, Certificate
from certification.services import issue_certificate
from lms.organisations.services import make_organisation_admin
from tests.certification.conftest import completed_enrolment
from tests.factories import UserFactory
from tests.lms.factories import member, organisation


@pytest.fixture
def certificate(accredited_course, officer, issue) -> Certificate:
    return issue(officer, accredited_course)


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="certification", codename=codename))
    return user


def test_only_permitted_staff_reach_certificates_and_audit_log(client, certificate):
    urls = ["/admin/certificates/", f"/admin/certificates/{certificate.pk}/", "/admin/certificates/audit-log/"]
    for url in urls:
        assert client.get(url).status_code == 302  # to the admin login

    def refused(response) -> bool:  # Wagtail sends admins without the permission back to the dashboard
        return response.status_code == 302 and response["Location"] == "/admin/"

    client.force_login(staff_with())
    for url in urls:
        assert refused(client.get(url))
    client.force_login(staff_with("view_auditentry"))
    assert client.get("/admin/certificates/audit-log/").status_code == 200
    assert refused(client.get("/admin/certificates/"))


def test_revoke_with_a_reason_from_the_admin(client, certificate, admin_user):
    client.force_login(admin_user)
    url = f"/admin/certificates/{certificate.pk}/"
    assert "Nusrat Jahan" in client.get("/admin/certificates/", {"q": "nusrat"}).content.decode()
    blank = client.post(url, {"action": "revoke", "revoke-reason": ""})
    assert blank.status_code == 400
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    response = client.post(url, {"action": "revoke", "revoke-reason": "Issued in error"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason == "Issued in error"
    entry = AuditEntry.objects.filter(action=AuditAction.REVOKED).get()
    assert entry.actor == admin_user
    assert "Issued in error" in client.get("/admin/certificates/audit-log/").content.decode()
    again = client.post(url, {"action": "revoke", "revoke-reason": "again"})
    assert again.status_code == 400 and "already revoked" in again.content.decode()


def test_reissue_with_a_corrected_name_from_the_admin(client, certificate, admin_user):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/certificates/{certificate.pk}/",
        {"action": "reissue", "reissue-recipient_name": "Nusrat Jahan Khan", "reissue-reason": "Misspelt name"},
    )
    assert response.status_code == 302
    new = Certificate.objects.get(generation=2)
    assert response["Location"] == f"/admin/certificates/{new.pk}/"
    assert new.recipient_name == "Nusrat Jahan Khan" and new.replaces_id == certificate.pk


def test_snippets_for_issuer_profiles_and_templates(client, admin_user, db):
    client.force_login(admin_user)
    assert client.get("/admin/snippets/certification/issuerprofile/").status_code == 200
    assert client.get("/admin/snippets/certification/certificatetemplate/").status_code == 200


def test_certificate_downloads_in_the_admin_for_unit_admins_and_certificate_admins(client, certificate, tree):
    ministry, health = organisation("Ministry of ICT"), organisation("Ministry of Health")
    colleague = member(ministry, username="colleague")
    theirs = issue_certificate(enrolment=completed_enrolment(colleague, tree.course))
    unit_admin = staff_with()
    make_organisation_admin(user=unit_admin, organisation=ministry)
    client.force_login(unit_admin)
    page = client.get("/admin/certificates/downloads/").content.decode()
    assert "Ministry of ICT" in page and "Ministry of Health" not in page and "course-" not in page
    zipped = client.get(f"/admin/certificates/downloads/unit-{ministry.pk}.zip")
    assert zipped["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert f"credentials/{theirs.pk}.json" in names and f"credentials/{certificate.pk}.json" not in names
    assert client.get(f"/admin/certificates/downloads/unit-{health.pk}.zip").status_code == 404
    assert client.get(f"/admin/certificates/downloads/course-{tree.course.pk}.zip").status_code == 404

    client.force_login(staff_with())
    assert client.get("/admin/certificates/downloads/").status_code == 404
    client.force_login(staff_with("view_certificate"))
    page = client.get("/admin/certificates/downloads/").content.decode()
    assert "Ministry of Health" in page and f"course-{tree.course.pk}.zip" in page
    zipped = client.get(f"/admin/certificates/downloads/course-{tree.course.pk}.zip")
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()) == 5  # index + 2 × 2
