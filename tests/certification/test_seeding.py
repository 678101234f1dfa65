"""The demo seed completes a course for the demo civil servant and the Bengali-named demo citizen."""

import json

import pytest
from django.core.management import call_command

from certification.models import Certificate
from certification.verification import verify_credential

from .conftest import run_digitalbazaar


def seed():
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", "--allow-production", stdout=devnull)


@pytest.mark.django_db
def test_seed_issues_demo_certificates_once_through_the_pipeline():
    seed()
    certificates = {certificate.recipient_name: certificate for certificate in Certificate.objects.all()}
    assert set(certificates) == {"Nusrat Jahan", "রহিম উদ্দিন"}
    bengali = certificates["রহিম উদ্দিন"]
    assert bengali.language == "bn" and bengali.renderer == "weasyprint"
    assert certificates["Nusrat Jahan"].accrediting_body_name
    for certificate in certificates.values():
        assert certificate.enrolment.completed_at is not None
        assert verify_credential(data=certificate.pdf.read()).valid
    results = run_digitalbazaar([json.loads(c.credential) for c in certificates.values()])
    assert all(result["verified"] and result["revoked"] is False for result in results), results
    seed()
    assert Certificate.objects.count() == 2
