"""Demo certificates: the demo civil servant and the demo citizen complete a course each.

They complete it through the same services a learner's browser drives (enrol, answer every
activity, complete every lesson), so the certificate comes out of the real pipeline: the
``course_completed`` signal queues the issuing task after the commit. Running it again adds nothing.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses.activities import ACTIVITY_BLOCK_TYPES, activity_iri
from courses.identity import source_id
from courses.models import CoursePage, LessonPage
from lms.models import Enrolment
from lms.services import complete_lesson, enrol, record_activity_result

from .expiry import send_expiry_reminders
from .issuance import add_months
from .keys import signing_configured
from .models import Certificate
from .recertification import open_due_recertifications
from .services import issue_certificate

DEMO_EVENT_NAMESPACE = uuid.UUID("0b6f3c1e-5d2a-4a7b-9c8e-3f1a2b4c5d6e")
DEMO_COMPLETIONS = [("officer", "digital-governance-foundations", "en"), ("citizen", "online-public-services", "bn")]
# A certificate close to expiry, so that its reminders and its recertification show in the demo: the
# officer completed ICT Procurement (valid 24 months) so long ago that it expires in 20 days.
DEMO_EXPIRING = ("officer", "ict-procurement", "en", 20)


def _complete(user: Any, course: CoursePage) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=user, course_id=source_id(course)).first() or enrol(
        user=user, course=course
    )
    if enrolment.completed_at is not None:
        return enrolment
    for lesson in LessonPage.objects.live().descendant_of(course).order_by("path"):
        block_ids = [block.id for block in lesson.body if block.block_type in ACTIVITY_BLOCK_TYPES]
        for block_id in block_ids:
            record_activity_result(
                user=user,
                activity_iri=activity_iri(lesson_id=lesson.pk, block_id=block_id),
                event_id=str(uuid.uuid5(DEMO_EVENT_NAMESPACE, f"{user.pk}/{lesson.pk}/{block_id}")),
                score_raw=1,
                score_max=1,
                success=True,
                completion=True,
            )
        if not block_ids:
            complete_lesson(user=user, lesson=lesson)
    enrolment.refresh_from_db()
    return enrolment


def grant_release_to_reviewers() -> None:
    """The demo's reviewers release certificates held for review (the permission of ``release``)."""
    from django.contrib.auth.models import Group, Permission

    from courses.services import REVIEWERS

    reviewers, _created = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(
        Permission.objects.get(content_type__app_label="certification", codename="release_certificate")
    )


def _seed_expiring(username: str, slug: str, language: str, days_left: int) -> Certificate | None:
    """Complete the course long enough ago that its certificate expires in ``days_left`` days, then
    send what the beat sends (the due reminder, the recertification window): once, however often the
    demo is seeded (a learner who has a certificate of the course is left alone)."""
    user = get_user_model().objects.get(username=username)
    course = CoursePage.objects.live().filter(slug=slug, locale__language_code=language).first()
    if course is None or not course.certificate_valid_months:
        return None
    if Certificate.objects.filter(user=user, course_id=source_id(course)).exists():
        return Certificate.objects.filter(user=user, course_id=source_id(course)).order_by("issued_at").first()
    with transaction.atomic():
        enrolment = _complete(user, course)
        if enrolment.completed_at is None:
            return None
        expires = timezone.now() + timedelta(days=days_left)
        completed_at = expires - (add_months(expires, course.certificate_valid_months) - expires)
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=completed_at)
    enrolment.refresh_from_db()
    certificate = issue_certificate(enrolment=enrolment)
    send_expiry_reminders()
    open_due_recertifications()
    return certificate


def seed_demo_certificates(completions: list[tuple[str, str, str]] = DEMO_COMPLETIONS) -> list[Certificate]:
    """Complete each (username, course slug, locale) and return the certificates that resulted.

    Without a signing key (production settings before one is configured) nothing is done.
    """
    grant_release_to_reviewers()
    if not signing_configured():
        return []
    User = get_user_model()
    enrolments = []
    with transaction.atomic():
        for username, slug, language in completions:
            user = User.objects.get(username=username)
            course = CoursePage.objects.live().get(slug=slug, locale__language_code=language)
            enrolments.append(_complete(user, course))
    # After the commit the signal has queued the task (run eagerly by default). Issuing is
    # idempotent, so this also covers enrolments completed before certificates existed.
    certificates = [issue_certificate(enrolment=enrolment) for enrolment in enrolments if enrolment.completed_at]
    if completions is DEMO_COMPLETIONS:
        expiring = _seed_expiring(*DEMO_EXPIRING)
        certificates += [expiring] if expiring is not None else []
    return certificates
