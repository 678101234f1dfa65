"""Recording an attempt at an activity, and the progress it moves, once per event.

Every activity result goes through ``record_activity_result``. On SQLite (the embedded default) the
rule runs as ORM queries; on PostgreSQL the same steps run in one round trip as the database function
in ``record_activity_result.sql`` (installed by a migration that carries a copy of that file). The
two are held equal by ``tests/lms/test_recording_equivalence.py``.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.activities import ActivityNotFound, activity_iri

from ..errors import InvalidStatement, UnknownActivity
from ..models import ActivityResult, ActivityScore, Enrolment, LessonProgress
from ..signals import course_completed
from .completion import counted, lesson_done, replaces_counting_score
from .scores import scaled_from
from .stored import locked_enrolment, not_enrolled, refresh_progress
from .structure import CourseStructure, PublishedActivity, published_activity


@dataclass(frozen=True)
class PendingResult:
    """An attempt checked and ready to record: who, which published activity, and the result's fields."""

    user: AbstractBaseUser
    activity: PublishedActivity
    fields: dict[str, Any]


def record_activity_result(**attempt: Any) -> ActivityResult:
    """Record one attempt at an activity of a published lesson, once per ``event_id``.

    Takes the arguments of ``prepare_activity_result``. The IRI may name the activity in any
    translation of its lesson: the result is recorded against the source lesson's block. Raises
    UnknownActivity (drafts, unknown blocks), NotEnrolled, InvalidStatement (bad scores); in each case
    nothing is stored. The counting score follows the course's score policy (best or latest).
    """
    return record_pending_result(prepare_activity_result(**attempt))


def prepare_activity_result(
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
    response: str = "",
    activity: PublishedActivity | None = None,
) -> PendingResult:
    """Check an attempt without writing anything. ``activity`` is the IRI already resolved by a caller
    that needed it (the statement store), so it is not looked up twice."""
    event_id = str(event_id or "").strip()
    if not event_id or len(event_id) > 100:
        raise InvalidStatement(_("Each result needs an event id of at most 100 characters."), code="invalid_event_id")
    raw, maximum, scaled = scaled_from(score_raw=score_raw, score_max=score_max, score_scaled=score_scaled)
    if activity is None:
        activity = resolve_published_activity(activity_iri)
    fields = {
        "activity_iri": canonical_iri(activity),
        "event_id": event_id,
        "score_raw": raw,
        "score_max": maximum,
        "score_scaled": scaled,
        "success": success,
        "completion": completion,
        "duration": duration,
        "response": str(response or "")[:500],
    }
    return PendingResult(user=user, activity=activity, fields=fields)


def record_pending_result(pending: PendingResult) -> ActivityResult:
    """Record a checked attempt: one round trip on PostgreSQL, ORM queries elsewhere."""
    record = _record_in_postgresql if connection.vendor == "postgresql" else _record_with_orm
    return record(user=pending.user, activity=pending.activity, fields=pending.fields)


def resolve_published_activity(iri: str, *, field: str = "activity_iri") -> PublishedActivity:
    """The published activity an IRI names, or UnknownActivity naming ``field``."""
    try:
        return published_activity(iri)
    except ActivityNotFound:
        raise UnknownActivity(
            _("No published lesson has this activity."), code="unknown_activity", field=field
        ) from None


def canonical_iri(activity: PublishedActivity) -> str:
    """The one IRI of an activity, whatever copy of its lesson it was answered in."""
    return activity_iri(lesson_id=activity.lesson_id, block_id=activity.block_id)


