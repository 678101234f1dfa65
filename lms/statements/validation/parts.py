"""A statement's result, context and attachments (xAPI 1.0.3, 2.4.5, 2.4.6 and 2.4.11)."""

from typing import Any

from .activities import check_activity
from .agents import check_agent, check_group
from .values import (
    check_duration,
    check_extensions,
    check_iri,
    check_language_map,
    check_language_tag,
    check_string,
    check_uuid,
    invalid,
    only_properties,
    require,
    require_object,
)

RESULT_PROPERTIES = {"score", "success", "completion", "response", "duration", "extensions"}
CONTEXT_PROPERTIES = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}
CONTEXT_ACTIVITY_KINDS = {"parent", "grouping", "category", "other"}
ATTACHMENT_PROPERTIES = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}


def _number(value: Any, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid(path, "must be a number.", "invalid_score")
    return value


def check_result(value: Any, path: str = "result") -> dict:
    result = require_object(value, path)
    only_properties(result, path, RESULT_PROPERTIES)
    for name in ("success", "completion"):
        if name in result and not isinstance(result[name], bool):
            raise invalid(f"{path}.{name}", "must be true or false.", "invalid_result")
    if "response" in result:
        check_string(result["response"], f"{path}.response")
    if "duration" in result:
        check_duration(result["duration"], f"{path}.duration")
    if "extensions" in result:
        check_extensions(result["extensions"], f"{path}.extensions")
    if "score" in result:
        _check_score(result["score"], f"{path}.score")
    return result


def _check_score(value: Any, path: str) -> None:
    score = require_object(value, path)
    only_properties(score, path, {"scaled", "raw", "min", "max"})
    numbers = {
        name: _number(score[name], f"{path}.{name}") for name in ("scaled", "raw", "min", "max") if name in score
    }
    if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
        raise invalid(f"{path}.scaled", "must be between -1 and 1.", "score_out_of_range")
    low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
    if low is not None and high is not None and low >= high:
        raise invalid(f"{path}.min", "must be below max.", "score_out_of_range")
    if raw is not None and low is not None and raw < low:
        raise invalid(f"{path}.raw", "must not be below min.", "score_out_of_range")
    if raw is not None and high is not None and raw > high:
        raise invalid(f"{path}.raw", "must not be above max.", "score_out_of_range")


def check_context(value: Any, path: str = "context", *, object_is_activity: bool = True) -> dict:
    """The context, with each contextActivities kind normalised to an array (a single activity is
    accepted and stored as a one-item array, as xAPI 1.0.3 asks of an LRS)."""
    context = dict(require_object(value, path))
    only_properties(context, path, CONTEXT_PROPERTIES)
    if "registration" in context:
        context["registration"] = check_uuid(context["registration"], f"{path}.registration")
    if "instructor" in context:
        check_agent(context["instructor"], f"{path}.instructor")
    if "team" in context:
        check_group(context["team"], f"{path}.team")
    for name in ("revision", "platform"):
        if name in context:
            check_string(context[name], f"{path}.{name}")
            if not object_is_activity:
                raise invalid(f"{path}.{name}", "is only allowed when the object is an Activity.")
    if "language" in context:
        check_language_tag(context["language"], f"{path}.language")
    if "statement" in context:
        check_statement_ref(context["statement"], f"{path}.statement")
    if "extensions" in context:
        check_extensions(context["extensions"], f"{path}.extensions")
    if "contextActivities" in context:
        where = f"{path}.contextActivities"
        kinds = require_object(context["contextActivities"], where)
        only_properties(kinds, where, CONTEXT_ACTIVITY_KINDS)
        normalised = {}
        for kind, activities in kinds.items():
            items = activities if isinstance(activities, list) else [activities]
            for index, activity in enumerate(items):
                check_activity(activity, f"{where}.{kind}[{index}]")
            normalised[kind] = items
        context["contextActivities"] = normalised
    return context


def check_statement_ref(value: Any, path: str) -> dict:
    reference = require_object(value, path)
    if reference.get("objectType") != "StatementRef":
        raise invalid(f"{path}.objectType", "must be StatementRef.", "invalid_object_type")
    only_properties(reference, path, {"objectType", "id"})
    check_uuid(require(reference, path, "id"), f"{path}.id")
    return reference


def check_attachments(value: Any, path: str = "attachments") -> list:
    if not isinstance(value, list):
        raise invalid(path, "must be an array of attachments.")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        attachment = require_object(item, where)
        only_properties(attachment, where, ATTACHMENT_PROPERTIES)
        check_iri(require(attachment, where, "usageType"), f"{where}.usageType")
        check_language_map(require(attachment, where, "display"), f"{where}.display")
        if "description" in attachment:
            check_language_map(attachment["description"], f"{where}.description")
        check_string(require(attachment, where, "contentType"), f"{where}.contentType")
        length = require(attachment, where, "length")
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise invalid(f"{where}.length", "must be a whole number of octets.")
        check_string(require(attachment, where, "sha2"), f"{where}.sha2")
        if "fileUrl" in attachment:
            check_iri(attachment["fileUrl"], f"{where}.fileUrl")
    return value
