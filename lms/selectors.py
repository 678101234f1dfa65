"""Queries that read learners' progress. Each costs a fixed number of queries, whatever the counts."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, FilteredRelation, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from wagtail.models import Page

from courses.activities import ACTIVITY_BLOCK_TYPES
from courses.models import CoursePage, LessonPage

from .models import (
    ActivityResult,
    Assignment,
    Enrolment,
    EnrolmentStatus,
    H5PState,
    LessonProgress,
    Organisation,
    Statement,
)
from .services import H5PStateKey, h5p_state_owner


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
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).select_related("last_lesson").first()


# --- H5P saved state ---------------------------------------------------------------------------


def h5p_state_data(*, user: AbstractBaseUser, key: H5PStateKey) -> str | None:
    """The learner's own saved state for ``key`` (a JSON text), or None; refusals as h5p_state_owner."""
    owner = h5p_state_owner(user=user, key=key)
    return (
        H5PState.objects.filter(
            enrolment=owner.enrolment,
            lesson=owner.lesson,
            block_id=key.block_id,
            content_id=owner.content_id,
            data_type=key.data_type,
            sub_content_id=key.sub_content_id,
        )
        .values_list("data", flat=True)
        .first()
    )


def lesson_h5p_states(*, user: AbstractBaseUser, lesson: LessonPage) -> dict[str, dict[str, dict]] | None:
    """The states to preload into the lesson's H5P players, in one query whatever the number of blocks.

    None when nothing can be kept (not signed in, or not enrolled in the lesson's course). Otherwise
    ``{block_id: {package uuid: {sub-content id: {data type: JSON text}}}}`` for the rows H5P asked
    to preload; the page plays a block's state only when the block still has that package."""
    if not user.is_authenticated:
        return None
    rows = list(
        Enrolment.objects.filter(user=user, course__path=lesson.path[: -2 * Page.steplen])
        .annotate(state=FilteredRelation("h5p_states", condition=Q(h5p_states__lesson=lesson)))
        .values_list(
            "state__block_id",
            "state__content_id",
            "state__sub_content_id",
            "state__data_type",
            "state__data",
            "state__preload",
        )
    )
    if not rows:
        return None
    states: dict[str, dict[str, dict]] = {}
    for block_id, content_id, sub_content_id, data_type, data, preload in rows:
        if block_id is None:  # enrolled, nothing saved in this lesson
            continue
        package = states.setdefault(block_id, {}).setdefault(str(content_id), {})
        if preload:
            package.setdefault(sub_content_id, {})[data_type] = data
    return states


# --- organisations -----------------------------------------------------------------------------