def _record_with_orm(*, user: AbstractBaseUser, activity: PublishedActivity, fields: dict[str, Any]) -> ActivityResult:
    """The rules of ``record_activity_result`` as ORM queries (SQLite, and the reference for PostgreSQL)."""
    structure = activity.structure
    with transaction.atomic():
        enrolment = locked_enrolment(user=user, course_id=activity.course_id)
        existing = ActivityResult.objects.filter(enrolment=enrolment, event_id=fields["event_id"]).first()
        if existing is not None:
            return existing
        result = ActivityResult.objects.create(
            enrolment=enrolment, lesson_id=activity.lesson_id, block_id=activity.block_id, **fields
        )
        scaled, success = fields["score_scaled"], fields["success"]
        score = (
            ActivityScore.objects.select_for_update().filter(enrolment=enrolment, block_id=activity.block_id).first()
        )
        if score is None:
            ActivityScore.objects.create(
                enrolment=enrolment,
                lesson_id=activity.lesson_id,
                block_id=activity.block_id,
                score_scaled=counted(scaled),
                success=success,
                attempts=1,
            )
        else:
            if replaces_counting_score(
                previous=score.score_scaled, attempt=scaled, keep_best=structure.keeps_best_score
            ):
                score.score_scaled = counted(scaled)
                score.success = success
            score.attempts += 1
            score.save(update_fields=["score_scaled", "success", "attempts", "updated_at"])

        _complete_lesson_if_answered(enrolment=enrolment, lesson_id=activity.lesson_id, structure=structure)
        refresh_progress(enrolment=enrolment, structure=structure, last_lesson_id=activity.lesson_id)
    return result


def _complete_lesson_if_answered(*, enrolment: Enrolment, lesson_id: int, structure: CourseStructure) -> None:
    """A lesson with activities is complete once each of its activities has been attempted."""
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson_id).first()
    if progress is not None and progress.completed_at is not None:
        return
    activities = structure.activities_by_lesson.get(lesson_id, frozenset())
    attempted = ActivityScore.objects.filter(enrolment=enrolment, block_id__in=activities).count()
    done_at = timezone.now() if lesson_done(attempted=attempted, activities=len(activities)) else None
    if progress is None:
        LessonProgress.objects.create(enrolment=enrolment, lesson_id=lesson_id, completed_at=done_at)
    elif done_at is not None:
        progress.completed_at = done_at
        progress.save(update_fields=["completed_at", "last_visited_at"])


RECORD_IN_POSTGRESQL = (
    "SELECT out_outcome, out_completed_course, out_enrolment_id, out_id, out_recorded_at "
    "FROM lms_record_activity_result(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s::text[], %s::bigint[], %s::text[], %s, %s)"
)


def recording_call(pending: PendingResult) -> tuple[str, list[Any]]:
    """The SELECT of ``lms_record_activity_result`` for an attempt, and its parameters: a caller may run it
    alone or as part of a larger statement (the statement store inserts the statement in the same one)."""
    activity, fields = pending.activity, pending.fields
    structure = activity.structure
    return RECORD_IN_POSTGRESQL, [
        pending.user.pk,
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
        fields["response"],
        sorted(structure.activities_by_lesson.get(activity.lesson_id, ())),
        sorted(structure.required_lesson_ids),
        sorted(structure.activity_ids),
        structure.passing_score,
        structure.keeps_best_score,
    ]


def recorded_result(pending: PendingResult, outcome_row: tuple) -> ActivityResult:
    """The ActivityResult the function's first five columns describe; NotEnrolled when it recorded nothing.
    A completed course is announced once the transaction commits."""
    outcome, completed_course, enrolment_id, result_id, recorded_at = outcome_row[:5]
    if outcome == "not_enrolled":
        raise not_enrolled()
    if outcome == "duplicate":
        return ActivityResult.objects.get(pk=result_id)
    if completed_course:
        enrolment = Enrolment.objects.select_related("course", "user").get(pk=enrolment_id)
        transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))
    activity = pending.activity
    result = ActivityResult(
        id=result_id,
        enrolment_id=enrolment_id,
        lesson_id=activity.lesson_id,
        block_id=activity.block_id,
        recorded_at=recorded_at,
        **pending.fields,
    )
    result._state.adding, result._state.db = False, connection.alias  # the row exists, as after a query
    return result


def _record_in_postgresql(
    *, user: AbstractBaseUser, activity: PublishedActivity, fields: dict[str, Any]
) -> ActivityResult:
    """The same rules in one round trip: the database function of ``record_activity_result.sql``."""
    pending = PendingResult(user=user, activity=activity, fields=fields)
    with connection.cursor() as cursor:
        cursor.execute(*recording_call(pending))
        return recorded_result(pending, cursor.fetchone())
