"""Actions that change learners' state: enrolling, recording learning, completing courses.

Every learning record goes through ``record_activity_result`` or the lesson functions here, and each of
them updates the enrolment's stored progress inside the same transaction, so a page never has to scan
records to know where a learner stands. ``course_completed`` is sent once, after the commit.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.dateparse import parse_duration
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.activities import ACTIVITY_BLOCK_TYPES, ActivityNotFound, activity_iri, resolve_activity, site_origin
from courses.models import CoursePage, LessonPage, ScorePolicy

from .models import (
    ActivityResult,
    ActivityScore,
    Assignment,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    LessonProgress,
    Statement,
)
from .signals import course_completed


class LearningError(Exception):
    """A refusal with a message for the learner, a stable code for programs and the field at fault."""

    status = 400

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidStatement(LearningError):
    status = 400


class ActorMismatch(LearningError, PermissionDenied):
    """A statement about someone other than the signed-in learner: never stored, whoever sends it."""

    status = 403


class NotEnrolled(LearningError):
    status = 403


class UnknownActivity(LearningError):
    status = 404


class StatementConflict(LearningError):
    status = 409


class EnrolmentRefused(LearningError):
    status = 409


# --- enrolment ---------------------------------------------------------------------------------


def missing_prerequisites(*, user: AbstractBaseUser, course: CoursePage) -> list[CoursePage]:
    """The course's prerequisite courses this learner has not completed yet."""
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(user=user, course__in=required, status=EnrolmentStatus.COMPLETED).values_list(
            "course_id", flat=True
        )
    )
    return [prerequisite for prerequisite in required if prerequisite.pk not in done]


def enrol(
    *,
    user: AbstractBaseUser,
    course: CoursePage,
    source: str = EnrolmentSource.SELF,
    assignment: Assignment | None = None,
) -> Enrolment:
    """Enrol a learner in a published course whose prerequisites they have completed."""
    if not course.live:
        raise EnrolmentRefused(_("This course is not open for enrolment."), code="course_not_published")
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        titles = ", ".join(prerequisite.title for prerequisite in missing)
        raise EnrolmentRefused(
            _("Complete these courses first: %(titles)s.") % {"titles": titles}, code="prerequisites_missing"
        )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                user=user,
                course=course,
                source=source,
                assignment=assignment,
                due_on=assignment.due_on if assignment else None,
            )
    except IntegrityError:
        raise EnrolmentRefused(_("You are already enrolled in this course."), code="already_enrolled") from None


# --- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseStructure:
    """What a course's completion rule counts: its published lessons, required ones, and activities."""

    lesson_ids: frozenset[int]
    required_lesson_ids: frozenset[int]
    activities_by_lesson: dict[int, frozenset[str]]

    @property
    def activity_ids(self) -> frozenset[str]:
        return frozenset().union(*self.activities_by_lesson.values()) if self.activities_by_lesson else frozenset()


def course_structure(*, course_path: str) -> CourseStructure:
    """One query over the course's published lessons; their stream data is read without rendering."""
    rows = LessonPage.objects.live().public().filter(path__startswith=course_path).values_list("id", "required", "body")
    lesson_ids, required, activities = set(), set(), {}
    for lesson_id, is_required, body in rows:
        lesson_ids.add(lesson_id)
        if is_required:
            required.add(lesson_id)
        blocks = body.raw_data if hasattr(body, "raw_data") else body or []
        activities[lesson_id] = frozenset(
            block["id"] for block in blocks if block.get("type") in ACTIVITY_BLOCK_TYPES and block.get("id")
        )
    return CourseStructure(
        lesson_ids=frozenset(lesson_ids),
        required_lesson_ids=frozenset(required or lesson_ids),
        activities_by_lesson=activities,
    )


def _course_path_of(lesson: Page) -> str:
    return lesson.path[: -2 * Page.steplen]


