import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.models import AuditAction, AuditEntry, Certificate, IssuerProfile
from certification.services import CertificateStateError, issue_certificate, reissue_certificate, revoke_certificate
from certification.verification import verify_credential
from lms.models import Enrolment
from tests.factories import UserFactory

from .conftest import completed_enrolment, run_digitalbazaar


def test_issue_signs_renders_and_stores_one_certificate(accredited_course, officer, issue):
    certificate = issue(officer, accredited_course)
    credential = json.loads(certificate.credential)
    subject = credential["credentialSubject"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert subject["achievement"]["creditsAvailable"] == 4.5
    assert subject["achievement"]["humanCode"] == "DG-101"
    assert "officer@example.gov.bd" not in certificate.credential and "Nusrat" not in certificate.credential
    assert certificate.pdf.read().startswith(b"%PDF") and certificate.badge.read().startswith(b"\x89PNG")
    assert certificate.renderer == "xhtml2pdf"
    assert AuditEntry.objects.get(certificate=certificate).action == AuditAction.ISSUED
    result = verify_credential(data=certificate.credential.encode())
    assert result.valid, result.as_dict()


def test_issue_is_idempotent(accredited_course, officer, issue):
    first = issue(officer, accredited_course)
    second = issue(officer, accredited_course)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_bengali_certificate_goes_to_the_shaping_renderer(bengali_course, citizen, issue):
    certificate = issue(citizen, bengali_course)
    assert certificate.renderer == "weasyprint"
    assert certificate.recipient_name == "রহিম উদ্দিন"


def test_revocation_and_reissue_are_audited_and_linked(accredited_course, officer, issue, admin_user):
    certificate = issue(officer, accredited_course)
    with pytest.raises(CertificateStateError):
        revoke_certificate(certificate=certificate, reason="  ", actor=admin_user)
    new = reissue_certificate(certificate=certificate, reason="Name misspelt", recipient_name="Nusrat Jahan Khan")
    certificate.refresh_from_db()
    assert certificate.is_revoked and new.replaces == certificate and new.generation == 2
    assert new.recipient_name == "Nusrat Jahan Khan"
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        AuditAction.ISSUED,
        AuditAction.REVOKED,
        AuditAction.REISSUED,
    ]
    assert verify_credential(data=certificate.credential.encode()).revoked
    assert verify_credential(data=new.credential.encode()).valid
    with pytest.raises(CertificateStateError):
        revoke_certificate(certificate=certificate, reason="again")


def test_audit_entries_cannot_be_changed(accredited_course, officer, issue):
    entry = AuditEntry.objects.get(certificate=issue(officer, accredited_course))
    entry.reason = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_expiry_from_the_course_validity(accredited_course, officer, issue):
    accredited_course.certificate_valid_months = 12
    accredited_course.save()
    completed = timezone.now() - timedelta(days=800)
    certificate = issue(officer, accredited_course, completed_at=completed)
    result = verify_credential(data=certificate.credential.encode())
    assert result.genuine and result.expired and not result.valid


def test_issuer_profile_of_the_accrediting_body_signs(accredited_course, officer, issue):
    IssuerProfile.objects.create(
        name="BPATC",
        slug="bpatc",
        url="https://bpatc.example.gov.bd/",
        accrediting_body=accredited_course.accrediting_body,
    )
    credential = json.loads(issue(officer, accredited_course).credential)
    assert credential["issuer"]["id"] == "did:web:learning.example.gov.bd:issuers:bpatc"
    assert credential["proof"][0]["verificationMethod"].startswith("did:web:learning.example.gov.bd:issuers:bpatc#")


def test_digitalbazaar_accepts_every_kind_we_issue_and_sees_revocation(
    accredited_course, bengali_course, officer, citizen, issue
):
    IssuerProfile.objects.create(
        name="BPATC",
        slug="bpatc",
        url="https://bpatc.example.gov.bd/",
        accrediting_body=accredited_course.accrediting_body,
    )
    fresh = issue(officer, accredited_course)
    bengali = issue(citizen, bengali_course)
    reissued = reissue_certificate(certificate=fresh, reason="Name misspelt", recipient_name="Nusrat J.")
    accredited_course.certificate_valid_months = 1
    accredited_course.save()
    other = issue(citizen, accredited_course, completed_at=timezone.now() - timedelta(days=90))
    revoked_bengali = reissue_certificate(certificate=bengali, reason="typo")
    revoke_certificate(certificate=revoked_bengali, reason="Issued in error")

    credentials = [json.loads(c.credential) for c in (fresh, bengali, reissued, other, revoked_bengali)]
    results = run_digitalbazaar(credentials)
    fresh_r, bengali_r, reissued_r, expired_r, revoked_r = results
    assert reissued_r == {"verified": True, "revoked": False, "statusChecked": True, "errors": []}
    assert fresh_r["verified"] and fresh_r["revoked"] is True  # replaced by the re-issue
    assert bengali_r["verified"] and bengali_r["revoked"] is True
    assert revoked_r["verified"] and revoked_r["revoked"] is True
    assert not expired_r["verified"]  # past validUntil
    assert any("validUntil" in error or "expired" in error.lower() for error in expired_r["errors"]), expired_r


def test_digitalbazaar_rejects_tampered_and_wrongly_signed(accredited_course, officer, issue):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from certification import integrity

    credential = json.loads(issue(officer, accredited_course).credential)
    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["creditsEarned"] = 40
    unsigned = {key: value for key, value in credential.items() if key != "proof"}
    stranger = integrity.sign(
        unsigned,
        private_key=Ed25519PrivateKey.generate(),
        verification_method=credential["proof"][0]["verificationMethod"],
        created=timezone.now(),
    )
    good, bad, forged = run_digitalbazaar([credential, tampered, stranger])
    assert good["verified"] and not good["revoked"]
    assert not bad["verified"] and not forged["verified"]
    assert not verify_credential(data=tampered).genuine
    assert not verify_credential(data=stranger).genuine


def test_issuing_costs_the_same_few_queries_for_every_learner(accredited_course, officer, citizen, issue):
    issue(UserFactory(username="first"), accredited_course)  # the site's issuer profile and status list exist
    counts = []
    for user in (officer, citizen):
        enrolment = completed_enrolment(user, accredited_course)
        enrolment = Enrolment.objects.select_related("user", "course").get(pk=enrolment.pk)  # as the task loads it
        with CaptureQueriesContext(connection) as queries:
            certificate = issue_certificate(enrolment=enrolment)
        counts.append([query["sql"] for query in queries])
        with CaptureQueriesContext(connection) as again:
            assert issue_certificate(enrolment=enrolment) == certificate
        # the enrolment's certificates; the notice, already recorded, refused by its unique key
        assert len(again) == 5, [query["sql"][:90] for query in again]
    # read: the enrolment's certificates, a recertification, the accrediting body, the issuer profile,
    # the competencies, the template; write: the status bit (one UPDATE ... RETURNING), the row and
    # its audit entry (in a savepoint), the notice (in another)
    assert len(counts[0]) == len(counts[1]) == 14, counts[0]