def administered_organisations(*, user: AbstractBaseUser) -> QuerySet[Organisation]:
    """The units a user may administer: those they are admin of, and all their sub-units."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    roots = list(Organisation.objects.filter(admins=user).values_list("path", flat=True))
    if not roots:
        return Organisation.objects.none()
    condition = Q()
    for path in roots:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def members_of(*, organisation: Organisation) -> Q:
    """A filter on enrolments (or anything with ``user``) for members of a unit and its sub-units."""
    return Q(user__learner_profile__organisation__path__startswith=organisation.path)


class AmbiguousMember(Exception):
    """Several members of a unit answer to the same email: the admin has to name one by username."""


def find_member(*, organisation: Organisation, identifier: str) -> AbstractBaseUser | None:
    """The active member of a unit (or of its sub-units) whose username, email or mobile number is
    ``identifier``; None for anyone else. Only the unit's own members are searched, so an admin cannot
    tell a person of another organisation from one who does not exist."""
    identifier = identifier.strip()
    if not identifier:
        return None
    candidates = list(
        get_user_model()
        .objects.filter(
            Q(username__iexact=identifier) | Q(email__iexact=identifier) | Q(learner_profile__phone=identifier),
            is_active=True,
            learner_profile__organisation__path__startswith=organisation.path,
        )
        .select_related("learner_profile__organisation")
        .order_by("pk")[:3]
    )
    by_username = [user for user in candidates if user.username.lower() == identifier.lower()]
    if len(by_username) == 1 or len(candidates) == 1:
        return (by_username or candidates)[0]
    if candidates:
        raise AmbiguousMember(identifier)
    return None


def _status_counts(prefix: str = "") -> dict:
    today = timezone.localdate()
    status = f"{prefix}status"
    return {
        "enrolled": Count("id"),
        "not_started": Count("id", filter=Q(**{status: EnrolmentStatus.ENROLLED})),
        "in_progress": Count("id", filter=Q(**{status: EnrolmentStatus.IN_PROGRESS})),
        "completed": Count("id", filter=Q(**{status: EnrolmentStatus.COMPLETED})),
        "overdue": Count("id", filter=Q(due_on__lt=today) & ~Q(**{status: EnrolmentStatus.COMPLETED})),
    }


def organisation_report(*, organisation: Organisation) -> dict[str, list[dict]]:
    """Counts per course and per unit (enrolled, in progress, completed, overdue): two grouped queries."""
    enrolments = Enrolment.objects.filter(members_of(organisation=organisation))
    by_course = list(
        enrolments.values("course_id", "course__title").annotate(**_status_counts()).order_by("course__title")
    )
    by_unit = list(
        enrolments.values("user__learner_profile__organisation_id", "user__learner_profile__organisation__name")
        .annotate(**_status_counts())
        .order_by("user__learner_profile__organisation__name")
    )
    for row in by_course:
        row["label"] = row["course__title"]
    for row in by_unit:
        row["label"] = row["user__learner_profile__organisation__name"]
    for row in by_course + by_unit:
        row["completed_percent"] = round(100 * row["completed"] / row["enrolled"]) if row["enrolled"] else 0
    return {"by_course": by_course, "by_unit": by_unit}


EXPORT_COLUMNS = (
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__learner_profile__organisation__name",
    "user__learner_profile__designation",
    "course__title",
    "status",
    "progress_percent",
    "score_scaled",
    "due_on",
    "enrolled_at",
    "completed_at",
)


def _export_rows(enrolments):
    """Enrolments as plain tuples of EXPORT_COLUMNS, read in chunks so an export never holds them all."""
    return enrolments.order_by("pk").values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)


def organisation_enrolment_rows(*, organisation: Organisation):
    """Every enrolment of the unit's members as plain tuples, read in chunks for streamed exports."""
    return _export_rows(Enrolment.objects.filter(members_of(organisation=organisation)))


ENROLMENT_EXPORT_HEADINGS = [
    "username",
    "first name",
    "last name",
    "unit",
    "designation",
    "course",
    "status",
    "progress %",
    "score",
    "due on",
    "enrolled at",
    "completed at",
]


# --- trainers ----------------------------------------------------------------------------------


def trainer_courses(*, user: AbstractBaseUser) -> QuerySet[CoursePage]:
    """Courses whose results a user may see: the ones they own (all of them for a superuser)."""
    if not user.is_authenticated:
        return CoursePage.objects.none()
    courses = CoursePage.objects.all().order_by("title")
    return courses if user.is_superuser else courses.filter(owner=user)


def course_funnel(*, course: CoursePage) -> list[dict]:
    """Per published lesson in order: how many enrolled learners opened it and how many completed it."""
    lessons = list(
        LessonPage.objects.live().filter(path__startswith=course.path).order_by("path").values("id", "title")
    )
    counts = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(enrolment__course=course)
        .values("lesson_id")
        .annotate(visited=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    }
    enrolled = Enrolment.objects.filter(course=course).count()
    funnel = []
    for lesson in lessons:
        row = counts.get(lesson["id"], {})
        funnel.append(
            {
                "lesson_id": lesson["id"],
                "title": lesson["title"],
                "enrolled": enrolled,
                "visited": row.get("visited", 0),
                "completed": row.get("completed", 0),
                "completed_percent": round(100 * row.get("completed", 0) / enrolled) if enrolled else 0,
            }
        )
    return funnel


