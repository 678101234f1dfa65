"""Actions that change learners' state: enrolling, recording learning, completing courses.

Every learning record goes through ``record_activity_result`` or the lesson functions here, and each of
them updates the enrolment's stored progress inside the same transaction, so a page never has to scan
records to know where a learner stands. ``course_completed`` is sent once, after the commit.
"""

import base64
import csv
import io
import json
import logging
import operator
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_duration
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.activities import ActivityNotFound, activity_iri, resolve_activity, site_origin
from courses.models import CoursePage, LessonPage

from .course_structure import CourseStructure, PublishedActivity, course_structure, published_activity
from .models import (
    ActivityResult,
    ActivityScore,
    Assignment,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    H5PState,
    LearnerKind,
    LearnerProfile,
    LessonProgress,
    Notice,
    NoticeKind,
    Organisation,
    Statement,
)
from .signals import course_completed

logger = logging.getLogger(__name__)


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
    due_on: date | None = None,
) -> Enrolment:
    """Enrol a learner in a published course whose prerequisites they have completed.

    The refusals speak to whoever asked: the learner for a self-enrolment, the admin otherwise. The due
    date is the assignment's unless one is given."""
    by_learner = source == EnrolmentSource.SELF
    if not course.live:
        raise EnrolmentRefused(_("This course is not open for enrolment."), code="course_not_published")
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        titles = ", ".join(prerequisite.title for prerequisite in missing)
        if by_learner:
            message = _("Complete these courses first: %(titles)s.") % {"titles": titles}
        else:
            message = _("%(name)s has not completed the prerequisite courses yet: %(titles)s.") % {
                "name": _learner_name(user),
                "titles": titles,
            }
        raise EnrolmentRefused(message, code="prerequisites_missing")
    if due_on is None and assignment is not None:
        due_on = assignment.due_on
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                user=user, course=course, source=source, assignment=assignment, due_on=due_on
            )
    except IntegrityError:
        if by_learner:
            message = _("You are already enrolled in this course.")
        else:
            message = _("%(name)s is already enrolled in this course.") % {"name": _learner_name(user)}
        raise EnrolmentRefused(message, code="already_enrolled") from None


def _learner_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


# --- progress ----------------------------------------------------------------------------------


def _course_path_of(lesson: Page) -> str:
    return lesson.path[: -2 * Page.steplen]


def _refresh_progress(*, enrolment: Enrolment, structure: CourseStructure, last_lesson_id: int) -> None:
    """Store percent, score, status and last lesson; queue the signal if this completes the course.

    Both numbers come from one query over the learner's own rows for this course's current lessons
    and activities, so a lesson made optional or unpublished stops counting at once.
    """
    required = structure.required_lesson_ids
    activity_ids = structure.activity_ids
    counts = (
        Enrolment.objects.filter(pk=enrolment.pk)
        .annotate(
            lessons_done=Subquery(
                LessonProgress.objects.filter(
                    enrolment=OuterRef("pk"), lesson_id__in=required, completed_at__isnull=False
                )
                .order_by()
                .values("enrolment")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            score_total=Subquery(
                ActivityScore.objects.filter(enrolment=OuterRef("pk"), block_id__in=activity_ids)
                .order_by()
                .values("enrolment")
                .annotate(total=Sum("score_scaled"))
                .values("total")
            ),
        )
        .values("lessons_done", "score_total")
        .get()
    )
    completed = counts["lessons_done"] or 0
    percent = 100 if not required else (100 * completed) // len(required)
    total = counts["score_total"]
    score = None
    if activity_ids and total is not None:
        score = (Decimal(total) / len(activity_ids)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    passing = structure.passing_score
    passed = passing is None or (score is not None and score * 100 >= passing)

    now = timezone.now()
    before = (enrolment.progress_percent, enrolment.score_scaled, enrolment.status, enrolment.last_lesson_id)
    enrolment.last_lesson_id = last_lesson_id
    enrolment.progress_percent = percent
    enrolment.score_scaled = score
    newly_completed = percent == 100 and passed and enrolment.completed_at is None
    if newly_completed:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = now
    elif enrolment.status == EnrolmentStatus.ENROLLED:
        enrolment.status = EnrolmentStatus.IN_PROGRESS
    after = (enrolment.progress_percent, enrolment.score_scaled, enrolment.status, enrolment.last_lesson_id)
    if enrolment.started_at is None or before != after:
        enrolment.started_at = enrolment.started_at or now
        enrolment.save(
            update_fields=["progress_percent", "score_scaled", "started_at", "status", "completed_at", "last_lesson"]
        )
    if newly_completed:
        transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))


