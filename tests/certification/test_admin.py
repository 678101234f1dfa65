import pytest
from django.contrib.auth.models import Permission

from certification.models import AuditAction, AuditEntry, Certificate
from tests.factories import UserFactory


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