def _refresh_progress(*, enrolment: Enrolment, course: CoursePage, structure: CourseStructure) -> None:
    """Store percent, score and status from the records; queue the signal if this completes the course."""
    required = structure.required_lesson_ids
    completed = LessonProgress.objects.filter(
        enrolment=enrolment, lesson_id__in=required, completed_at__isnull=False
    ).count()
    percent = 100 if not required else (100 * completed) // len(required)

    activity_ids = structure.activity_ids
    score = None
    if activity_ids:
        total = ActivityScore.objects.filter(enrolment=enrolment, block_id__in=activity_ids).aggregate(
            total=Sum("score_scaled")
        )["total"]
        if total is not None:
            score = (Decimal(total) / len(activity_ids)).quantize(Decimal("0.0001"))
    passed = course.passing_score is None or (score is not None and score * 100 >= course.passing_score)

    now = timezone.now()
    enrolment.progress_percent = percent
    enrolment.score_scaled = score
    enrolment.started_at = enrolment.started_at or now
    newly_completed = percent == 100 and passed and enrolment.completed_at is None
    if newly_completed:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = now
    elif enrolment.status == EnrolmentStatus.ENROLLED:
        enrolment.status = EnrolmentStatus.IN_PROGRESS
    enrolment.save(
        update_fields=["progress_percent", "score_scaled", "started_at", "status", "completed_at", "last_lesson"]
    )
    if newly_completed:
        transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))


def _locked_enrolment(*, user: AbstractBaseUser, lesson: Page) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("course")
        .filter(user=user, course__path=_course_path_of(lesson))
        .first()
    )
    if enrolment is None:
        raise NotEnrolled(
            _("Enrol in this course first: your progress is only recorded in courses you are enrolled in."),
            code="not_enrolled",
        )
    return enrolment


def enrolment_for_lesson(*, user: AbstractBaseUser, lesson: Page) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course__path=_course_path_of(lesson)).first()


def record_lesson_visit(*, user: AbstractBaseUser, lesson: LessonPage) -> Enrolment | None:
    """Remember the lesson as where the learner left off; outside an enrolment nothing is recorded."""
    if not user.is_authenticated:
        return None
    with transaction.atomic():
        enrolment = enrolment_for_lesson(user=user, lesson=lesson)
        if enrolment is None:
            return None
        LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
        now = timezone.now()
        changes = {"last_lesson": lesson, "started_at": enrolment.started_at or now}
        if enrolment.status == EnrolmentStatus.ENROLLED:
            changes["status"] = EnrolmentStatus.IN_PROGRESS
        Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
        for name, value in changes.items():
            setattr(enrolment, name, value)
    return enrolment


def complete_lesson(*, user: AbstractBaseUser, lesson: LessonPage) -> Enrolment:
    """Mark a lesson without activities as done; lessons with activities complete by answering them."""
    if not lesson.live:
        raise UnknownActivity(_("This lesson is not published."), code="lesson_not_published")
    with transaction.atomic():
        enrolment = _locked_enrolment(user=user, lesson=lesson)
        structure = course_structure(course_path=enrolment.course.path)
        if structure.activities_by_lesson.get(lesson.pk):
            raise LearningError(_("Answer the questions of this lesson to complete it."), code="lesson_has_activities")
        progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
        if progress.completed_at is None:
            progress.completed_at = timezone.now()
            progress.save(update_fields=["completed_at", "last_visited_at"])
        enrolment.last_lesson = lesson
        _refresh_progress(enrolment=enrolment, course=enrolment.course, structure=structure)
    return enrolment


# --- activity results --------------------------------------------------------------------------


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidStatement(_("%(field)s must be a number.") % {"field": field}, code="invalid_score", field=field)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidStatement(
            _("%(field)s must be a number.") % {"field": field}, code="invalid_score", field=field
        ) from None
    if not number.is_finite():
        raise InvalidStatement(_("%(field)s must be a number.") % {"field": field}, code="invalid_score", field=field)
    return number


