"""A whole statement (xAPI 1.0.3, 2.4): its properties, its object (Activity, Agent, Group,
StatementRef or SubStatement), the version, and voiding."""

from typing import Any

from .activities import check_activity
from .agents import check_agent
from .parts import check_attachments, check_context, check_result, check_statement_ref
from .values import (
    check_iri,
    check_language_map,
    check_timestamp,
    check_uuid,
    check_values,
    invalid,
    only_properties,
    require,
    require_object,
)

STATEMENT_PROPERTIES = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
SUBSTATEMENT_PROPERTIES = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def validate_statement(value: Any) -> dict:
    """The statement checked against every MUST of the Data section, normalised as the LRS stores it
    (contextActivities as arrays, ids in lower case). Raises InvalidStatement naming the property."""
    statement = require_object(value, "statement")
    check_values(statement, "")
    only_properties(statement, "", STATEMENT_PROPERTIES)
    statement = _check_parts(statement, "", substatement=False)
    if "id" in statement:
        statement["id"] = check_uuid(statement["id"], "id")
    if "stored" in statement:
        check_timestamp(statement["stored"], "stored")
    if "authority" in statement:
        check_agent(statement["authority"], "authority")
    if "version" in statement:
        version = statement["version"]
        if not isinstance(version, str) or not (version == "1.0" or version.startswith("1.0.")):
            raise invalid("version", "must be 1.0.x (this store speaks xAPI 1.0.3).", "invalid_version")
        if not version.replace(".", "").isdigit():
            raise invalid("version", "must be 1.0.x (this store speaks xAPI 1.0.3).", "invalid_version")
    if statement["verb"]["id"] == VOIDED and statement["object"].get("objectType") != "StatementRef":
        raise invalid("object.objectType", "must be StatementRef in a voiding statement.", "invalid_voiding")
    return statement


def _check_parts(statement: dict, prefix: str, *, substatement: bool) -> dict:
    statement = dict(statement)

    def at(name: str) -> str:
        return f"{prefix}{name}"

    check_agent(require(statement, prefix.rstrip("."), "actor"), at("actor"))
    verb = require_object(require(statement, prefix.rstrip("."), "verb"), at("verb"))
    only_properties(verb, at("verb"), {"id", "display"})
    check_iri(require(verb, at("verb"), "id"), at("verb.id"))
    if "display" in verb:
        check_language_map(verb["display"], at("verb.display"))
    target = require_object(require(statement, prefix.rstrip("."), "object"), at("object"))
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        check_activity(target, at("object"))
    elif kind in ("Agent", "Group"):
        check_agent(target, at("object"))
    elif kind == "StatementRef":
        check_statement_ref(target, at("object"))
    elif kind == "SubStatement" and not substatement:
        only_properties(target, at("object"), SUBSTATEMENT_PROPERTIES)
        statement["object"] = _check_parts(target, at("object."), substatement=True)
    else:
        allowed = (
            "Activity, Agent, Group or StatementRef"
            if substatement
            else "Activity, Agent, Group, StatementRef or SubStatement"
        )
        raise invalid(at("object.objectType"), f"must be {allowed}.", "invalid_object_type")
    if "result" in statement:
        check_result(statement["result"], at("result"))
    if "context" in statement:
        statement["context"] = check_context(statement["context"], at("context"), object_is_activity=kind == "Activity")
    if "timestamp" in statement:
        check_timestamp(statement["timestamp"], at("timestamp"))
    if "attachments" in statement:
        check_attachments(statement["attachments"], at("attachments"))
    return statement
