"""Assignment and Grade Services: the learner's score and completion, sent to the link's line item.

Sent when the course is completed (``course_completed``) and by ``send_lti_grades`` (a periodic
task or command) for progress that changed since the last send. Only the line item the platform
named for the link's own context is ever written to (see ``launch.check_line_item``)."""

import logging
from decimal import Decimal

from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from ..models import EnrolmentStatus
from .models import LtiGradeTarget

logger = logging.getLogger(__name__)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def grade_for(target: LtiGradeTarget) -> Grade:
    enrolment = target.enrolment
    completed = enrolment.status == EnrolmentStatus.COMPLETED
    scaled = enrolment.score_scaled
    if scaled is None and completed:
        scaled = Decimal(1)
    grade = (
        Grade()
        .set_user_id(target.platform_user_id)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress(
            "Completed" if completed else ("InProgress" if enrolment.progress_percent else "Initialized")
        )
        .set_grading_progress("FullyGraded" if completed else "Pending")
        .set_score_maximum(100)
    )
    if scaled is not None:
        grade.set_score_given(float(round(Decimal(scaled) * 100, 2)))
    grade.set_comment(f"{enrolment.progress_percent}% of the course done")
    return grade


def send_grade(target: LtiGradeTarget) -> bool:
    """Post the enrolment's current score to the line item; remember what was sent, or the error."""
    link = target.link
    if not link.lineitem_url or SCORE_SCOPE not in (link.ags_scopes or []):
        return False
    registration = link.deployment.registration
    service = AssignmentsGradesService(
        ServiceConnector(registration.to_registration()),
        {"scope": link.ags_scopes, "lineitem": link.lineitem_url, "lineitems": link.lineitems_url},
    )
    try:
        service.put_grade(grade_for(target))
    except (LtiException, LtiServiceException, OSError) as exc:
        target.last_error = str(exc)[:2000]
        target.save(update_fields=["last_error"])
        logger.warning("AGS score for %s not accepted: %s", target.pk, exc)
        return False
    target.sent_progress = target.enrolment.progress_percent
    target.sent_score = target.enrolment.score_scaled
    target.sent_at = timezone.now()
    target.last_error = ""
    target.save(update_fields=["sent_progress", "sent_score", "sent_at", "last_error"])
    return True


def send_changed_grades() -> int:
    """Every grade target whose enrolment's progress or score changed since it was last sent."""
    targets = LtiGradeTarget.objects.select_related("enrolment", "link__deployment__registration").exclude(
        link__lineitem_url=""
    )
    changed = [
        target
        for target in targets.iterator(chunk_size=500)
        if target.sent_at is None
        or target.sent_progress != target.enrolment.progress_percent
        or target.sent_score != target.enrolment.score_scaled
    ]
    return sum(send_grade(target) for target in changed)


def send_grades_of_enrolment(enrolment) -> int:
    targets = LtiGradeTarget.objects.select_related("enrolment", "link__deployment__registration").filter(
        enrolment=enrolment
    )
    return sum(send_grade(target) for target in targets)
