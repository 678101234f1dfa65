"""The demo seed completes a course for the demo civil servant and the Bengali-named demo citizen."""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certification.expiry import send_expiry_reminders
from certification.models import Certificate, ExpiryReminder, Recertification
from certification.recertification import open_due_recertifications
from certification.verification import verify_credential
from lms.models import Enrolment, Notice, NoticeKind

from .conftest import run_digitalbazaar


def seed():
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", "--allow-production", stdout=devnull)


def test_seed_issues_demo_certificates_once_through_the_pipeline(demo_site):
    # the expiring one and the programme's own certificate: below and in test_programme_certificates
    everything = Certificate.objects.exclude(course__slug="ict-procurement").filter(programme_completion=None)
    certificates = {certificate.recipient_name: certificate for certificate in everything}
    assert set(certificates) == {"Nusrat Jahan", "রহিম উদ্দিন"} and everything.count() == 2
    bengali = certificates["রহিম উদ্দিন"]
    assert bengali.language == "bn" and bengali.renderer == "weasyprint"
    assert certificates["Nusrat Jahan"].accrediting_body_name
    for certificate in certificates.values():
        assert certificate.enrolment.completed_at is not None
        assert verify_credential(data=certificate.pdf.read()).valid
    results = run_digitalbazaar([json.loads(c.credential) for c in certificates.values()])
    assert all(result["verified"] and result["revoked"] is False for result in results), results
    seed()
    assert Certificate.objects.count() == 4  # the two above, the expiring one and the programme's


@pytest.mark.django_db
def test_the_expiring_demo_certificate_sends_its_reminder_once_and_recertifies_with_its_history_kept(eager):
    seed()
    expiring = Certificate.objects.get(course__slug="ict-procurement", user__username="officer")
    days_left = (timezone.localdate(expiring.valid_until) - timezone.localdate()).days
    assert 18 <= days_left <= 22
    assert list(ExpiryReminder.objects.values_list("certificate", "days_before")) == [(expiring.pk, 30)]
    assert len([m for m in mail.outbox if "ICT Procurement" in m.subject]) == 1
    enrolment = Enrolment.objects.get(pk=expiring.enrolment_id)
    assert enrolment.cycle == 2 and enrolment.due_on == timezone.localdate(expiring.valid_until)
    seed()  # seeding again, and the beat's runs, tell her nothing twice and reopen nothing twice
    assert send_expiry_reminders() == 0 and open_due_recertifications() == 0
    assert ExpiryReminder.objects.count() == 1 and Recertification.objects.count() == 1
    kinds = set(Notice.objects.filter(enrolment=enrolment).values_list("kind", flat=True))
    assert {NoticeKind.CERTIFICATE, NoticeKind.CERTIFICATE_EXPIRING, NoticeKind.RECERTIFICATION} <= kinds

    from courses.models import LessonPage

    from .test_recertification import complete_lessons

    # she takes the course again, as her browser would (new attempts, new event ids)
    complete_lessons(enrolment.user, LessonPage.objects.live().descendant_of(enrolment.course).order_by("path"))
    renewed = Certificate.objects.get(replaces=expiring)
    expiring.refresh_from_db()
    assert renewed.kind == "recertification" and renewed.valid_until > expiring.valid_until
    assert expiring.superseded_at is not None and not expiring.is_revoked
    assert verify_credential(data=expiring.credential.encode()).superseded_by == renewed
    assert Certificate.objects.filter(user=enrolment.user, course=enrolment.course).count() == 2