def _scaled_from(*, score_raw, score_max, score_scaled) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    raw = _decimal(score_raw, "score_raw")
    maximum = _decimal(score_max, "score_max")
    scaled = _decimal(score_scaled, "score_scaled")
    if scaled is not None and not Decimal(-1) <= scaled <= Decimal(1):
        raise InvalidStatement(
            _("The scaled score must be between -1 and 1."), code="score_out_of_range", field="score_scaled"
        )
    if maximum is not None and maximum <= 0:
        raise InvalidStatement(_("The maximum score must be above 0."), code="score_out_of_range", field="score_max")
    if raw is not None and maximum is not None and not 0 <= raw <= maximum:
        raise InvalidStatement(
            _("The raw score must be between 0 and the maximum score."), code="score_out_of_range", field="score_raw"
        )
    if scaled is None and raw is not None and maximum is not None:
        scaled = raw / maximum
    if scaled is not None:
        scaled = scaled.quantize(Decimal("0.0001"))
    return raw, maximum, scaled


def record_activity_result(
    *,
    user: AbstractBaseUser,
    activity_iri: str,
    event_id: str,
    score_raw: Decimal | float | int | None = None,
    score_max: Decimal | float | int | None = None,
    score_scaled: Decimal | float | int | None = None,
    success: bool | None = None,
    completion: bool | None = None,
    duration: timedelta | None = None,
) -> ActivityResult:
    """Record one attempt at an activity of a published lesson, once per ``event_id``.

    Raises UnknownActivity (drafts, unknown blocks), NotEnrolled, InvalidStatement (bad scores); in each
    case nothing is stored. The counting score follows the course's score policy (best or latest).
    """
    event_id = str(event_id or "").strip()
    if not event_id or len(event_id) > 100:
        raise InvalidStatement(_("Each result needs an event id of at most 100 characters."), code="invalid_event_id")
    raw, maximum, scaled = _scaled_from(score_raw=score_raw, score_max=score_max, score_scaled=score_scaled)
    try:
        activity = resolve_activity(activity_iri)
    except ActivityNotFound:
        raise UnknownActivity(
            _("No published lesson has this activity."), code="unknown_activity", field="activity_iri"
        ) from None

    with transaction.atomic():
        enrolment = _locked_enrolment(user=user, lesson=activity.lesson)
        existing = ActivityResult.objects.filter(enrolment=enrolment, event_id=event_id).first()
        if existing is not None:
            return existing
        result = ActivityResult.objects.create(
            enrolment=enrolment,
            lesson=activity.lesson,
            block_id=activity.block_id,
            activity_iri=activity.iri,
            event_id=event_id,
            score_raw=raw,
            score_max=maximum,
            score_scaled=scaled,
            success=success,
            completion=completion,
            duration=duration,
        )
        counted = max(scaled, Decimal(0)) if scaled is not None else None
        score, created = ActivityScore.objects.get_or_create(
            enrolment=enrolment,
            block_id=activity.block_id,
            defaults={"lesson": activity.lesson, "score_scaled": counted, "success": success, "attempts": 1},
        )
        if not created:
            keep_best = enrolment.course.score_policy == ScorePolicy.BEST
            if counted is not None and (not keep_best or score.score_scaled is None or counted > score.score_scaled):
                score.score_scaled = counted
                score.success = success
            score.attempts += 1
            score.save(update_fields=["score_scaled", "success", "attempts", "updated_at"])

        structure = course_structure(course_path=enrolment.course.path)
        _complete_lesson_if_answered(enrolment=enrolment, lesson=activity.lesson, structure=structure)
        enrolment.last_lesson = activity.lesson
        _refresh_progress(enrolment=enrolment, course=enrolment.course, structure=structure)
    return result


def _complete_lesson_if_answered(*, enrolment: Enrolment, lesson: LessonPage, structure: CourseStructure) -> None:
    """A lesson with activities is complete once each of its activities has been attempted."""
    activities = structure.activities_by_lesson.get(lesson.pk, frozenset())
    answered = ActivityScore.objects.filter(enrolment=enrolment, block_id__in=activities).count()
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if progress.completed_at is None and answered >= len(activities):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "last_visited_at"])


