"""A civil servant completes a programme and receives a programme credential aligned to its
competencies: issued once, through the one issuance pipeline, verified by Digital Bazaar's verifier
and valid against 1EdTech's AchievementCredential schema, like every course credential."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.db import IntegrityError, transaction

from certification.models import Certificate
from certification.services import issue_programme_certificate
from lms.models import ProgrammeCompletion
from lms.programmes.services import ProgrammeNotComplete, complete_programme
from tests.programmes import complete_course, course_with_lesson, framework_with, programme_of

from .conftest import run_digitalbazaar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]  # the programme's task, in process

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text())


@pytest.fixture
def programme_setup(tree):
    interop, service_design, procurement = framework_with(
        ("DG-1", "Interoperability of government systems"),
        ("DG-2", "Designing public services"),
        ("DG-3", "Buying ICT well"),
    )
    first = course_with_lesson(tree.catalogue, "Interoperability basics", competencies=[interop])
    second = course_with_lesson(tree.catalogue, "Service design", competencies=[service_design])
    extra = course_with_lesson(tree.catalogue, "ICT procurement", competencies=[procurement])
    programme = programme_of(
        [first, second, extra], optional=[extra], minimum=2, competencies=[interop, service_design]
    )
    return programme, (first, second, extra), (interop, service_design, procurement)


def test_completing_the_programme_issues_one_credential_aligned_to_its_competencies(
    programme_setup, officer, django_capture_on_commit_callbacks
):
    programme, (first, second, _extra), (interop, service_design, _procurement) = programme_setup
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
    assert not ProgrammeCompletion.objects.exists()  # one of two courses: not yet
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, second)

    completion = ProgrammeCompletion.objects.get(user=officer)
    certificate = Certificate.objects.get(programme_completion=completion)
    course_certificates = {c.course_id: c for c in Certificate.objects.filter(enrolment__user=officer)}
    assert set(course_certificates) == {first.pk, second.pk}

    credential = json.loads(certificate.credential)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "LearningProgram"
    assert achievement["name"] == "Digital governance programme"
    assert {a["targetName"] for a in achievement["alignment"]} == {interop.name, service_design.name}
    alignment = achievement["alignment"][0]
    assert alignment["targetType"] == "CFItem"
    assert alignment["targetUrl"].endswith(f"/ims/case/v1p0/CFItems/{interop.translation_key}")
    assert alignment["targetFramework"] == "Digital governance competencies"
    assert [e["name"] for e in credential["evidence"]] == ["Interoperability basics", "Service design"]
    assert {e["id"] for e in credential["evidence"]} == {c.credential_id for c in course_certificates.values()}
    assert certificate.course_title == "Digital governance programme"
    assert certificate.pdf.size > 0 and certificate.badge.size > 0

    # the course credentials carry their competencies too
    first_credential = json.loads(course_certificates[first.pk].credential)
    assert [a["targetCode"] for a in first_credential["credentialSubject"]["achievement"]["alignment"]] == ["DG-1"]


def test_nothing_is_issued_twice(programme_setup, officer, django_capture_on_commit_callbacks):
    programme, (first, second, extra), _ = programme_setup
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
        complete_course(officer, second)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, extra)  # the optional course completes nothing new
    completion = ProgrammeCompletion.objects.get()
    assert complete_programme(user=officer, programme=programme) == completion
    assert issue_programme_certificate(completion=completion) == Certificate.objects.get(
        programme_completion=completion
    )
    assert Certificate.objects.filter(programme_completion__isnull=False).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeCompletion.objects.create(user=officer, programme=programme, completed_at=completion.completed_at)


def test_the_database_refuses_a_second_programme_certificate(
    programme_setup, officer, django_capture_on_commit_callbacks
):
    _programme, (first, second, _extra), _ = programme_setup
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
        complete_course(officer, second)
    certificate = Certificate.objects.get(programme_completion__isnull=False)
    duplicate = Certificate.objects.get(pk=certificate.pk)
    duplicate.pk = None
    duplicate.id = __import__("uuid").uuid4()
    duplicate.status_index += 1
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_an_unpublished_course_is_named_and_nothing_is_issued(
    programme_setup, officer, django_capture_on_commit_callbacks
):
    programme, (first, second, extra), _ = programme_setup
    second.unpublish()
    extra.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
    with pytest.raises(ProgrammeNotComplete) as refused:
        complete_programme(user=officer, programme=programme)
    assert "No longer published: “Service design”, “ICT procurement”." in str(refused.value)
    assert not ProgrammeCompletion.objects.exists()
    assert not Certificate.objects.filter(programme_completion__isnull=False).exists()


def test_a_course_unpublished_after_completion_still_counts_and_issues_once(
    programme_setup, officer, django_capture_on_commit_callbacks
):
    programme, (first, second, _extra), _ = programme_setup
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
        complete_course(officer, second)
    first.unpublish()
    assert complete_programme(user=officer, programme=programme) == ProgrammeCompletion.objects.get()
    assert Certificate.objects.filter(programme_completion__isnull=False).count() == 1


def test_every_credential_kind_verifies_with_digitalbazaar_and_fits_the_schema(
    programme_setup, officer, django_capture_on_commit_callbacks
):
    _programme, (first, second, _extra), _ = programme_setup
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
        complete_course(officer, second)
    course_certificate = Certificate.objects.get(course=first)
    programme_certificate = Certificate.objects.get(programme_completion__isnull=False)
    credentials = [json.loads(c.credential) for c in (course_certificate, programme_certificate)]
    for credential in credentials:
        jsonschema.validate(credential, SCHEMA)
    results = run_digitalbazaar(credentials)
    assert results == [{"verified": True, "revoked": False, "statusChecked": True, "errors": []}] * 2


def test_the_programme_achievement_resolves(programme_setup, officer, django_capture_on_commit_callbacks, client):
    programme, (first, second, _extra), _ = programme_setup
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
        complete_course(officer, second)
    credential = json.loads(Certificate.objects.get(programme_completion__isnull=False).credential)
    achievement_id = credential["credentialSubject"]["achievement"]["id"]
    served = client.get("/" + achievement_id.split("://", 1)[1].split("/", 1)[1])
    assert served.status_code == 200
    assert served.json()["alignment"] == credential["credentialSubject"]["achievement"]["alignment"]
    assert client.get("/certificates/programmes/00000000-0000-4000-8000-000000000000").status_code == 404