def _locked_enrolment(*, user: AbstractBaseUser, course_path: str) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course")
        .filter(user=user, course__path=course_path)
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
        enrolment = _locked_enrolment(user=user, course_path=_course_path_of(lesson))
        structure = course_structure(course_path=enrolment.course.path)
        if structure is None or lesson.pk not in structure.lesson_ids:
            raise UnknownActivity(_("This lesson is not published."), code="lesson_not_published")
        if structure.activities_by_lesson.get(lesson.pk):
            raise LearningError(_("Answer the questions of this lesson to complete it."), code="lesson_has_activities")
        progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
        if progress.completed_at is None:
            progress.completed_at = timezone.now()
            progress.save(update_fields=["completed_at", "last_visited_at"])
        _refresh_progress(enrolment=enrolment, structure=structure, last_lesson_id=lesson.pk)
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
        activity = published_activity(activity_iri)
    except ActivityNotFound:
        raise UnknownActivity(
            _("No published lesson has this activity."), code="unknown_activity", field="activity_iri"
        ) from None

    fields = {
        "activity_iri": activity_iri,
        "event_id": event_id,
        "score_raw": raw,
        "score_max": maximum,
        "score_scaled": scaled,
        "success": success,
        "completion": completion,
        "duration": duration,
    }
    record = _record_in_postgresql if connection.vendor == "postgresql" else _record_with_orm
    return record(user=user, activity=activity, fields=fields)


def _record_with_orm(*, user: AbstractBaseUser, activity: PublishedActivity, fields: dict[str, Any]) -> ActivityResult:
    """The rules of ``record_activity_result`` as ORM queries (SQLite, and the reference for PostgreSQL)."""
    structure = activity.structure
    with transaction.atomic():
        enrolment = _locked_enrolment(user=user, course_path=activity.course_path)
        existing = ActivityResult.objects.filter(enrolment=enrolment, event_id=fields["event_id"]).first()
        if existing is not None:
            return existing
        result = ActivityResult.objects.create(
            enrolment=enrolment, lesson_id=activity.lesson_id, block_id=activity.block_id, **fields
        )
        scaled, success = fields["score_scaled"], fields["success"]
        counted = max(scaled, Decimal(0)) if scaled is not None else None
        score = (
            ActivityScore.objects.select_for_update().filter(enrolment=enrolment, block_id=activity.block_id).first()
        )
        if score is None:
            ActivityScore.objects.create(
                enrolment=enrolment,
                lesson_id=activity.lesson_id,
                block_id=activity.block_id,
                score_scaled=counted,
                success=success,
                attempts=1,
            )
        else:
            keep_best = structure.keeps_best_score
            if counted is not None and (not keep_best or score.score_scaled is None or counted > score.score_scaled):
                score.score_scaled = counted
                score.success = success
            score.attempts += 1
            score.save(update_fields=["score_scaled", "success", "attempts", "updated_at"])

        _complete_lesson_if_answered(enrolment=enrolment, lesson_id=activity.lesson_id, structure=structure)
        _refresh_progress(enrolment=enrolment, structure=structure, last_lesson_id=activity.lesson_id)
    return result


RECORD_IN_POSTGRESQL = (
    "SELECT out_outcome, out_completed_course, out_enrolment_id, out_id, out_recorded_at "
    "FROM lms_record_activity_result(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s::text[], %s::bigint[], %s::text[], %s, %s)"
)