# --- xAPI statements ---------------------------------------------------------------------------

RESULT_VERBS = {
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed",
}


def _is_iri(value: Any) -> bool:
    return isinstance(value, str) and ":" in value and len(value) <= 500 and " " not in value


def actor_matches(*, actor: Any, user: AbstractBaseUser) -> bool:
    """The learner is named by their email (``mbox``) or by an account on this site (``account``)."""
    if not isinstance(actor, dict):
        return False
    mbox = actor.get("mbox")
    if mbox is not None:
        return bool(user.email) and isinstance(mbox, str) and mbox.lower() == f"mailto:{user.email}".lower()
    account = actor.get("account")
    if isinstance(account, dict):
        return account.get("homePage", "").rstrip("/") == site_origin() and account.get("name") == user.get_username()
    return False


def statement_actor(*, user: AbstractBaseUser) -> dict[str, Any]:
    """The actor the site's pages put in statements for the signed-in learner."""
    return {"objectType": "Agent", "account": {"homePage": site_origin(), "name": user.get_username()}}


@dataclass(frozen=True)
class ParsedResult:
    score_raw: Any = None
    score_max: Any = None
    score_scaled: Any = None
    success: bool | None = None
    completion: bool | None = None
    duration: timedelta | None = None


def _parse_result(result: Any) -> ParsedResult | None:
    if result is None:
        return None
    if not isinstance(result, dict):
        raise InvalidStatement(_("The result must be an object."), code="invalid_result", field="result")
    score = result.get("score") or {}
    if not isinstance(score, dict):
        raise InvalidStatement(_("The score must be an object."), code="invalid_result", field="result.score")
    for name in ("success", "completion"):
        if name in result and not isinstance(result[name], bool):
            raise InvalidStatement(
                _("%(field)s must be true or false.") % {"field": f"result.{name}"},
                code="invalid_result",
                field=f"result.{name}",
            )
    duration = None
    if result.get("duration") is not None:
        duration = parse_duration(str(result["duration"])) if str(result["duration"]).startswith("P") else None
        if duration is None:
            raise InvalidStatement(
                _("The duration must be an ISO 8601 duration such as PT1M30S."),
                code="invalid_result",
                field="result.duration",
            )
    numbers = {}
    for name in ("raw", "min", "max", "scaled"):
        try:
            numbers[name] = _decimal(score.get(name), f"result.score.{name}")
        except InvalidStatement as exc:
            exc.field = f"result.score.{name}"
            raise
    low, high, raw, scaled = numbers["min"], numbers["max"], numbers["raw"], numbers["scaled"]
    if scaled is not None and not -1 <= scaled <= 1:
        raise InvalidStatement(
            _("The scaled score must be between -1 and 1."), code="score_out_of_range", field="result.score.scaled"
        )
    if low is not None and high is not None and low >= high:
        raise InvalidStatement(
            _("The minimum score must be below the maximum."), code="score_out_of_range", field="result.score.min"
        )
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise InvalidStatement(
            _("The raw score must be between the minimum and the maximum."),
            code="score_out_of_range",
            field="result.score.raw",
        )
    if scaled is None and raw is not None and high is not None:
        low = low or Decimal(0)
        scaled = (raw - low) / (high - low) if high > low else None
        raw, high = raw - low, high - low
    return ParsedResult(
        score_raw=raw,
        score_max=high,
        score_scaled=scaled,
        success=result.get("success"),
        completion=result.get("completion"),
        duration=duration,
    )


def _statement_id(statement: dict[str, Any]) -> uuid.UUID:
    if "id" not in statement:
        return uuid.uuid4()
    try:
        return uuid.UUID(str(statement["id"]))
    except ValueError:
        raise InvalidStatement(_("The statement id must be a UUID."), code="invalid_id", field="id") from None


