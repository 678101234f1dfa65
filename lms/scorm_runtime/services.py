"""Launching a SCO for a learner, taking the commits of its runtime, and recording the results they reach.

An attempt is per learner (enrolment), lesson block (the source lesson's, whichever language's copy is
played), SCO and attempt number. Launching resumes the latest attempt unless it finished and was not
suspended (then a new attempt starts with fresh data); the runtime is loaded with what the attempt
kept (location, suspend data, status, score, total time, ``entry`` = ``resume``).

A commit costs the same queries whatever the size of its CMI data: the attempt (with its enrolment,
for the learner's own only, so another learner's attempt is a 404) and one UPDATE. When the package's
result changes (every SCO of the package finished; success and mean score) it goes through
``lms.progress.recording.record_activity_result``, the rule H5P results follow, once per result.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from courses.activities import ActivityNotFound, activity_iri, resolve_activity
from courses.models import ScormPackage

from ..errors import LearningError, NotEnrolled, UnknownActivity
from ..models import Enrolment
from ..progress.recording import record_activity_result, resolve_published_activity
from . import cmi as model
from .models import ScormAttempt


class AttemptNotFound(LearningError):
    status = 404


@dataclass(frozen=True)
class Launch:
    attempt: ScormAttempt
    version: str
    data: dict[str, Any]


def _package_of(*, lesson_id: int, block_id: str) -> ScormPackage:
    try:
        block = resolve_activity(activity_iri(lesson_id=int(lesson_id), block_id=str(block_id)))
    except (ValueError, ActivityNotFound):
        block = None
    package = block.value.get("package") if block is not None and block.block_type == "scorm" else None
    if package is None:
        raise UnknownActivity(_("There is no such SCORM package."), code="unknown_activity")
    return package


def launch(*, user: AbstractBaseUser, lesson_id: int, block_id: str, sco: str) -> Launch:
    """The attempt the learner plays now at ``sco`` of the block's package, and the data to load."""
    package = _package_of(lesson_id=lesson_id, block_id=block_id)
    if package.sco(sco) is None:
        raise UnknownActivity(_("This package has no such SCO."), code="unknown_sco", field="sco")
    activity = resolve_published_activity(activity_iri(lesson_id=int(lesson_id), block_id=str(block_id)))
    enrolment = Enrolment.objects.filter(user=user, course_id=activity.course_id).first()
    if enrolment is None:
        raise NotEnrolled(_("Enrol in this course first to keep your place and results."), code="not_enrolled")
    key = {"enrolment": enrolment, "lesson_id": activity.lesson_id, "block_id": activity.block_id, "sco": sco}
    with transaction.atomic():
        latest = ScormAttempt.objects.select_for_update().filter(**key).order_by("-number").first()
        if latest is None or latest.package_id != package.pk or (latest.finished and latest.exit != "suspend"):
            number = latest.number + 1 if latest else 1
            latest = ScormAttempt.objects.create(package=package, number=number, **key)
        else:
            ScormAttempt.objects.filter(pk=latest.pk).update(base_seconds=F("total_seconds"), session_seconds=0)
            latest.base_seconds, latest.session_seconds = latest.total_seconds, 0
    return Launch(attempt=latest, version=package.version, data=_data_to_load(latest, package.version, user))


def _data_to_load(attempt: ScormAttempt, version: str, user: AbstractBaseUser) -> dict[str, Any]:
    names = model.elements(version)
    resumed = attempt.exit == "suspend" or bool(attempt.location or attempt.suspend_data)
    data: dict[str, Any] = {
        names.learner_id: user.get_username(),
        names.learner_name: (f"{user.last_name}, {user.first_name}".strip(", ") or user.get_username())[:255],
        names.entry: "resume" if resumed else "ab-initio",
        names.total_time: model.format_seconds(version, attempt.total_seconds),
    }
    if attempt.location:
        data[names.location] = attempt.location
    if attempt.suspend_data:
        data[names.suspend_data] = attempt.suspend_data
    if attempt.completion_status:
        data[names.completion] = attempt.completion_status
    if names.success and attempt.success_status:
        data[names.success] = attempt.success_status
    for element in (names.score_raw, names.score_min, names.score_max, names.score_scaled):
        if element and attempt.cmi.get(element) not in (None, ""):
            data[element] = attempt.cmi[element]
    return data