def question_results(*, course: CoursePage) -> list[dict]:
    """Per activity: attempts, learners, share answered right; the most-missed first."""
    questions = {}
    for title, body in (
        LessonPage.objects.live().filter(path__startswith=course.path).order_by("path").values_list("title", "body")
    ):
        for block in body.raw_data if hasattr(body, "raw_data") else body or []:
            if block.get("type") in ACTIVITY_BLOCK_TYPES:
                value = block.get("value") or {}
                questions[block["id"]] = {"lesson": title, "question": value.get("question", "") or block["id"]}
    rows = (
        ActivityResult.objects.filter(enrolment__course=course, block_id__in=list(questions))
        .values("block_id")
        .annotate(
            attempts=Count("id"),
            learners=Count("enrolment", distinct=True),
            right=Count("id", filter=Q(success=True)),
        )
    )
    results = []
    for row in rows:
        info = questions[row["block_id"]]
        results.append(
            {
                **info,
                "block_id": row["block_id"],
                "attempts": row["attempts"],
                "learners": row["learners"],
                "right_percent": round(100 * row["right"] / row["attempts"]) if row["attempts"] else 0,
            }
        )
    answered = {row["block_id"] for row in results}
    results += [
        {**info, "block_id": block_id, "attempts": 0, "learners": 0, "right_percent": 0}
        for block_id, info in questions.items()
        if block_id not in answered
    ]
    return sorted(results, key=lambda row: (row["right_percent"] if row["attempts"] else 101, row["lesson"]))


def course_enrolment_rows(*, course: CoursePage):
    """Every enrolment in a course as plain tuples, read in chunks for the trainer's streamed export."""
    return _export_rows(Enrolment.objects.filter(course=course))


# --- learners' apps (the API) ------------------------------------------------------------------


def enrolment_lessons(*, enrolment: Enrolment) -> list[dict]:
    """The course's published lessons in order, each with this enrolment's visit and completion times:
    two queries, so a learner's app shows per-lesson progress without one request per lesson."""
    progress = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(enrolment=enrolment).values(
            "lesson_id", "first_visited_at", "completed_at"
        )
    }
    lessons = (
        LessonPage.objects.live()
        .public()
        .filter(path__startswith=enrolment.course.path)
        .order_by("path")
        .values("id", "title", "slug")
    )
    return [
        {
            **lesson,
            "visited_at": progress.get(lesson["id"], {}).get("first_visited_at"),
            "completed_at": progress.get(lesson["id"], {}).get("completed_at"),
        }
        for lesson in lessons
    ]


def learner_statements(
    *,
    user: AbstractBaseUser,
    statement_id=None,
    verb: str | None = None,
    activity: str | None = None,
    since=None,
    until=None,
    ascending: bool = False,
    after: tuple | None = None,
) -> QuerySet[Statement]:
    """A learner's own xAPI statements, newest stored first (oldest first when ``ascending``), filtered
    as the xAPI query parameters say (``since`` exclusive, ``until`` inclusive, both on the time the
    statement was stored).

    ``after`` is a keyset cursor, the ``(stored_at, pk)`` of the last statement of the previous page:
    the next page starts strictly beyond it in the same order, so statements stored meanwhile neither
    shift nor repeat what a client is paging through (as an OFFSET would)."""
    direction = "" if ascending else "-"
    statements = Statement.objects.filter(user=user).order_by(f"{direction}stored_at", f"{direction}id")
    if statement_id is not None:
        statements = statements.filter(statement_id=statement_id)
    if verb:
        statements = statements.filter(verb=verb)
    if activity:
        statements = statements.filter(object_id=activity)
    if since is not None:
        statements = statements.filter(stored_at__gt=since)
    if until is not None:
        statements = statements.filter(stored_at__lte=until)
    if after is not None:
        stored_at, pk = after
        if ascending:
            beyond = Q(stored_at__gt=stored_at) | Q(stored_at=stored_at, id__gt=pk)
        else:
            beyond = Q(stored_at__lt=stored_at) | Q(stored_at=stored_at, id__lt=pk)
        statements = statements.filter(beyond)
    return statements


def organisation_enrolments(*, organisation: Organisation) -> QuerySet[Enrolment]:
    """The enrolments of a unit's members (and its sub-units'), for the organisation's own systems."""
    return (
        Enrolment.objects.filter(members_of(organisation=organisation)).select_related("user", "course").order_by("pk")
    )


def organisation_assignments(*, organisation: Organisation) -> QuerySet[Assignment]:
    return Assignment.objects.filter(organisation=organisation).select_related("course").order_by("due_on", "pk")