def _activity_iri(object_id: str) -> str:
    """H5P names parts of compound content with a ``subContentId`` query; the activity is the whole."""
    return object_id.split("?", 1)[0]


def record_statement(*, user: AbstractBaseUser, statement: dict[str, Any]) -> tuple[Statement, bool]:
    """Validate and store one xAPI 1.0.3 statement once by its id; return it and whether it is new.

    A statement carrying a result with an answering verb about the whole activity becomes an activity
    result (same transaction). Refusals raise a LearningError whose ``status`` the HTTP layer uses.
    """
    if not isinstance(statement, dict):
        raise InvalidStatement(_("A statement must be a JSON object."), code="invalid_statement")
    statement_id = _statement_id(statement)
    if "actor" not in statement:
        raise InvalidStatement(_("The statement needs an actor."), code="missing_actor", field="actor")
    if not actor_matches(actor=statement["actor"], user=user):
        raise ActorMismatch(_("You can only record statements about yourself."), code="actor_mismatch", field="actor")
    verb = statement.get("verb")
    if not isinstance(verb, dict) or not _is_iri(verb.get("id")):
        raise InvalidStatement(_("The statement needs a verb with an IRI id."), code="invalid_verb", field="verb.id")
    target = statement.get("object")
    if not isinstance(target, dict) or not _is_iri(target.get("id")):
        raise InvalidStatement(
            _("The statement needs an object with an IRI id."), code="invalid_object", field="object.id"
        )
    if target.get("objectType", "Activity") != "Activity":
        raise InvalidStatement(
            _("Only statements about activities are accepted."), code="invalid_object", field="object.objectType"
        )
    result = _parse_result(statement.get("result"))
    iri = _activity_iri(target["id"])
    try:
        activity = resolve_activity(iri)
    except ActivityNotFound:
        raise UnknownActivity(
            _("No published lesson has this activity."), code="unknown_activity", field="object.id"
        ) from None

    with transaction.atomic():
        existing = Statement.objects.select_for_update().filter(statement_id=statement_id).first()
        if existing is not None:
            if existing.user_id != user.pk:
                raise StatementConflict(_("Another statement already has this id."), code="id_conflict", field="id")
            return existing, False
        if enrolment_for_lesson(user=user, lesson=activity.lesson) is None:
            raise NotEnrolled(
                _("Enrol in this course first: your progress is only recorded in courses you are enrolled in."),
                code="not_enrolled",
            )
        activity_result = None
        is_whole_activity = iri == target["id"]
        if result is not None and verb["id"] in RESULT_VERBS and is_whole_activity:
            activity_result = record_activity_result(
                user=user,
                activity_iri=iri,
                event_id=str(statement_id),
                score_raw=result.score_raw,
                score_max=result.score_max,
                score_scaled=result.score_scaled,
                success=result.success,
                completion=result.completion,
                duration=result.duration,
            )
        stored = dict(statement, id=str(statement_id))
        stored.setdefault("stored", timezone.now().isoformat())
        row = Statement.objects.create(
            statement_id=statement_id,
            user=user,
            verb=verb["id"],
            object_id=target["id"][:500],
            payload=stored,
            activity_result=activity_result,
        )
    return row, True


def record_knowledge_check_answer(
    *, user: AbstractBaseUser, lesson: LessonPage, block_id: str, correct: bool, event_id: str | None = None
) -> ActivityResult | None:
    """The site's own knowledge-check form, as an activity result for an enrolled learner.

    Not enrolled, or not signed in: the answer is still marked on the page, but nothing is recorded.
    """
    if not user.is_authenticated or enrolment_for_lesson(user=user, lesson=lesson) is None:
        return None
    return record_activity_result(
        user=user,
        activity_iri=activity_iri(lesson_id=lesson.pk, block_id=block_id),
        event_id=event_id or str(uuid.uuid4()),
        score_raw=1 if correct else 0,
        score_max=1,
        success=correct,
        completion=True,
    )
