"""Certificates held until released: for courses whose results someone checks before they count.

A course with ``certificates_need_release`` (read from its source copy, so every language's copy
agrees) does not issue on completion. The completion leaves a pending ``CertificateRelease`` and the
learner sees "pending release"; a reviewer (the ``certification.release_certificate`` permission) or
one of the course's trainers (its owner or a co-trainer) releases one certificate, a filtered set or
all of them, and each release queues the usual issuing task. Issuance stays exactly-once: the task
issues per (enrolment, generation), and a release already made is never made twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import CoursePage
from lms.models import Enrolment
from lms.reports.selectors import trainer_courses

from .models import Certificate, CertificateRelease

RELEASE_PERMISSION = "certification.release_certificate"


def holds_certificates(enrolment: Enrolment) -> bool:
    """Whether the enrolment's course holds certificates (enrolments name the source copy)."""
    return bool(CoursePage.objects.filter(pk=enrolment.course_id, certificates_need_release=True).exists())


def hold_or_release(enrolment: Enrolment) -> bool:
    """Whether the certificate of this completed enrolment may be issued now.

    True for a course that does not hold certificates, or once the enrolment's release was made; for
    a held course with no release yet, records the pending release (once) and answers False.
    """
    if not holds_certificates(enrolment):
        return True
    if Certificate.objects.filter(enrolment_id=enrolment.pk).exists():
        return True  # issued before the course began holding certificates: nothing to hold
    release, _created = CertificateRelease.objects.get_or_create(
        enrolment_id=enrolment.pk, defaults={"course_id": enrolment.course_id}
    )
    return not release.is_pending


def releasable_courses(*, user: AbstractBaseUser) -> QuerySet[CoursePage]:
    """The held courses whose certificates ``user`` may release (source copies)."""
    held = CoursePage.objects.filter(certificates_need_release=True)
    if user.is_authenticated and (user.is_superuser or user.has_perm(RELEASE_PERMISSION)):
        return held.filter(pk__in=CertificateRelease.objects.values("course_id")).order_by("title")
    return held.filter(pk__in=trainer_courses(user=user).values("pk")).order_by("title")


def may_release(*, user: AbstractBaseUser, course: CoursePage) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm(RELEASE_PERMISSION):
        return True
    return trainer_courses(user=user).filter(pk=course.pk).exists()


def pending_releases(
    *,
    user: AbstractBaseUser,
    course: CoursePage | None = None,
    completed_from: date | None = None,
    completed_to: date | None = None,
    learner: str = "",
) -> QuerySet[CertificateRelease]:
    """The pending releases ``user`` may act on, narrowed by course, completion date and learner name."""
    releases = CertificateRelease.objects.filter(
        released_at__isnull=True, course__in=releasable_courses(user=user)
    ).select_related("enrolment__user", "course")
    if course is not None:
        releases = releases.filter(course=course)
    if completed_from is not None:
        releases = releases.filter(enrolment__completed_at__date__gte=completed_from)
    if completed_to is not None:
        releases = releases.filter(enrolment__completed_at__date__lte=completed_to)
    if learner.strip():
        term = learner.strip()
        releases = releases.filter(
            Q(enrolment__user__username__icontains=term)
            | Q(enrolment__user__first_name__icontains=term)
            | Q(enrolment__user__last_name__icontains=term)
        )
    return releases.order_by("held_at", "pk")


def release_certificates(*, releases: Iterable[CertificateRelease], actor: AbstractBaseUser) -> int:
    """Release these held certificates and queue their issuing; answers how many were released now.

    All or nothing: if ``actor`` may not release one of them, nothing is released
    (``PermissionDenied``). A release that someone else made meanwhile is skipped, not made twice.
    """
    from .tasks import issue_certificate_task

    wanted = [release.pk for release in releases]
    with transaction.atomic():
        locked = list(
            CertificateRelease.objects.select_for_update()
            .filter(pk__in=wanted, released_at__isnull=True)
            .select_related("course")
            .order_by("pk")
        )
        allowed = {course.pk for course in releasable_courses(user=actor)}
        if any(release.course_id not in allowed for release in locked):
            raise PermissionDenied("You may not release certificates of this course.")
        now = timezone.now()
        CertificateRelease.objects.filter(pk__in=[release.pk for release in locked]).update(
            released_at=now, released_by=actor
        )
        for release in locked:
            enrolment_id = release.enrolment_id
            transaction.on_commit(lambda pk=enrolment_id: issue_certificate_task.delay(pk), robust=True)
    return len(locked)


def pending_enrolment_ids(enrolment_ids: Iterable[int]) -> set[int]:
    """Of these enrolments, those whose certificate waits for release (one query)."""
    return set(
        CertificateRelease.objects.filter(enrolment_id__in=list(enrolment_ids), released_at__isnull=True).values_list(
            "enrolment_id", flat=True
        )
    )
