"""Recertification: when a certificate's window opens, its course reopens for its holder.

A course whose certificates expire (``certificate_valid_months``) opens the recertification of each
certificate ``recertification_window_days`` before it expires (read from the course's source copy,
so every language agrees). Opening it asks lms to reopen the course for the learner, the same course
or the refresher course the certified course names, due on the expiry date, through lms's one
enrolment and progress rules (``lms.enrolment.reopening``). The completion of that cycle issues the
certificate that supersedes the expiring one (``services.issue_certificate``).

Opened once per certified completion: the ``Recertification`` row (unique per enrolment and cycle
that the certificate attests) is written in the same transaction as the reopening, so two beat runs
at once reopen the course once, and a corrected re-issue of the certificate does not reopen it again.
A revoked or superseded certificate is never recertified.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.identity import source_of
from courses.models import CoursePage
from lms.services import EnrolmentRefused, reopen_course

from .models import AuditAction, AuditEntry, Certificate, Recertification

logger = logging.getLogger(__name__)

MAX_WINDOW_DAYS = 730  # the course field's upper bound


class RecertificationRefused(ValueError):
    """A certificate that cannot be recertified (revoked, superseded, never expiring); nothing changes."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def standing_certificates() -> QuerySet[Certificate]:
    """Certificates that stand for their holder now: not revoked, not superseded, not replaced."""
    return Certificate.objects.filter(
        revoked_at__isnull=True, superseded_at__isnull=True, replaced_by__isnull=True, user__is_active=True
    ).exclude(user__learner_profile__erased_at__isnull=False)


def recertification_course(course: CoursePage) -> CoursePage:
    """What a holder takes to recertify: the certified course's refresher course (its source copy), or
    the course itself."""
    refresher = course.refresher_course
    return course if refresher is None else source_of(refresher)


def window_opens(certificate: Certificate, course: CoursePage) -> datetime | None:
    if certificate.valid_until is None or not course.certificate_valid_months:
        return None
    return certificate.valid_until - timedelta(days=course.recertification_window_days)


def refusal(certificate: Certificate) -> RecertificationRefused | None:
    """Why this certificate cannot be recertified, or None."""
    if certificate.is_revoked:
        return RecertificationRefused("A revoked certificate cannot be recertified.", code="revoked")
    if certificate.is_superseded:
        return RecertificationRefused(
            "This certificate was already superseded by a newer one; recertify that one.", code="superseded"
        )
    if Certificate.objects.filter(replaces=certificate).exists():
        return RecertificationRefused(
            "This certificate was replaced by a corrected one; recertify that one.", code="replaced"
        )
    if certificate.valid_until is None or not certificate.course.certificate_valid_months:
        return RecertificationRefused("This certificate does not expire: there is nothing to renew.", code="no_expiry")
    return None


def open_recertification(*, certificate: Certificate, actor=None) -> Recertification | None:
    """Open the certificate's recertification now: reopen its course for the holder, due on the
    expiry date. Returns the recertification, or None when it was already open (another run opened
    it). Raises ``RecertificationRefused`` for a certificate that cannot be recertified and lms's
    ``EnrolmentRefused`` when the course cannot be reopened for the learner; either way nothing
    changes."""
    certificate = Certificate.objects.select_related("course", "user").get(pk=certificate.pk)
    refused = refusal(certificate)
    if refused is not None:
        raise refused
    course = recertification_course(certificate.course)
    due_on = timezone.localdate(certificate.valid_until)
    try:
        with transaction.atomic():
            recertification = Recertification.objects.create(
                certificate=certificate,
                from_enrolment_id=certificate.enrolment_id,
                from_cycle=certificate.cycle,
                enrolment_id=certificate.enrolment_id,
                cycle=certificate.cycle,
                due_on=due_on,
            )
            enrolment = reopen_course(user=certificate.user, course=course, due_on=due_on)
            recertification.enrolment, recertification.cycle = enrolment, enrolment.cycle
            recertification.save(update_fields=["enrolment", "cycle"])
            AuditEntry.objects.create(
                action=AuditAction.RECERTIFICATION_OPENED,
                certificate=certificate,
                actor=actor,
                details={"enrolment": enrolment.pk, "cycle": enrolment.cycle, "due_on": due_on.isoformat()},
            )
    except IntegrityError:
        if Recertification.objects.filter(
            from_enrolment_id=certificate.enrolment_id, from_cycle=certificate.cycle
        ).exists():
            return None
        raise
    return recertification


def due_for_recertification(*, now: datetime | None = None, limit: int = 200) -> list[Certificate]:
    """Standing certificates whose window has opened and whose recertification is not open yet,
    soonest expiry first (at most ``limit``)."""
    now = now or timezone.now()
    opened = Recertification.objects.filter(from_enrolment=OuterRef("enrolment"), from_cycle=OuterRef("cycle"))
    candidates = (
        standing_certificates()
        .filter(valid_until__isnull=False, valid_until__lte=now + timedelta(days=MAX_WINDOW_DAYS))
        .filter(~Q(course__certificate_valid_months=None))
        .exclude(Exists(opened))
        .select_related("course", "user")
        .order_by("valid_until", "pk")
    )
    due = []
    for certificate in candidates.iterator():
        opens = window_opens(certificate, certificate.course)
        if opens is not None and opens <= now:
            due.append(certificate)
            if len(due) >= limit:
                break
    return due


def open_due_recertifications(*, now: datetime | None = None, limit: int = 200) -> int:
    """Open every recertification whose window has opened (the beat task); how many were opened now.
    One that lms refuses (say, the refresher course is unpublished) is logged and tried again next run."""
    opened = 0
    for certificate in due_for_recertification(now=now, limit=limit):
        try:
            opened += open_recertification(certificate=certificate) is not None
        except (EnrolmentRefused, RecertificationRefused) as exc:
            logger.warning("Recertification of %s not opened: %s", certificate.pk, exc)
    return opened
