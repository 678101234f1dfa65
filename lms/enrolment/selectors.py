"""Who is enrolled in what: the learner's own enrolments and credit hours."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from wagtail.models import Page

from courses.identity import copies_in_language, source_id
from courses.models import CoursePage, LessonPage
from courses.publication import published_for_learners

from ..models import (
    Enrolment,
    EnrolmentStatus,
    LessonProgress,
)
from ..progress.selectors import next_lesson_to_do


def learner_enrolments(*, user: AbstractBaseUser) -> QuerySet[Enrolment]:
    """The learner's own enrolments for "My learning": assigned ones with the nearest due date first."""
    return (
        Enrolment.objects.filter(user=user)
        .select_related("course", "last_lesson", "assignment__organisation")
        .order_by("status", "due_on", "-enrolled_at")
    )


@dataclass(frozen=True)
class YearCredits:
    year: int
    hours: Decimal
    courses: int


def credit_hours_by_year(*, user: AbstractBaseUser) -> list[YearCredits]:
    """Credit hours of accredited courses the learner completed, per calendar year of completion."""
    rows = (
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.COMPLETED, course__credit_hours__isnull=False)
        .annotate(year=ExtractYear("completed_at", tzinfo=timezone.get_current_timezone()))
        .values("year")
        .annotate(hours=Sum("course__credit_hours"), courses=Count("id"))
        .order_by("-year")
    )
    return [YearCredits(year=row["year"], hours=row["hours"], courses=row["courses"]) for row in rows]


def course_enrolment(*, user: AbstractBaseUser, course: CoursePage) -> Enrolment | None:
    """The learner's enrolment in a course, whichever language's copy ``course`` is."""
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course_id=source_id(course)).select_related("last_lesson").first()


def in_reader_language(enrolments: Iterable[Enrolment], language: str) -> list[Enrolment]:
    """The enrolments with what a reader of ``language`` is shown: ``course_copy`` (the course in that
    language, or its source) and ``resume_lesson`` (the next lesson to do: the first not completed at
    or after the last one opened, in that language too). One query for the completed lessons, one
    for the courses' lessons, and two for the copies plus one per page type, whatever the number of
    enrolments."""
    enrolments = list(enrolments)
    done: dict[int, set[int]] = {}
    for enrolment_id, lesson_id in LessonProgress.objects.filter(
        enrolment__in=[e.pk for e in enrolments], completed_at__isnull=False
    ).values_list("enrolment_id", "lesson_id"):
        done.setdefault(enrolment_id, set()).add(lesson_id)
    resuming = [e for e in enrolments if not e.is_completed and e.last_lesson_id is not None]
    order: dict[str, list[int]] = {}
    if resuming:
        within = Q(pk__in=[])
        for enrolment in resuming:
            within |= Q(path__startswith=enrolment.course.path)
        for pk, path in (
            published_for_learners(LessonPage.objects.filter(within)).order_by("path").values_list("pk", "path")
        ):
            order.setdefault(path[: -2 * Page.steplen], []).append(pk)
    targets = {
        enrolment.pk: next_lesson_to_do(
            enrolment=enrolment,
            lesson_order=order.get(enrolment.course.path, []),
            done=done.get(enrolment.pk, set()),
        )
        for enrolment in resuming
    }
    wanted = {e.course_id for e in enrolments} | {target for target in targets.values() if target}
    copies = copies_in_language(wanted, language)
    originals = LessonPage.objects.in_bulk([t for t in targets.values() if t and t not in copies])
    for enrolment in enrolments:
        enrolment.course_copy = copies.get(enrolment.course_id, enrolment.course)
        target = targets.get(enrolment.pk)
        enrolment.resume_lesson = (copies.get(target) or originals.get(target)) if target else None
    return enrolments


def attach_certificates(enrolments: Iterable[Enrolment], *, request) -> list[Enrolment]:
    """Each completed (or reopened, since it had a certificate before) enrolment's ``certificate``
    (links and a badge preview), from whichever app issues certificates (the ``enrolment_certificates``
    hook); lms names none of them."""
    from wagtail import hooks

    enrolments = list(enrolments)
    completed = [e.pk for e in enrolments if e.is_completed or e.cycle > 1]
    found: dict[int, dict] = {}
    if completed:
        for hook in hooks.get_hooks("enrolment_certificates"):
            found.update(hook(request=request, enrolment_ids=completed) or {})
    for enrolment in enrolments:
        enrolment.certificate = found.get(enrolment.pk)
    return enrolments
