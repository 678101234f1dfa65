"""Storing statements as a Learning Record Store does: validated, stored once by id (a repeat of the
same statement answers as the first did, a different one under the same id is a conflict), voiding
applied, ``stored`` and ``authority`` set by the store. Statements by a site learner about one of this
site's published activities in a course they are enrolled in also move their progress, through
``lms.progress.recording``; every other statement is only stored."""

import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses.activities import ActivityNotFound

from ..conf import lms_settings
from ..errors import ActorMismatch, NotEnrolled, StatementConflict, UnknownActivity
from ..models import Enrolment, Statement
from ..progress.recording import (
    PendingResult,
    prepare_activity_result,
    record_pending_result,
    recorded_result,
    recording_call,
)
from ..progress.structure import PublishedActivity, published_activity
from .actors import actor_matches, client_agent, learner_named_by, statement_actor
from .models import LrsClient
from .validation import VOIDED, check_duration, identifier_key, validate_statement

RESULT_VERBS = {
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed",
}
#: What makes two statements with one id the same statement (xAPI 1.0.3, Statement comparison: the
#: store's own ``stored`` and ``authority``, and ``version``, do not count).
COMPARED = ("actor", "verb", "object", "result", "context", "attachments")


@dataclass(frozen=True)
class Sender:
    """Who sends: a learner acting as themselves (``client`` None), or an LRS client."""

    user: AbstractBaseUser
    client: LrsClient | None = None

    @property
    def authority(self) -> dict[str, Any]:
        return client_agent(self.client) if self.client else statement_actor(user=self.user)


def _activity_iri(object_id: str) -> str:
    """H5P names parts of compound content with a ``subContentId`` query; the activity is the whole."""
    return object_id.split("?", 1)[0]


def _object_key(target: dict) -> str:
    if target.get("objectType") in ("Agent", "Group"):
        return identifier_key(target)[:500]
    return str(target.get("id", ""))[:500]


def same_statement(first: dict, second: dict) -> bool:
    return all(first.get(name) == second.get(name) for name in COMPARED)


def _site_activity(iri: str, cache: dict) -> PublishedActivity | None:
    if iri not in cache:
        try:
            cache[iri] = published_activity(iri)
        except ActivityNotFound:
            cache[iri] = None
    return cache[iri]


def _attempt(*, learner, statement: dict, statement_id: str, activity: PublishedActivity) -> PendingResult:
    """The attempt a statement's result describes, checked, not yet recorded."""
    result = statement["result"]
    score = result.get("score") or {}
    raw, low, high = score.get("raw"), score.get("min"), score.get("max")
    if raw is not None and high is not None and low:
        raw, high = Decimal(str(raw)) - Decimal(str(low)), Decimal(str(high)) - Decimal(str(low))
    return prepare_activity_result(
        user=learner,
        activity_iri=activity_iri_of(statement),
        event_id=statement_id,
        score_raw=raw,
        score_max=high,
        score_scaled=score.get("scaled"),
        success=result.get("success"),
        completion=result.get("completion"),
        duration=check_duration(result["duration"], "result.duration") if "duration" in result else None,
        activity=activity,
    )


def activity_iri_of(statement: dict) -> str:
    return _activity_iri(statement["object"]["id"])