def _record_in_postgresql(
    *, user: AbstractBaseUser, activity: PublishedActivity, fields: dict[str, Any]
) -> ActivityResult:
    """The same rules in one round trip: the database function of migration ``lms.0002``."""
    structure = activity.structure
    with connection.cursor() as cursor:
        cursor.execute(
            RECORD_IN_POSTGRESQL,
            [
                user.pk,
                structure.course_id,
                activity.lesson_id,
                activity.block_id,
                fields["activity_iri"],
                fields["event_id"],
                fields["score_raw"],
                fields["score_max"],
                fields["score_scaled"],
                fields["success"],
                fields["completion"],
                fields["duration"],
                sorted(structure.activities_by_lesson.get(activity.lesson_id, ())),
                sorted(structure.required_lesson_ids),
                sorted(structure.activity_ids),
                structure.passing_score,
                structure.keeps_best_score,
            ],
        )
        outcome, completed_course, enrolment_id, result_id, recorded_at = cursor.fetchone()
    if outcome == "not_enrolled":
        raise NotEnrolled(
            _("Enrol in this course first: your progress is only recorded in courses you are enrolled in."),
            code="not_enrolled",
        )
    if outcome == "duplicate":
        return ActivityResult.objects.get(pk=result_id)
    if completed_course:
        enrolment = Enrolment.objects.select_related("course", "user").get(pk=enrolment_id)
        transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))
    result = ActivityResult(
        id=result_id,
        enrolment_id=enrolment_id,
        lesson_id=activity.lesson_id,
        block_id=activity.block_id,
        recorded_at=recorded_at,
        **fields,
    )
    result._state.adding, result._state.db = False, connection.alias  # the row exists, as after a query
    return result


def _complete_lesson_if_answered(*, enrolment: Enrolment, lesson_id: int, structure: CourseStructure) -> None:
    """A lesson with activities is complete once each of its activities has been attempted."""
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson_id).first()
    if progress is not None and progress.completed_at is not None:
        return
    activities = structure.activities_by_lesson.get(lesson_id, frozenset())
    answered = ActivityScore.objects.filter(enrolment=enrolment, block_id__in=activities).count()
    done_at = timezone.now() if answered >= len(activities) else None
    if progress is None:
        LessonProgress.objects.create(enrolment=enrolment, lesson_id=lesson_id, completed_at=done_at)
    elif done_at is not None:
        progress.completed_at = done_at
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
        activity = published_activity(iri)
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
        if not Enrolment.objects.filter(user=user, course_id=activity.course_id).exists():
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
        # xAPI 1.0.3: the LRS sets ``stored`` (whatever the client sent) and, when the client gave no
        # ``timestamp``, sets it to the same moment; the row's stored_at is that moment too.
        now = timezone.now()
        stored = dict(statement, id=str(statement_id), stored=now.isoformat())
        stored.setdefault("timestamp", stored["stored"])
        row = Statement.objects.create(
            statement_id=statement_id,
            user=user,
            verb=verb["id"],
            object_id=target["id"][:500],
            payload=stored,
            stored_at=now,
            activity_result=activity_result,
        )
        if getattr(settings, "XAPI_FORWARD_URL", ""):
            from .tasks import forward_statement_task

            # robust: an LRS outage (or a retry raised by an eager task) must never fail the learner's request.
            transaction.on_commit(lambda: forward_statement_task.delay(str(statement_id)), robust=True)
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


# --- accounts ----------------------------------------------------------------------------------


@transaction.atomic
def sign_up(*, full_name: str, sign_in_name: str, password: str) -> AbstractBaseUser:
    """Create a citizen's account; ``sign_in_name`` is a normalised email or +880 mobile number."""
    first, _sep, last = full_name.strip().partition(" ")
    is_phone = sign_in_name.startswith("+")
    user = get_user_model().objects.create_user(
        username=sign_in_name,
        email="" if is_phone else sign_in_name,
        password=password,
        first_name=first[:150],
        last_name=last[:150],
    )
    LearnerProfile.objects.create(user=user, kind=LearnerKind.CITIZEN, phone=sign_in_name if is_phone else None)
    return user


