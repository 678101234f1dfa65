"""Expiry and recertification: reminders before a certificate expires (each offset once, by email in
the learner's language and in the site), the course reopening when the window opens, and the
recertification that supersedes (never revokes) the old certificate, shown as a chain."""

import json
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone, translation
from django.utils.formats import date_format

from certification.expiry import send_expiry_reminders
from certification.models import AuditAction, Certificate, CertificateKind, ExpiryReminder, Recertification
from certification.recertification import (
    RecertificationRefused,
    due_for_recertification,
    open_due_recertifications,
    open_recertification,
)
from certification.selectors import certificate_state, certification_history
from certification.services import issue_certificate, reissue_certificate, revoke_certificate
from certification.status_lists import bit_is_set
from certification.verification import verify_credential
from courses.activities import ACTIVITY_BLOCK_TYPES, activity_iri
from courses.models import CoursePage
from lms.models import Enrolment, EnrolmentStatus, LearnerProfile, LessonProgress, Notice, NoticeKind, Organisation
from lms.selectors import organisation_report
from lms.services import assign_course, complete_lesson, record_activity_result
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

from .conftest import completed_enrolment

VALID_MONTHS = 12


@pytest.fixture
def expiring_course(tree):
    course = tree.course
    course.certificate_valid_months = VALID_MONTHS
    course.recertification_window_days = 30
    course.save_revision().publish()
    course.refresh_from_db()
    return course


def certificate_expiring_in(user, course, days: int) -> Certificate:
    """A real certificate of a completion made long enough ago that it expires in ``days`` days."""
    completed_at = timezone.now() - timedelta(days=365 - days)
    while True:  # twelve months from completion is not always 365 days: adjust to the exact count
        enrolment = completed_enrolment(user, course, completed_at=completed_at)
        from certification.issuance import add_months

        expires = add_months(completed_at, VALID_MONTHS)
        left = (timezone.localdate(expires) - timezone.localdate()).days
        if left == days:
            break
        completed_at -= timedelta(days=left - days)
    return issue_certificate(enrolment=enrolment)


@pytest.fixture(autouse=True)
def _eager(eager):
    """The embedded default here: the issuing task runs in the calling process."""


