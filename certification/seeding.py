"""Demo certificates: the demo civil servant and the demo citizen complete a course each.

They complete it through the same services a learner's browser drives (enrol, answer every
activity, complete every lesson), so the certificate comes out of the real pipeline: the
``course_completed`` signal queues the issuing task after the commit. Running it again adds nothing.
"""

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.activities import ACTIVITY_BLOCK_TYPES, activity_iri
from courses.models import CoursePage, LessonPage
from lms.models import Enrolment
from lms.services import complete_lesson, enrol, record_activity_result

from .keys import signing_configured
from .models import Certificate
from .services import issue_certificate

DEMO_EVENT_NAMESPACE = uuid.UUID("0b6f3c1e-5d2a-4a7b-9c8e-3f1a2b4c5d6e")
DEMO_COMPLETIONS = [("officer", "digital-governance-foundations", "en"), ("citizen", "online-public-services", "bn")]


def _complete(user: Any, course: CoursePage) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=user, course=course).first() or enrol(user=user, course=course)
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


def seed_demo_certificates(completions: list[tuple[str, str, str]] = DEMO_COMPLETIONS) -> list[Certificate]:
    """Complete each (username, course slug, locale) and return the certificates that resulted.

    Without a signing key (production settings before one is configured) nothing is done.
    """
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
    return [issue_certificate(enrolment=enrolment) for enrolment in enrolments if enrolment.completed_at]
