import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from certification import keys
from certification.issuers import did_document, issuer_did
from certification.models import IssuerProfile, StatusList
from certification.services import issue_certificate, signed_status_list, status_list_url
from lms.models import Enrolment, EnrolmentStatus
from tests.factories import AccreditingBodyFactory, CoursePageFactory, UserFactory
from tests.node_scripts import run_script

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = Path(__file__).with_name("digitalbazaar_verify.mjs")


@pytest.fixture(autouse=True)
def certificate_settings(settings, tmp_path):
    """A fresh signing key and media folder per test, never the developer's own."""
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys" / "certification.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.WAGTAILADMIN_BASE_URL = "https://learning.example.gov.bd"
    for name in ("CERTIFICATION_SIGNING_KEY", "CERTIFICATION_RETIRED_KEYS"):
        os.environ.pop(name, None)
    keys._cache.clear()
    return settings


@pytest.fixture
def accredited_course(tree):
    body = AccreditingBodyFactory(name="Bangladesh Public Administration Training Centre")
    course = tree.course
    course.accrediting_body = body
    course.credit_hours = Decimal("4.5")
    course.curriculum_code = "DG-101"
    course.passing_score = 70
    course.save_revision().publish()
    course.refresh_from_db()
    return course


@pytest.fixture
def bengali_course(tree):
    course = CoursePageFactory(parent=tree.catalogue, title="অনলাইন সরকারি সেবা", language="bn", slug="online-bn")
    return course


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", first_name="Nusrat", last_name="Jahan", email="officer@example.gov.bd")


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen", first_name="রহিম", last_name="উদ্দিন", email="citizen@example.com")


def completed_enrolment(user, course, *, completed_at=None, score=None) -> Enrolment:
    """A real enrolment, completed as the progress service would leave it."""
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.progress_percent = 100
    enrolment.completed_at = completed_at or timezone.now()
    enrolment.score_scaled = score
    enrolment.save()
    return enrolment


@pytest.fixture
def eager(monkeypatch):
    """The embedded default: tasks run in the calling process (whatever the broker settings)."""
    from certification.tasks import issue_certificate_task

    monkeypatch.setitem(issue_certificate_task.app.conf, "task_always_eager", True)


@pytest.fixture
def issue(db):
    def issue(user, course, **kwargs):
        return issue_certificate(enrolment=completed_enrolment(user, course, **kwargs))

    return issue


def published_documents() -> dict:
    """Every DID document and status list of the site, keyed by the URL a verifier resolves."""
    documents = {}
    for profile in IssuerProfile.objects.all():
        documents[issuer_did(profile)] = did_document(profile)
    for status_list in StatusList.objects.all():
        documents[status_list_url(status_list)] = json.loads(signed_status_list(status_list=status_list))
    return documents


def run_digitalbazaar(
    credentials: list[dict] | None = None, documents: dict | None = None, *, qr_texts: list[str] | None = None
) -> list[dict]:
    """Verify with Digital Bazaar's @digitalbazaar/vc under Node, fully offline (QR texts are decoded
    there first, by third-party code)."""
    payload = {"documents": documents if documents is not None else published_documents()}
    payload.update({"qrTexts": qr_texts} if qr_texts is not None else {"credentials": credentials})
    return run_script(VERIFIER, payload, package="@digitalbazaar/vc")