def store_statements(
    *, sender: Sender, statements: list[Any], site_activities_only: bool = False
) -> list[tuple[Statement, bool]]:
    """Validate and store statements, all or none; return each stored row and whether it is new.

    A learner may only send statements about themselves (ActorMismatch). ``site_activities_only`` is the
    lesson player's rule: the object must be a published activity of a course the learner is enrolled
    in (UnknownActivity, NotEnrolled), where an LRS client's statements about anything are stored."""
    checked = []
    for statement in statements:
        valid = validate_statement(statement)
        if sender.client is None and not actor_matches(actor=valid["actor"], user=sender.user):
            raise ActorMismatch("You can only record statements about yourself.", code="actor_mismatch", field="actor")
        checked.append(dict(valid, id=valid.get("id") or str(uuid.uuid4())))
    ids = [statement["id"] for statement in checked]
    if len(set(ids)) != len(ids):
        raise StatementConflict("Two statements in this request share an id.", code="id_conflict", field="id")
    context = {"activities": {}, "authority": sender.authority, "site_activities_only": site_activities_only}
    # Most statements are new: the first attempt inserts without looking (the unique id decides); only
    # when that meets a stored id does the second attempt read which ones exist.
    prepared: dict[str, tuple[Statement, PendingResult | None]] = {}
    for attempt in (1, 2):
        existing = {}
        if attempt == 2 or len(ids) > 1:
            existing = {str(row.statement_id): row for row in Statement.objects.filter(statement_id__in=ids)}
        try:
            if attempt == 1 and len(checked) == 1 and connection.vendor == "postgresql":
                prepared[ids[0]] = row, pending = _new_row(sender=sender, statement=checked[0], **context)
                if pending is not None:
                    return [(_insert_with_result(row, pending, site_activities_only=site_activities_only), True)]
            with transaction.atomic():
                answered = []
                for statement in checked:
                    if statement["id"] in existing:
                        answered.append((_as_first(existing[statement["id"]], statement), False))
                        continue
                    row, pending = prepared.pop(statement["id"], None) or _new_row(
                        sender=sender, statement=statement, **context
                    )
                    if pending is not None:
                        row.activity_result = _record(pending, site_activities_only=site_activities_only)
                    answered.append((row, True))
                _insert([row for row, new in answered if new])
                return answered
        except IntegrityError:
            # One of these ids is stored (by an earlier or a concurrent request): all of this was rolled
            # back, and the second attempt answers for that statement as the first request did (no 500).
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record(pending: PendingResult, *, site_activities_only: bool):
    """Record a statement's result (see ``_unless_not_enrolled``)."""
    return _unless_not_enrolled(lambda: record_pending_result(pending), site_activities_only=site_activities_only)


def _unless_not_enrolled(recorded, *, site_activities_only: bool):
    """The recorded result ``recorded()`` gives; a learner not enrolled in its course is the lesson
    player's error, and for any other sender the statement is stored without moving progress (None)."""
    try:
        return recorded()
    except NotEnrolled:
        if site_activities_only:
            raise
        return None


def _as_first(row: Statement, statement: dict) -> Statement:
    """A statement sent again is answered as the first time; another one under its id is a conflict."""
    if not same_statement(row.payload, statement):
        raise StatementConflict("Another statement already has this id.", code="id_conflict", field="id")
    return row


def _new_row(
    *, sender: Sender, statement: dict, activities: dict, authority: dict, site_activities_only: bool
) -> tuple[Statement, PendingResult | None]:
    """The row of a new statement, not yet saved, and the attempt its result describes (if it moves a
    learner's progress), not yet recorded."""
    learner = sender.user if sender.client is None else learner_named_by(statement["actor"])
    target = statement["object"]
    verb = statement["verb"]["id"]
    activity = None
    if target.get("objectType", "Activity") == "Activity":
        activity = _site_activity(activity_iri_of(statement), activities)
    if site_activities_only and activity is None:
        raise UnknownActivity("No published lesson has this activity.", code="unknown_activity", field="object.id")
    pending = None
    answers = "result" in statement and verb in RESULT_VERBS and activity is not None
    if answers and learner is not None and activity_iri_of(statement) == target["id"]:
        pending = _attempt(learner=learner, statement=statement, statement_id=statement["id"], activity=activity)
    elif site_activities_only and not Enrolment.objects.filter(user=learner, course_id=activity.course_id).exists():
        raise NotEnrolled(
            "Enrol in this course first: your progress is only recorded in courses you are enrolled in.",
            code="not_enrolled",
        )
    # xAPI 1.0.3: the LRS sets ``stored`` and ``authority`` (whatever the client sent), ``timestamp`` to
    # the same moment when the client gave none, and ``version`` to 1.0.0 when absent.
    now = timezone.now()
    payload = dict(statement, stored=now.isoformat(), authority=authority)
    payload.setdefault("timestamp", payload["stored"])
    payload.setdefault("version", "1.0.0")
    registration = (statement.get("context") or {}).get("registration")
    return Statement(
        statement_id=statement["id"],
        user=learner,
        verb=verb[:500],
        object_id=_object_key(target),
        actor_key=identifier_key(statement["actor"])[:500],
        authority_key=identifier_key(authority)[:500],
        registration=registration,
        payload=payload,
        stored_at=now,
    ), pending