def complete_lessons(user, lessons) -> None:
    """As the learner's browser would: answer every activity, mark the lessons without any done; the
    completion's signal and task run as after a real commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        _complete_lessons(user, lessons)


def _complete_lessons(user, lessons) -> None:
    for lesson in lessons:
        blocks = [block.id for block in lesson.body if block.block_type in ACTIVITY_BLOCK_TYPES]
        for block_id in blocks:
            record_activity_result(
                user=user,
                activity_iri=activity_iri(lesson_id=lesson.pk, block_id=block_id),
                event_id=str(uuid.uuid4()),
                score_raw=1,
                score_max=1,
                success=True,
                completion=True,
            )
        if not blocks:
            complete_lesson(user=user, lesson=lesson)


def complete_through_lessons(user, tree) -> None:
    complete_lessons(user, tree.lessons)


@pytest.mark.django_db
def test_each_reminder_goes_out_once_at_its_offset_by_email_and_in_the_site(expiring_course, officer):
    certificate = certificate_expiring_in(officer, expiring_course, 59)
    assert send_expiry_reminders() == 1
    assert send_expiry_reminders() == 0  # a second run the same day sends nothing
    later = timezone.now() + timedelta(days=30)  # 29 days left: the 30-day reminder
    assert send_expiry_reminders(now=later) == 1
    assert send_expiry_reminders(now=later) == 0
    assert send_expiry_reminders(now=timezone.now() + timedelta(days=53)) == 1  # 6 days left
    assert send_expiry_reminders(now=timezone.now() + timedelta(days=58)) == 0  # nothing after the last offset
    assert send_expiry_reminders(now=timezone.now() + timedelta(days=60)) == 0  # expired: no reminder
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30, 60]
    assert len(mail.outbox) == 3 and mail.outbox[0].to == [officer.email]
    assert expiring_course.title in mail.outbox[0].subject
    assert timezone.localdate(certificate.valid_until).strftime("%Y") in mail.outbox[0].body
    notices = Notice.objects.filter(enrolment=certificate.enrolment, kind=NoticeKind.CERTIFICATE_EXPIRING)
    assert sorted(notices.values_list("key", flat=True)) == ["1:30", "1:60", "1:7"]
    assert set(notices.values_list("on_date", flat=True)) == {timezone.localdate(certificate.valid_until)}


@pytest.mark.django_db
def test_only_the_nearest_due_offset_is_sent_when_several_are_due(expiring_course, officer):
    certificate_expiring_in(officer, expiring_course, 5)
    assert send_expiry_reminders() == 1
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7]
    assert send_expiry_reminders() == 0


@pytest.mark.django_db
def test_a_bengali_learners_reminder_is_in_bengali_with_bengali_digits(expiring_course, citizen):
    certificate = certificate_expiring_in(citizen, expiring_course, 20)
    Certificate.objects.filter(pk=certificate.pk).update(language="bn")
    assert send_expiry_reminders() == 1
    body = mail.outbox[0].body
    with translation.override("bn"):
        expiry = date_format(timezone.localdate(certificate.valid_until), "j F Y")
    assert expiry in body and "২০" in body  # the date and the days left, in Bengali digits and month names
    assert "20 " not in body and "2026" not in body
    assert "/bn/learning/" in body  # the links open the Bengali pages


@pytest.mark.django_db
def test_the_window_reopens_the_course_once_and_recertification_supersedes_the_old_certificate(
    tree, expiring_course, officer
):
    old = certificate_expiring_in(officer, expiring_course, 40)
    assert due_for_recertification() == []  # the window (30 days) is not open yet
    assert open_due_recertifications(now=timezone.now() + timedelta(days=11)) == 1
    assert open_due_recertifications(now=timezone.now() + timedelta(days=12)) == 0  # once
    enrolment = Enrolment.objects.get(pk=old.enrolment_id)
    assert (enrolment.cycle, enrolment.status, enrolment.progress_percent) == (2, EnrolmentStatus.ENROLLED, 0)
    assert enrolment.completed_at is None and enrolment.due_on == timezone.localdate(old.valid_until)
    assert not LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).exists()
    assert Notice.objects.filter(enrolment=enrolment, kind=NoticeKind.RECERTIFICATION, key="2").count() == 1
    issue_certificate(enrolment=completed_enrolment(officer, expiring_course))

    new = Certificate.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert (new.kind, new.cycle, new.generation, new.replaces_id) == (CertificateKind.RECERTIFICATION, 2, 2, old.pk)
    assert old.superseded_at is not None and not old.is_revoked
    assert not bit_is_set(bytes(old.status_list.bits), old.status_index)  # superseded, not revoked
    assert new.valid_until > old.valid_until
    assert issue_certificate(enrolment=Enrolment.objects.get(pk=enrolment.pk)) == new  # nothing issued twice
    assert Certificate.objects.count() == 2
    assert [c.pk for c in certification_history(new)] == [old.pk, new.pk]
    assert (certificate_state(old), certificate_state(new)) == ("superseded", "valid")
    actions = set(old.audit_entries.values_list("action", flat=True))
    assert {AuditAction.SUPERSEDED, AuditAction.RECERTIFICATION_OPENED} <= actions

    result = verify_credential(data=old.credential.encode())
    assert result.genuine and not result.revoked and result.superseded_by == new
    answer = result.as_dict()
    assert answer["superseded"] is True and answer["superseded_by"]["credential_id"] == new.credential_id
    assert verify_credential(data=new.credential.encode()).as_dict()["superseded_by"] is None


@pytest.mark.django_db
def test_completing_the_reopened_course_through_its_lessons_issues_the_recertification(tree, expiring_course, officer):
    old = certificate_expiring_in(officer, expiring_course, 10)
    assert open_due_recertifications() == 1
    complete_through_lessons(officer, tree)  # course_completed → the issuing task (eager here)
    new = Certificate.objects.get(replaces=old)
    assert new.kind == CertificateKind.RECERTIFICATION and new.enrolment_id == old.enrolment_id
    assert Notice.objects.filter(enrolment_id=old.enrolment_id, kind=NoticeKind.CERTIFICATE).count() == 2
    # the sweep finds nothing more to issue for the new cycle
    from certification.selectors import enrolments_lacking_a_certificate

    assert enrolments_lacking_a_certificate() == []


@pytest.mark.django_db
def test_a_refresher_course_recertifies_the_course_it_refreshes(tree, expiring_course, officer):
    module = ModulePageFactory(parent=CoursePageFactory(parent=tree.catalogue, title="Refresher", slug="refresher"))
    refresher = CoursePage.objects.get(pk=module.get_parent().pk)
    lesson = LessonPageFactory(parent=module)
    expiring_course.refresher_course = refresher
    expiring_course.save_revision().publish()
    old = certificate_expiring_in(officer, CoursePage.objects.get(pk=expiring_course.pk), 10)
    assert open_due_recertifications() == 1
    taken = Enrolment.objects.get(user=officer, course=refresher)
    assert taken.due_on == timezone.localdate(old.valid_until) and taken.source == "recertification"
    assert Enrolment.objects.get(pk=old.enrolment_id).is_completed  # the certified course stays completed
    complete_lessons(officer, [lesson])
    new = Certificate.objects.get(replaces=old)
    assert new.course_id == expiring_course.pk and new.course_title == expiring_course.title
    assert new.enrolment_id == taken.pk and new.kind == CertificateKind.RECERTIFICATION
    assert json.loads(new.credential)["credentialSubject"]["achievement"]["name"] == expiring_course.title
    assert not Certificate.objects.filter(course=refresher).exists()


@pytest.mark.django_db
def test_a_refresher_must_be_another_course_with_expiring_certificates(tree, expiring_course):
    from django.core.exceptions import ValidationError

    expiring_course.refresher_course = expiring_course
    with pytest.raises(ValidationError, match="own refresher"):
        expiring_course.full_clean()
    other = CoursePageFactory(parent=tree.catalogue, title="Other", slug="other")
    other.refresher_course = expiring_course
    with pytest.raises(ValidationError, match="expire"):
        other.full_clean()


@pytest.mark.django_db
def test_a_revoked_certificate_is_never_recertified(tree, expiring_course, officer):
    certificate = certificate_expiring_in(officer, expiring_course, 10)
    revoke_certificate(certificate=certificate, reason="Exam irregularity")
    assert due_for_recertification() == []
    with pytest.raises(RecertificationRefused, match="revoked") as refused:
        open_recertification(certificate=certificate)
    assert refused.value.code == "revoked"
    assert not Recertification.objects.exists()
    enrolment = Enrolment.objects.get(pk=certificate.enrolment_id)
    assert enrolment.is_completed and enrolment.cycle == 1
    assert send_expiry_reminders() == 0  # a revoked certificate is not reminded either


@pytest.mark.django_db
def test_a_certificate_revoked_after_its_window_opened_is_not_superseded(tree, expiring_course, officer):
    certificate = certificate_expiring_in(officer, expiring_course, 10)
    open_due_recertifications()
    revoke_certificate(certificate=certificate, reason="Exam irregularity")
    complete_through_lessons(officer, tree)
    new = Certificate.objects.exclude(pk=certificate.pk).get()
    certificate.refresh_from_db()
    assert new.kind == CertificateKind.COURSE and new.replaces_id is None and new.cycle == 2
    assert certificate.is_revoked and certificate.superseded_at is None


@pytest.mark.django_db
def test_superseded_and_non_expiring_certificates_are_refused_clearly(tree, expiring_course, officer, citizen):
    old = certificate_expiring_in(officer, expiring_course, 10)
    open_due_recertifications()
    complete_through_lessons(officer, tree)
    old.refresh_from_db()
    with pytest.raises(RecertificationRefused) as refused:
        open_recertification(certificate=old)
    assert refused.value.code == "superseded"
    from certification.services import CertificateStateError

    with pytest.raises(CertificateStateError, match="superseded"):
        reissue_certificate(certificate=old, reason="typo")
    plain = CoursePageFactory(parent=tree.catalogue, title="Plain", slug="plain")
    never = issue_certificate(enrolment=completed_enrolment(citizen, plain))
    with pytest.raises(RecertificationRefused) as refused:
        open_recertification(certificate=never)
    assert refused.value.code == "no_expiry"
    assert Recertification.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_reissue_keeps_its_reminders_and_its_window(expiring_course, officer):
    certificate = certificate_expiring_in(officer, expiring_course, 20)
    assert send_expiry_reminders() == 1
    assert open_due_recertifications() == 1
    corrected = reissue_certificate(certificate=certificate, reason="Name misspelt", recipient_name="N. Jahan")
    assert corrected.cycle == 1 and corrected.kind == CertificateKind.REISSUE
    assert send_expiry_reminders() == 0 and open_due_recertifications() == 0


@pytest.mark.django_db
def test_an_expired_mandatory_certification_shows_overdue_to_the_unit_and_the_learner(
    client, tree, expiring_course, officer
):
    unit = Organisation.add_root(name="ICT Division", kind="division", code="ictd")
    LearnerProfile.objects.update_or_create(user=officer, defaults={"organisation": unit, "kind": "civil_servant"})
    assign_course(organisation=unit, course=expiring_course, due_on=timezone.localdate() + timedelta(days=1))
    certificate = certificate_expiring_in(officer, expiring_course, 3)
    assert organisation_report(organisation=unit)["by_course"][0]["overdue"] == 0
    open_due_recertifications()
    # three days later the certificate expired and the reopened course was not completed again
    Enrolment.objects.filter(pk=certificate.enrolment_id).update(due_on=timezone.localdate() - timedelta(days=1))
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=timezone.now() - timedelta(hours=1))
    assert organisation_report(organisation=unit)["by_course"][0]["overdue"] == 1
    client.force_login(officer)
    page = client.get("/en/learning/").content.decode()
    assert "Overdue" in page and "Reopened for recertification" in page
    assert "Expired on" in page and f"/v/{certificate.pk}" in page


@pytest.mark.django_db
def test_the_pages_and_the_api_show_the_chain(client, tree, expiring_course, officer):
    old = certificate_expiring_in(officer, expiring_course, 10)
    open_due_recertifications()
    complete_through_lessons(officer, tree)
    new = Certificate.objects.get(replaces=old)
    page = client.get(f"/en/v/{old.pk}").content.decode()
    assert "Genuine, superseded by a newer certificate" in page
    assert f'href="/en/v/{new.pk}"' in page and "History of this certification" in page
    assert "Genuine certificate" in client.get(f"/en/v/{new.pk}").content.decode()
    client.force_login(officer)
    mine = client.get("/en/certificates/").content.decode()
    assert "Superseded" in mine and "Recertification: it renews" in mine
    detail = client.get(f"/api/v1/certificates/{old.pk}/", HTTP_ACCEPT="application/json").json()
    assert detail["state"] == "superseded" and detail["replaced_by"] == str(new.pk)
    assert [entry["id"] for entry in detail["history"]] == [str(old.pk), str(new.pk)]
    assert [entry["state"] for entry in detail["history"]] == ["superseded", "valid"]
    listed = client.get("/api/v1/me/certificates/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["kind"] for row in rows} == {"course", "recertification"}
    verified = client.post(
        "/api/v1/certificates/verify/",
        data={"credential": json.loads(old.credential)},
        content_type="application/json",
    ).json()
    assert verified["superseded"] is True and verified["superseded_by"]["credential_id"] == new.credential_id


@pytest.mark.django_db
def test_a_learner_sees_only_their_own_chain(client, tree, expiring_course, officer, citizen):
    old = certificate_expiring_in(officer, expiring_course, 10)
    client.force_login(citizen)
    assert f"/v/{old.pk}" not in client.get("/en/certificates/").content.decode()
    listed = client.get("/api/v1/me/certificates/").json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []


@pytest.mark.django_db
def test_recertified_and_superseded_credentials_pass_digital_bazaars_verifier_and_the_1edtech_schema(
    tree, expiring_course, officer
):
    from jsonschema import Draft201909Validator

    from .conftest import run_digitalbazaar
    from .test_paper_qr import SCHEMA

    old = certificate_expiring_in(officer, expiring_course, 10)
    open_due_recertifications()
    complete_through_lessons(officer, tree)
    new = Certificate.objects.get(replaces=old)
    validator = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)
    for kind, certificate in {"superseded course certificate": old, "recertified": new}.items():
        credential = json.loads(certificate.credential)
        errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(credential)]
        assert errors == [], kind
        assert "validUntil" in credential
    superseded, recertified = run_digitalbazaar([json.loads(old.credential), json.loads(new.credential)])
    assert superseded == {"verified": True, "revoked": False, "statusChecked": True, "errors": []}
    assert recertified == {"verified": True, "revoked": False, "statusChecked": True, "errors": []}


@pytest.mark.parametrize("offsets", ["60,30", (60, -1), (1000,), (30, True)])
def test_reminder_offsets_that_are_not_whole_days_are_a_system_check_error(settings, offsets):
    from certification.checks import check_settings

    settings.CERTIFICATION_EXPIRY_REMINDER_DAYS = offsets
    assert "certification.E005" in {error.id for error in check_settings()}
    settings.CERTIFICATION_EXPIRY_REMINDER_DAYS = (60, 30, 7)
    assert "certification.E005" not in {error.id for error in check_settings()}


@pytest.mark.django_db
def test_the_chain_costs_the_same_queries_however_long_it_is(client, tree, expiring_course, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = certificate_expiring_in(officer, expiring_course, 10)
    open_due_recertifications()
    complete_through_lessons(officer, tree)
    client.force_login(officer)

    def costs() -> tuple[int, int]:
        counts = []
        for url in (f"/en/v/{old.pk}", "/en/certificates/"):
            client.get(url)  # warm caches (site, locales)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return tuple(counts)

    two = costs()
    reissue_certificate(certificate=Certificate.objects.get(replaces=old), reason="Name misspelt")
    assert len(certification_history(old)) == 3
    assert costs() == two
