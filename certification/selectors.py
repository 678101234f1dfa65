"""Queries about certificates, each a fixed number of database queries."""

import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from courses.identity import copies_in_language
from lms.models import Enrolment, EnrolmentStatus, ProgrammeCompletion

from .models import AuditEntry, Certificate, CertificateRelease, StatusList


def certificate_by_id(certificate_id: uuid.UUID) -> Certificate | None:
    return (
        Certificate.objects.select_related("issuer", "replaced_by", "replaces", "status_list")
        .filter(pk=certificate_id)
        .first()
    )


def certificates_of(user: AbstractBaseUser) -> QuerySet[Certificate]:
    """The learner's certificates, newest first, with what their list shows."""
    return Certificate.objects.filter(user=user).select_related("issuer", "replaced_by").order_by("-issued_at")


def course_title_for_reader(certificate: Certificate, language: str) -> tuple[str, str]:
    """The certificate's course title in the reader's language, and that language: the course's copy
    in ``language`` where one is live, else the title the certificate was issued with."""
    if certificate.course_id is None:  # a programme's certificate
        return certificate.course_title, certificate.language
    copy = copies_in_language([certificate.course_id], language).get(certificate.course_id)
    if copy is not None and copy.live:
        return copy.title, language
    return certificate.course_title, certificate.language


def issued_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("issuer").order_by("issued_at")


def status_lists() -> QuerySet[StatusList]:
    return StatusList.objects.select_related("issuer").order_by("pk")


def audit_log() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor", "certificate").order_by("-at", "-id")


def enrolments_lacking_a_certificate(*, grace_seconds: int = 0, limit: int = 200) -> list[Enrolment]:
    """Completed enrolments of learners not erased that have no certificate for their current cycle yet
    (completed more than ``grace_seconds`` ago), oldest completion first, at most ``limit``."""
    return list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED,
            completed_at__isnull=False,
            completed_at__lte=timezone.now() - timedelta(seconds=grace_seconds),
            user__is_active=True,
        )
        .exclude(user__learner_profile__erased_at__isnull=False)
        .exclude(Exists(Certificate.objects.filter(enrolment=OuterRef("pk"), cycle=OuterRef("cycle"))))
        .exclude(Exists(CertificateRelease.objects.filter(enrolment=OuterRef("pk"), released_at__isnull=True)))
        .select_related("user", "course")
        .order_by("completed_at", "pk")[:limit]
    )


def certificate_state(certificate: Certificate, *, now=None) -> str:
    """What a certificate is now: ``valid``, ``expired``, ``superseded`` (renewed by a recertification,
    still genuine), ``replaced`` (revoked by a corrected re-issue) or ``revoked``."""
    if certificate.is_revoked:
        return "replaced" if _has_replacement(certificate) else "revoked"
    if certificate.is_superseded:
        return "superseded"
    if certificate.valid_until is not None and certificate.valid_until <= (now or timezone.now()):
        return "expired"
    return "valid"


def _has_replacement(certificate: Certificate) -> bool:
    try:
        return certificate.replaced_by is not None
    except Certificate.DoesNotExist:
        return False


def certification_histories(*, user_id: int) -> dict[int, list[Certificate]]:
    """Every certificate of the learner, by certified course, oldest first: the chain of each
    certification (first issue, corrected re-issues, recertifications). One query."""
    histories: dict[int, list[Certificate]] = {}
    certificates = (
        Certificate.objects.filter(user_id=user_id, course_id__isnull=False)  # programmes: their own list
        .select_related("replaced_by")
        .order_by("issued_at", "pk")
    )
    for certificate in certificates:
        histories.setdefault(certificate.course_id, []).append(certificate)
    return histories


def certification_history(certificate: Certificate) -> list[Certificate]:
    """The chain ``certificate`` belongs to: the holder's certificates of the same course (or of the
    same programme completion), oldest first."""
    if certificate.programme_completion_id is not None:
        chain = Certificate.objects.filter(programme_completion_id=certificate.programme_completion_id)
    else:
        chain = Certificate.objects.filter(user_id=certificate.user_id, course_id=certificate.course_id)
    return list(chain.select_related("replaced_by").order_by("issued_at", "pk"))


def programme_completions_lacking_a_certificate(
    *, grace_seconds: int = 0, limit: int = 200
) -> list[ProgrammeCompletion]:
    """Programme completions of learners not erased that have no certificate yet, oldest first."""
    return list(
        ProgrammeCompletion.objects.filter(
            completed_at__lte=timezone.now() - timedelta(seconds=grace_seconds), user__is_active=True
        )
        .exclude(user__learner_profile__erased_at__isnull=False)
        .exclude(Exists(Certificate.objects.filter(programme_completion=OuterRef("pk"))))
        .select_related("user", "programme")
        .order_by("completed_at", "pk")[:limit]
    )