def commit(*, user: AbstractBaseUser, attempt_id: int, payload: Any, ending: bool = False) -> ScormAttempt:
    """Store a commit of the learner's own attempt; InvalidCMI (with SCORM's code) or AttemptNotFound.

    ``ending``: the learner left the SCO (another SCO, or the page), so its attempt's session ends, and
    what SCORM says an LMS does with an attempt that ends unreported applies (``_unreported_end``)."""
    attempt = (
        ScormAttempt.objects.select_related("package", "enrolment").filter(pk=attempt_id, enrolment__user=user).first()
    )
    if attempt is None:
        raise AttemptNotFound(_("There is no such attempt of yours."), code="unknown_attempt")
    version = attempt.package.version
    flat = model.commit_elements(payload)
    reading = model.read(version, flat)
    fields: dict[str, Any] = {"cmi": {**attempt.cmi, **flat}}
    for name in ("location", "suspend_data", "exit"):
        value = getattr(reading, name)
        if value is not None:
            fields[name] = value[:1000] if name != "suspend_data" else value
    if reading.completion is not None:
        fields["completion_status"] = reading.completion[:20]
    if reading.success is not None:
        fields["success_status"] = reading.success[:10]
    if reading.has_score:
        fields["score_scaled"] = reading.score_scaled
    if reading.session_seconds is not None:
        fields["session_seconds"] = reading.session_seconds
        fields["total_seconds"] = attempt.base_seconds + reading.session_seconds
    if ending:
        fields.update(_unreported_end(attempt, fields))
    for name, value in fields.items():
        setattr(attempt, name, value)
    ScormAttempt.objects.filter(pk=attempt.pk).update(**fields)  # one statement, whatever the CMI's size
    if attempt.finished:
        _record_package_result(user=user, attempt=attempt)
    return attempt


def _unreported_end(attempt: ScormAttempt, fields: dict[str, Any]) -> dict[str, Any]:
    """The statuses the LMS sets when a SCO's session ends and the SCO did not set them.

    SCORM 1.2 (RTE 3.4.4, cmi.core.lesson_status): when the SCO finishes or the learner navigates away
    and the SCO never set a status, the LMS sets ``completed``; then, if the manifest gives a mastery
    score and the SCO set ``score.raw``, ``passed`` or ``failed`` against it. A SCO that never calls the
    runtime at all is covered by the same rule. SCORM 2004 (SN, end of an attempt that is not
    suspended): completion ``unknown`` becomes ``completed`` unless the manifest's
    ``completionSetByContent`` is true, success ``unknown`` becomes ``passed`` unless its
    ``objectiveSetByContent`` is true."""
    sco = attempt.package.sco(attempt.sco) or {}
    completion = fields.get("completion_status", attempt.completion_status)
    cmi = fields.get("cmi", attempt.cmi)
    if attempt.package.version == "1.2":
        if completion not in ("", "not attempted"):
            return {}
        status = "completed"
        mastery, raw = sco.get("mastery_score"), cmi.get("cmi.core.score.raw")
        if mastery is not None and raw not in (None, ""):
            status = "passed" if Decimal(str(raw)) >= Decimal(str(mastery)) else "failed"
        return {"completion_status": status}
    if fields.get("exit", attempt.exit) == "suspend":
        return {}
    defaults: dict[str, Any] = {}
    if not sco.get("completion_set_by_content") and completion in ("", "unknown"):
        defaults["completion_status"] = "completed"
    if not sco.get("objective_set_by_content") and fields.get("success_status", attempt.success_status) in (
        "",
        "unknown",
    ):
        defaults["success_status"] = "passed"
    return defaults


def _record_package_result(*, user: AbstractBaseUser, attempt: ScormAttempt) -> None:
    """Once every SCO of the package has finished, record the package's result if it changed."""
    scos = [sco["identifier"] for sco in attempt.package.scos]
    if len(scos) == 1:
        latest = {attempt.sco: attempt}
    else:
        latest = {}
        for other in ScormAttempt.objects.filter(
            enrolment_id=attempt.enrolment_id, lesson_id=attempt.lesson_id, block_id=attempt.block_id, sco__in=scos
        ).order_by("sco", "-number"):
            latest.setdefault(other.sco, other)
        latest[attempt.sco] = attempt
    if any(sco not in latest or not latest[sco].finished for sco in scos):
        return
    statuses = [latest[sco].success_status or latest[sco].completion_status for sco in scos]
    success = False if "failed" in statuses else (True if "passed" in statuses else None)
    scores = [latest[sco].score_scaled for sco in scos if latest[sco].score_scaled is not None]
    scaled = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.0001")) if scores else None
    summary = f"{attempt.number}|{success}|{scaled}"
    event_id = "scorm-" + hashlib.sha256(f"{attempt.pk}|{summary}".encode()).hexdigest()[:40]
    if attempt.recorded == event_id:
        return
    record_activity_result(
        user=user,
        activity_iri=activity_iri(lesson_id=attempt.lesson_id, block_id=attempt.block_id),
        event_id=event_id,
        score_scaled=scaled,
        success=success,
        completion=True,
        duration=timedelta(seconds=round(sum(latest[sco].total_seconds for sco in scos))),
    )
    ScormAttempt.objects.filter(pk=attempt.pk).update(recorded=event_id)
    attempt.recorded = event_id