def _insert_with_result(row: Statement, pending: PendingResult, *, site_activities_only: bool) -> Statement:
    """One new statement whose result moves progress, on PostgreSQL: the recording function and the
    statement's INSERT as one SQL statement, so a POST costs one round trip besides its authentication
    (three fewer than a transaction around two). One statement is atomic on its own: when the id is
    already stored, the unique violation undoes what the function recorded too (IntegrityError, and
    the caller answers as the first time). Inside a caller's transaction it runs in a savepoint, so
    that the transaction survives the violation."""
    call, parameters = recording_call(pending)
    row_parameters = [
        field.get_db_prep_save(getattr(row, field.attname), connection)
        for field in _stored_fields()
        if field.name != "activity_result"
    ]
    sql = f"WITH recorded AS ({call}), {_stored_from_recorded(connection.vendor)}"
    with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
        cursor.execute(sql, [*parameters, *row_parameters, site_activities_only])
        outcome = cursor.fetchone()
    row.activity_result = _unless_not_enrolled(
        lambda: recorded_result(pending, outcome), site_activities_only=site_activities_only
    )
    row.pk, row._state.adding, row._state.db = outcome[-1], False, connection.alias
    _forward([row])
    return row


@cache
def _stored_fields() -> list:
    """The statement's columns an INSERT sets, in the model's order (all but the id)."""
    return [field for field in Statement._meta.concrete_fields if not field.primary_key]


@cache
def _stored_from_recorded(vendor: str) -> str:
    """The INSERT of ``_insert_with_result`` after its ``recorded`` CTE: the statement's columns, cast to
    their types, with the recorded result's id (none when the learner is not enrolled, and no row at all
    then when the last parameter, the lesson player's rule, is true)."""
    quote = connection.ops.quote_name
    fields = _stored_fields()
    values = [
        "CASE WHEN out_outcome = 'not_enrolled' THEN NULL ELSE out_id END"
        if field.name == "activity_result"
        else f"CAST(%s AS {field.cast_db_type(connection)})"
        for field in fields
    ]
    columns = ", ".join(quote(field.column) for field in fields)
    # S608: every name here comes from the model's metadata; values are parameters.
    return (
        f"stored AS (INSERT INTO {quote(Statement._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM recorded WHERE out_outcome <> 'not_enrolled' OR NOT %s "
        f"RETURNING {quote(Statement._meta.pk.column)}) "
        "SELECT recorded.*, (SELECT * FROM stored) FROM recorded"
    )


def _insert(rows: list[Statement]) -> None:
    """The new statements in one INSERT (a batch of 20 cost 20 before), then what they void; a stored
    id among them raises IntegrityError and the caller's transaction stores none of them."""
    Statement.objects.bulk_create(rows)
    voided = [row.payload["object"]["id"] for row in rows if row.verb == VOIDED]
    if voided:
        Statement.objects.filter(statement_id__in=voided).exclude(verb=VOIDED).update(voided=True)
    _forward(rows)


def _forward(rows: list[Statement]) -> None:
    """Once stored, the statements go on to the external LRS, when one is configured."""
    if lms_settings.XAPI_FORWARD_URL:
        from ..tasks import forward_statement_task

        for statement_id in [str(row.statement_id) for row in rows]:
            # robust: an LRS outage (or a retry raised by an eager task) must never fail the sender's request.
            transaction.on_commit(
                lambda statement_id=statement_id: forward_statement_task.delay(statement_id), robust=True
            )