def learner_data(*, user: AbstractBaseUser) -> dict[str, Any]:
    """Everything the site keeps about a learner, for them to download (data portability)."""
    profile = LearnerProfile.objects.filter(user=user).select_related("organisation").first()
    enrolments = Enrolment.objects.filter(user=user).select_related("course", "last_lesson")
    return {
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": None
        if profile is None
        else {
            "kind": profile.kind,
            "organisation": profile.organisation.name if profile.organisation else None,
            "designation": profile.designation,
            "phone": profile.phone,
        },
        "enrolments": [
            {
                "course": enrolment.course.title,
                "status": enrolment.status,
                "progress_percent": enrolment.progress_percent,
                "score_scaled": str(enrolment.score_scaled) if enrolment.score_scaled is not None else None,
                "enrolled_at": enrolment.enrolled_at.isoformat(),
                "completed_at": enrolment.completed_at.isoformat() if enrolment.completed_at else None,
                "due_on": enrolment.due_on.isoformat() if enrolment.due_on else None,
            }
            for enrolment in enrolments
        ],
        "lessons": list(
            LessonProgress.objects.filter(enrolment__user=user).values(
                "lesson_id", "first_visited_at", "last_visited_at", "completed_at"
            )
        ),
        "activity_results": [
            {**row, "score_scaled": str(row["score_scaled"]) if row["score_scaled"] is not None else None}
            for row in ActivityResult.objects.filter(enrolment__user=user).values(
                "activity_iri", "event_id", "score_scaled", "success", "completion", "recorded_at"
            )
        ],
        "statements": list(Statement.objects.filter(user=user).values_list("payload", flat=True)),
        "h5p_saved_states": [
            {**row, "content_id": str(row["content_id"])}
            for row in H5PState.objects.filter(enrolment__user=user)
            .order_by("lesson_id", "block_id", "data_type", "sub_content_id")
            .values("lesson_id", "block_id", "content_id", "data_type", "sub_content_id", "data", "updated_at")
        ],
    }


@transaction.atomic
def erase_learner(*, user: AbstractBaseUser) -> None:
    """Remove a learner's personal data; keep their enrolments and results, now anonymous, so reports
    still count them. Statements are deleted: their payload names the learner. H5P saved states are
    deleted: they hold whatever the learner typed into an activity."""
    Statement.objects.filter(user=user).delete()
    H5PState.objects.filter(enrolment__user=user).delete()
    user.username = f"erased-{uuid.uuid4().hex[:12]}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.administered_organisations.clear()
    LearnerProfile.objects.update_or_create(
        user=user, defaults={"designation": "", "phone": None, "erased_at": timezone.now()}
    )


# --- H5P saved state ("content user data") ------------------------------------------------------

H5P_STATE_MAX_BYTES = 64 * 1024
H5P_STATE_DELETE = "0"  # what the H5P core posts as ``data`` to delete a saved state
_H5P_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class InvalidH5PState(LearningError):
    status = 400


class H5PContentChanged(LearningError):
    """The state is about a package the block no longer plays: the page was opened before a change."""

    status = 409


@dataclass(frozen=True)
class H5PStateKey:
    """Which state: the lesson block (and its package) a learner plays, the data type and sub-content."""

    lesson_id: int
    block_id: str
    content_id: str
    data_type: str = "state"
    sub_content_id: str = "0"


@dataclass(frozen=True)
class H5PStateOwner:
    enrolment: Enrolment
    lesson: LessonPage
    content_id: uuid.UUID


def h5p_state_owner(*, user: AbstractBaseUser, key: H5PStateKey) -> H5PStateOwner:
    """The enrolment a state of ``key`` belongs to, for the signed-in ``user``.

    Unknown lessons, blocks that are not H5P activities and unknown package ids are UnknownActivity
    (404) whoever asks; a package the block no longer plays is H5PContentChanged (409); a learner not
    enrolled in the lesson's course gets NotEnrolled (403). The state is always the user's own: no
    part of the key names a learner."""
    for value, field in ((key.data_type, "data_type"), (key.sub_content_id, "sub_content_id")):
        if not _H5P_NAME.match(value or ""):
            raise InvalidH5PState(_("This is not an H5P data type or sub-content id."), code="invalid_key", field=field)
    try:
        content_id = uuid.UUID(str(key.content_id))
        activity = resolve_activity(activity_iri(lesson_id=int(key.lesson_id), block_id=str(key.block_id)))
    except (ValueError, ActivityNotFound) as exc:
        raise UnknownActivity(_("There is no such H5P activity."), code="unknown_activity") from exc
    package = activity.value.get("activity") if activity.block_type == "h5p" else None
    if package is None:
        raise UnknownActivity(_("There is no such H5P activity."), code="unknown_activity")
    if package.uuid != content_id:
        raise H5PContentChanged(
            _("This activity has changed since the page was opened. Reload the page to start it again."),
            code="content_changed",
        )
    if not user.is_authenticated:
        raise NotEnrolled(_("Sign in to keep your place in activities."), code="not_signed_in")
    enrolment = enrolment_for_lesson(user=user, lesson=activity.lesson)
    if enrolment is None:
        raise NotEnrolled(
            _("Enrol in this course first: your place in activities is only kept in courses you are enrolled in."),
            code="not_enrolled",
        )
    return H5PStateOwner(enrolment=enrolment, lesson=activity.lesson, content_id=content_id)


