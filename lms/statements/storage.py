"""Storing statements as a Learning Record Store does: validated, stored once by id (a repeat of the
same statement answers as the first did, a different one under the same id is a conflict), voiding
applied, ``stored`` and ``authority`` set by the store. Statements by a site learner about one of this
site's published activities in a course they are enrolled in also move their progress, through
``lms.progress.recording``; every other statement is only stored."""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.activities import ActivityNotFound

from ..conf import lms_settings
from ..errors import ActorMismatch, NotEnrolled, StatementConflict, UnknownActivity
from ..models import Enrolment, Statement
from ..progress.recording import record_activity_result
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


def _record_progress(*, learner, statement: dict, statement_id: str, activity: PublishedActivity):
    result = statement["result"]
    score = result.get("score") or {}
    raw, low, high = score.get("raw"), score.get("min"), score.get("max")
    if raw is not None and high is not None and low:
        raw, high = Decimal(str(raw)) - Decimal(str(low)), Decimal(str(high)) - Decimal(str(low))
    return record_activity_result(
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
    for attempt in (1, 2):
        existing = {}
        if attempt == 2 or len(ids) > 1:
            existing = {str(row.statement_id): row for row in Statement.objects.filter(statement_id__in=ids)}
        try:
            with transaction.atomic():
                answered = [
                    (_as_first(existing[statement["id"]], statement), False)
                    if statement["id"] in existing
                    else (_new_row(sender=sender, statement=statement, **context), True)
                    for statement in checked
                ]
                _insert([row for row, new in answered if new])
                return answered
        except IntegrityError:
            # One of these ids is stored (by an earlier or a concurrent request): all of this was rolled
            # back, and the second attempt answers for that statement as the first request did (no 500).
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _as_first(row: Statement, statement: dict) -> Statement:
    """A statement sent again is answered as the first time; another one under its id is a conflict."""
    if not same_statement(row.payload, statement):
        raise StatementConflict("Another statement already has this id.", code="id_conflict", field="id")
    return row


def _new_row(
    *, sender: Sender, statement: dict, activities: dict, authority: dict, site_activities_only: bool
) -> Statement:
    """The row of a new statement, not yet saved, after its result (if any) has moved progress."""
    learner = sender.user if sender.client is None else learner_named_by(statement["actor"])
    target = statement["object"]
    verb = statement["verb"]["id"]
    activity = None
    if target.get("objectType", "Activity") == "Activity":
        activity = _site_activity(activity_iri_of(statement), activities)
    if site_activities_only and activity is None:
        raise UnknownActivity("No published lesson has this activity.", code="unknown_activity", field="object.id")
    progress = None
    answers = "result" in statement and verb in RESULT_VERBS and activity is not None
    if answers and learner is not None and activity_iri_of(statement) == target["id"]:
        try:
            progress = _record_progress(
                learner=learner, statement=statement, statement_id=statement["id"], activity=activity
            )
        except NotEnrolled:
            if site_activities_only:
                raise
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
        activity_result=progress,
    )


def _insert(rows: list[Statement]) -> None:
    """The new statements in one INSERT (a batch of 20 cost 20 before), then what they void; a stored
    id among them raises IntegrityError and the caller's transaction stores none of them."""
    Statement.objects.bulk_create(rows)
    voided = [row.payload["object"]["id"] for row in rows if row.verb == VOIDED]
    if voided:
        Statement.objects.filter(statement_id__in=voided).exclude(verb=VOIDED).update(voided=True)
    if lms_settings.XAPI_FORWARD_URL:
        from ..tasks import forward_statement_task

        for statement_id in [str(row.statement_id) for row in rows]:
            # robust: an LRS outage (or a retry raised by an eager task) must never fail the sender's request.
            transaction.on_commit(
                lambda statement_id=statement_id: forward_statement_task.delay(statement_id), robust=True
            )