def check_h5p_state(data: Any) -> str:
    """The state as stored: a JSON text of at most H5P_STATE_MAX_BYTES bytes, or InvalidH5PState."""
    if not isinstance(data, str):
        raise InvalidH5PState(_("The saved state must be a JSON text."), code="invalid_state", field="data")
    if len(data.encode("utf-8", "surrogatepass")) > H5P_STATE_MAX_BYTES:
        raise InvalidH5PState(
            _("The saved state is larger than %(kb)d KB; it was not kept.") % {"kb": H5P_STATE_MAX_BYTES // 1024},
            code="state_too_large",
            field="data",
        )
    try:
        json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise InvalidH5PState(_("The saved state must be a JSON text."), code="invalid_state", field="data") from exc
    return data


def save_h5p_state(
    *, user: AbstractBaseUser, key: H5PStateKey, data: Any, preload: bool = True, invalidate: bool = True
) -> H5PState | None:
    """Keep (or, when ``data`` is "0" as the H5P core sends it, delete) one state of an activity.

    Both also delete the block's states kept for another package, so a re-uploaded activity
    never restarts from a state that does not fit it. Returns the stored row, or None when deleted."""
    if data == H5P_STATE_DELETE:
        owner = h5p_state_owner(user=user, key=key)
        H5PState.objects.filter(enrolment=owner.enrolment, lesson=owner.lesson, block_id=key.block_id).filter(
            Q(data_type=key.data_type, sub_content_id=key.sub_content_id) | ~Q(content_id=owner.content_id)
        ).delete()
        return None
    data = check_h5p_state(data)
    owner = h5p_state_owner(user=user, key=key)
    with transaction.atomic():
        H5PState.objects.filter(enrolment=owner.enrolment, lesson=owner.lesson, block_id=key.block_id).exclude(
            content_id=owner.content_id
        ).delete()
        state, _created = H5PState.objects.update_or_create(
            enrolment=owner.enrolment,
            lesson=owner.lesson,
            block_id=key.block_id,
            data_type=key.data_type,
            sub_content_id=key.sub_content_id,
            defaults={
                "content_id": owner.content_id,
                "data": data,
                "preload": bool(preload),
                "invalidate": bool(invalidate),
            },
        )
    return state


# --- organisations -----------------------------------------------------------------------------

ORGANISATION_ADMINS = "Organisation admins"


@transaction.atomic
def make_organisation_admin(*, user: AbstractBaseUser, organisation: Organisation) -> None:
    """Let a user administer a unit and its sub-units, with access to the Wagtail admin's reports."""
    organisation.admins.add(user)  # grant_admin_access follows through the m2m_changed receiver


def grant_admin_access(*, users) -> None:
    """Organisation admins reach their reports through the Wagtail admin, so they need to sign in there."""
    group, _created = Group.objects.get_or_create(name=ORGANISATION_ADMINS)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    group.user_set.add(*users)


@transaction.atomic
def set_membership(
    *, user: AbstractBaseUser, organisation: Organisation | None, designation: str | None = None
) -> LearnerProfile:
    """Make a learner a member of a unit; the unit's (and its parents') assignments apply to them too."""
    defaults: dict[str, Any] = {"organisation": organisation, "kind": LearnerKind.CIVIL_SERVANT}
    if designation is not None:
        defaults["designation"] = designation
    profile, _created = LearnerProfile.objects.update_or_create(user=user, defaults=defaults)
    if organisation is not None:
        ancestors = [
            organisation.path[:end]
            for end in range(Organisation.steplen, len(organisation.path) + 1, Organisation.steplen)
        ]
        enrolled = set(Enrolment.objects.filter(user=user).values_list("course_id", flat=True))
        for assignment in Assignment.objects.filter(organisation__path__in=ancestors).order_by("due_on"):
            if assignment.course_id not in enrolled:
                Enrolment.objects.create(
                    user=user,
                    course_id=assignment.course_id,
                    source=EnrolmentSource.ASSIGNMENT,
                    assignment=assignment,
                    due_on=assignment.due_on,
                )
                enrolled.add(assignment.course_id)
    return profile


@transaction.atomic
def assign_course(
    *, organisation: Organisation, course: CoursePage, due_on: date, assigned_by: AbstractBaseUser | None = None
) -> tuple[Assignment, int]:
    """Require a course of a unit's members (and its sub-units') by a date; enrol those not enrolled.

    Returns the assignment and how many enrolments it created. Members who are already enrolled keep
    their progress and get the due date.
    """
    if not course.live:
        raise EnrolmentRefused(_("Only published courses can be assigned."), code="course_not_published")
    if due_on < timezone.localdate():
        raise EnrolmentRefused(_("The due date is in the past."), code="due_date_in_past", field="due_on")
    assignment, created = Assignment.objects.get_or_create(
        organisation=organisation, course=course, defaults={"due_on": due_on, "assigned_by": assigned_by}
    )
    if not created:
        raise EnrolmentRefused(
            _("This course is already assigned to %(unit)s, due %(date)s.")
            % {"unit": organisation.name, "date": assignment.due_on.isoformat()},
            code="already_assigned",
        )
    members = get_user_model().objects.filter(
        learner_profile__organisation__path__startswith=organisation.path, is_active=True
    )
    Enrolment.objects.filter(course=course, user__in=members, due_on__isnull=True).update(
        assignment=assignment, due_on=due_on
    )
    enrolled = Enrolment.objects.filter(course=course, user__in=members).values("user_id")
    new = [
        Enrolment(
            user_id=user_id, course=course, source=EnrolmentSource.ASSIGNMENT, assignment=assignment, due_on=due_on
        )
        for user_id in members.exclude(pk__in=enrolled).values_list("pk", flat=True)
    ]
    Enrolment.objects.bulk_create(new, batch_size=1000)
    return assignment, len(new)


@dataclass(frozen=True)
class Refusal:
    row: int
    email: str
    course: str
    reason: str


@dataclass(frozen=True)
class EnrolmentImport:
    enrolled: int
    refusals: list[Refusal]

    @property
    def ok(self) -> bool:
        return not self.refusals


CSV_COLUMNS = {"email", "course"}
MAX_CSV_ROWS = 20_000


def import_enrolments(*, organisation: Organisation, raw: bytes) -> EnrolmentImport:
    """Enrol members of a unit from a CSV (email, course, optional due_date): every row or none.

    Each row is checked (known member email, published course by id or slug, ISO date not in the past,
    not a duplicate of an earlier row, not already enrolled, prerequisites met); if any row is refused,
    nothing is written and the refusals say which row and why.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return EnrolmentImport(
            0, [Refusal(0, "", "", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."))]
        )
    reader = csv.DictReader(io.StringIO(text))
    headings = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if not headings >= CSV_COLUMNS:
        return EnrolmentImport(
            0, [Refusal(1, "", "", _("The first row must name the columns: email, course and, optionally, due_date."))]
        )
    rows = []
    for row in reader:
        rows.append({(key or "").strip().lower(): (value or "").strip() for key, value in row.items() if key})
        if len(rows) > MAX_CSV_ROWS:
            return EnrolmentImport(
                0, [Refusal(0, "", "", _("At most %(count)d rows per file.") % {"count": MAX_CSV_ROWS})]
            )

    emails = {row["email"].lower() for row in rows if row.get("email")}
    users = {
        user.email.lower(): user
        for user in get_user_model()
        .objects.filter(email__in=list(emails), is_active=True)
        .select_related("learner_profile__organisation")
    }
    if len(users) < len(emails):  # emails differ in case only: match case-insensitively, one query
        for user in (
            get_user_model()
            .objects.filter(
                reduce(operator.or_, (Q(email__iexact=email) for email in emails - set(users)), Q(pk__in=[]))
            )
            .select_related("learner_profile__organisation")
        ):
            users.setdefault(user.email.lower(), user)
    keys = {row.get("course", "") for row in rows}
    courses = {}
    for course in CoursePage.objects.live().filter(
        Q(slug__in=keys) | Q(pk__in=[int(key) for key in keys if key.isdigit()])
    ):
        courses[str(course.pk)] = course
        courses[course.slug] = course
    already = set(
        Enrolment.objects.filter(user__in=users.values(), course__in=set(courses.values())).values_list(
            "user_id", "course_id"
        )
    )
    completed = set(
        Enrolment.objects.filter(user__in=users.values(), status=EnrolmentStatus.COMPLETED).values_list(
            "user_id", "course_id"
        )
    )
    prerequisites = {
        course.pk: {prerequisite.pk for prerequisite in course.prerequisites.all()} for course in set(courses.values())
    }

    today = timezone.localdate()
    seen: dict[tuple[str, str], int] = {}
    refusals, accepted = [], []
    for number, row in enumerate(rows, start=2):
        email, key, due = row.get("email", ""), row.get("course", ""), row.get("due_date", "")
        user, course = users.get(email.lower()), courses.get(key)
        due_on, bad_date = None, False
        if due:
            try:
                due_on = date.fromisoformat(due)
            except ValueError:
                bad_date = True
        if not email:
            reason = _("The email is missing.")
        elif bad_date:
            reason = _("The due date “%(value)s” is not a date written YYYY-MM-DD.") % {"value": due}
        elif due_on is not None and due_on < today:
            reason = _("The due date is in the past.")
        elif user is None or not _is_member(user=user, organisation=organisation):
            # a person of another organisation reads the same as nobody: the file reveals no accounts
            reason = _("No member of %(unit)s or its units has this email.") % {"unit": organisation.name}
        elif course is None:
            reason = _("No published course has this id or slug.")
        elif (email.lower(), str(course.pk)) in seen:
            reason = _("Duplicate of row %(row)d.") % {"row": seen[(email.lower(), str(course.pk))]}
        elif (user.pk, course.pk) in already:
            reason = _("Already enrolled in this course.")
        elif prerequisites[course.pk] - {done for uid, done in completed if uid == user.pk}:
            reason = _("Has not completed the prerequisite courses.")
        else:
            reason = None
        if reason:
            refusals.append(Refusal(number, email, key, reason))
        else:
            seen[(email.lower(), str(course.pk))] = number
            accepted.append(Enrolment(user=user, course=course, source=EnrolmentSource.ADMIN, due_on=due_on))
    if not rows:
        refusals.append(Refusal(0, "", "", _("The file has no rows to import.")))
    if refusals:
        return EnrolmentImport(0, refusals)
    try:
        with transaction.atomic():
            Enrolment.objects.bulk_create(accepted, batch_size=1000)
    except IntegrityError:  # someone enrolled one of them meanwhile: import nothing, say so
        return EnrolmentImport(0, [Refusal(0, "", "", _("Enrolments changed while importing; upload again."))])
    return EnrolmentImport(len(accepted), [])


def enrol_member(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    course: CoursePage,
    due_on: date | None = None,
    enrolled_by: AbstractBaseUser | None = None,
) -> Enrolment:
    """An organisation admin enrols one member of their unit (or of a sub-unit), with an optional due
    date: the same rules as the CSV import, for the admin's form and for systems that enrol people one
    at a time.

    An existing enrolment is never changed, not even its due date: the admin is told the date it keeps
    (a new date for everyone in a unit is what "Assign a course" is for)."""
    if not user.is_active or not _is_member(user=user, organisation=organisation):
        raise EnrolmentRefused(
            _("This person is not a member of %(unit)s or its units.") % {"unit": organisation.name},
            code="not_a_member",
            field="user",
        )
    if due_on is not None and due_on < timezone.localdate():
        raise EnrolmentRefused(_("The due date is in the past."), code="due_date_in_past", field="due_on")
    try:
        return enrol(user=user, course=course, source=EnrolmentSource.ADMIN, due_on=due_on)
    except EnrolmentRefused as refused:
        if refused.code != "already_enrolled" or due_on is None:
            raise
        kept = Enrolment.objects.filter(user=user, course=course).values_list("due_on", flat=True).first()
        if kept is None:
            note = _("The due date you gave was not applied; the enrolment still has no due date.")
        else:
            note = _("The due date you gave was not applied; the enrolment keeps its due date, %(date)s.") % {
                "date": kept.isoformat()
            }
        raise EnrolmentRefused(f"{refused.message} {note}", code=refused.code) from None


def _is_member(*, user: AbstractBaseUser, organisation: Organisation) -> bool:
    profile = getattr(user, "learner_profile", None)
    unit = profile.organisation if profile else None
    return unit is not None and unit.path.startswith(organisation.path)


# --- reminders ---------------------------------------------------------------------------------


def _send_notices(*, kind: str, enrolments, subject: str, template: str) -> int:
    """Send one email per enrolment, each at most once: the Notice row is written in the same
    transaction as the send, and its unique constraint turns a second attempt into a no-op."""
    sent = 0
    for enrolment in enrolments.select_related("user", "course", "assignment__organisation").iterator():
        try:
            with transaction.atomic():
                Notice.objects.create(enrolment=enrolment, kind=kind)
                with translation.override(settings.LANGUAGE_CODE):
                    body = render_to_string(template, {"enrolment": enrolment, "site_url": site_origin()})
                    send_mail(
                        subject % {"course": enrolment.course.title},
                        body,
                        None,
                        [enrolment.user.email],
                    )
        except IntegrityError:
            continue
        sent += 1
    return sent


def _assigned_and_unfinished():
    return (
        Enrolment.objects.filter(assignment__isnull=False, due_on__isnull=False, user__is_active=True)
        .exclude(status=EnrolmentStatus.COMPLETED)
        .exclude(user__email="")
    )


def send_due_reminders(*, today: date | None = None) -> int:
    """Remind learners of assigned courses due within ``LMS_REMINDER_DAYS`` days."""
    today = today or timezone.localdate()
    days = getattr(settings, "LMS_REMINDER_DAYS", 7)
    enrolments = (
        _assigned_and_unfinished()
        .filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))
        .exclude(notices__kind=NoticeKind.REMINDER)
    )
    return _send_notices(
        kind=NoticeKind.REMINDER,
        enrolments=enrolments,
        subject=_("Reminder: %(course)s is due soon"),
        template="lms/email/reminder.txt",
    )


def send_overdue_notices(*, today: date | None = None) -> int:
    """Tell learners once that an assigned course is past its due date."""
    today = today or timezone.localdate()
    enrolments = _assigned_and_unfinished().filter(due_on__lt=today).exclude(notices__kind=NoticeKind.OVERDUE)
    return _send_notices(
        kind=NoticeKind.OVERDUE,
        enrolments=enrolments,
        subject=_("Overdue: %(course)s"),
        template="lms/email/overdue.txt",
    )


# --- forwarding to an external LRS -------------------------------------------------------------


class ForwardingFailed(Exception):
    """The external LRS did not take the statement but may later (network error, 429, 5xx): retry."""


def forward_statement(*, statement_id: uuid.UUID) -> int | None:
    """Send one stored statement to the LRS configured by ``XAPI_FORWARD_URL`` (basic auth with
    ``XAPI_FORWARD_USERNAME``/``_PASSWORD``), by PUT with its id so a retry can never duplicate it.

    Returns the LRS's status (None when forwarding is off or the statement is gone); a refusal that a
    retry would not change (4xx) is logged and dropped; anything else raises ForwardingFailed.
    """
    endpoint = getattr(settings, "XAPI_FORWARD_URL", "")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured("XAPI_FORWARD_URL must be an http:// or https:// URL.")
    row = Statement.objects.filter(statement_id=statement_id).only("payload").first()
    if not endpoint or row is None:
        return None
    url = f"{endpoint.rstrip('/')}/statements?{urllib.parse.urlencode({'statementId': str(statement_id)})}"
    request = urllib.request.Request(url, data=json.dumps(row.payload).encode("utf-8"), method="PUT")  # noqa: S310
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", "1.0.3")
    username = getattr(settings, "XAPI_FORWARD_USERNAME", "")
    if username:
        secret = f"{username}:{getattr(settings, 'XAPI_FORWARD_PASSWORD', '')}".encode()
        request.add_header("Authorization", f"Basic {base64.b64encode(secret).decode('ascii')}")
    try:
        timeout = getattr(settings, "XAPI_FORWARD_TIMEOUT", 10)
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked above
            return response.status
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise ForwardingFailed(f"The LRS answered {exc.code}.") from exc
        logger.error("The LRS refused statement %s with %s; not retrying.", statement_id, exc.code)
        return exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise ForwardingFailed(f"The LRS could not be reached: {exc}") from exc
