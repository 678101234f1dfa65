"""The xAPI 1.0.3 Data section's MUST rules as a table: each valid statement is accepted, each
invalid one refused with an InvalidStatement (a 400) whose field names the property at fault."""

import copy

import pytest

from lms.errors import InvalidStatement
from lms.statements.validation import validate_statement

BASE = {
    "actor": {"objectType": "Agent", "mbox": "mailto:learner@example.org", "name": "Learner"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
    "object": {"objectType": "Activity", "id": "http://example.org/activities/quiz"},
}


def changed(**parts):
    """BASE with top-level parts replaced (None removes nothing: use the ``drop`` key to remove)."""
    statement = copy.deepcopy(BASE)
    for name in parts.pop("drop", ()):
        statement.pop(name)
    statement.update(parts)
    return statement


def at(path, value):
    """BASE with one nested value set by a dotted path."""
    statement = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = statement
    for name in parents:
        node = node.setdefault(name, {})
    node[last] = value
    return statement


VALID = {
    "minimal": BASE,
    "id uuid": changed(id="fd41c918-b88b-4b20-a0a5-a4c32391aaa0"),
    "duration weeks": changed(result={"duration": "P4W"}),
    "duration all parts": changed(result={"duration": "P3Y1M29DT4H35M59.14S"}),
    "duration minutes": changed(result={"duration": "PT1M30S"}),
    "score full": changed(result={"score": {"raw": 4, "min": 0, "max": 5, "scaled": 0.8}, "success": True}),
    "timestamp offset": changed(timestamp="2026-11-23T09:15:00.123+06:00"),
    "timestamp utc": changed(timestamp="2026-11-23T09:15:00Z"),
    "version 1.0.3": changed(version="1.0.3"),
    "version 1.0": changed(version="1.0"),
    "account actor": changed(actor={"account": {"homePage": "https://example.org", "name": "n1"}}),
    "openid actor": changed(actor={"openid": "https://example.org/id/1"}),
    "sha1 actor": changed(actor={"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}),
    "anonymous group": changed(actor={"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]}),
    "identified group": changed(actor={"objectType": "Group", "mbox": "mailto:team@example.org"}),
    "language tags": at("verb.display", {"en-US": "answered", "bn": "উত্তর", "zh-Hant-TW": "x", "dz": "x"}),
    "registration": changed(context={"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7"}),
    "context activities array": changed(context={"contextActivities": {"parent": [{"id": "http://example.org/c"}]}}),
    "extension null value": changed(result={"extensions": {"http://example.org/ext": None}}),
    "statement ref": changed(object={"objectType": "StatementRef", "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"}),
    "agent object": changed(object={"objectType": "Agent", "mbox": "mailto:other@example.org"}),
    "substatement": changed(
        object={
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:a@example.org"},
            "verb": {"id": "http://example.org/verbs/plan"},
            "object": {"id": "http://example.org/activities/x"},
        }
    ),
    "voiding": changed(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"},
    ),
    "choice interaction": at(
        "object.definition",
        {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": "choice",
            "correctResponsesPattern": ["a"],
            "choices": [{"id": "a", "description": {"en-US": "A"}}, {"id": "b"}],
        },
    ),
    "attachment": changed(
        attachments=[
            {
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en-US": "Signature"},
                "contentType": "application/octet-stream",
                "length": 4,
                "sha2": "abc",
            }
        ]
    ),
}

INVALID = {
    # (statement, the field named in the refusal)
    "null value": (at("actor.name", None), "actor.name"),
    "null result": (changed(result=None), "result"),
    "string score max": (changed(result={"score": {"max": "5"}}), "result.score.max"),
    "Verb wrong case": (dict(changed(drop=["verb"]), Verb=BASE["verb"]), "Verb"),
    "two identifiers": (at("actor.account", {"homePage": "https://example.org", "name": "x"}), "actor"),
    "no identifier": (changed(actor={"name": "nobody"}), "actor"),
    "mbox without mailto": (at("actor.mbox", "learner@example.org"), "actor.mbox"),
    "timestamp not iso": (changed(timestamp="23/11/2026 09:15"), "timestamp"),
    "timestamp unknown offset": (changed(timestamp="2026-11-23T09:15:00-00:00"), "timestamp"),
    "timestamp impossible date": (changed(timestamp="2026-02-30T09:15:00Z"), "timestamp"),
    "bad language tag": (at("verb.display", {"not a tag": "answered"}), "verb.display.not a tag"),
    "version 0.9": (changed(version="0.9"), "version"),
    "version 1.1": (changed(version="1.1.0"), "version"),
    "malformed registration": (changed(context={"registration": "not-a-uuid"}), "context.registration"),
    "registration wrong variant": (
        changed(context={"registration": "ec531277-b57b-4c15-0d91-d292c5b2b8f7"}),
        "context.registration",
    ),
    "extension key not iri": (changed(result={"extensions": {"not an iri": 1}}), "result.extensions.not an iri"),
    "verb id not iri": (at("verb.id", "answered"), "verb.id"),
    "object id missing": (changed(object={"objectType": "Activity"}), "object.id"),
    "missing actor": (changed(drop=["actor"]), "actor"),
    "unknown property": (changed(colour="red"), "colour"),
    "id not uuid": (changed(id="12345"), "id"),
    "scaled out of range": (changed(result={"score": {"scaled": 1.5}}), "result.score.scaled"),
    "raw above max": (changed(result={"score": {"raw": 6, "max": 5}}), "result.score.raw"),
    "min not below max": (changed(result={"score": {"min": 5, "max": 5}}), "result.score.min"),
    "success not boolean": (changed(result={"success": "yes"}), "result.success"),
    "duration not iso": (changed(result={"duration": "90 seconds"}), "result.duration"),
    "duration empty T": (changed(result={"duration": "PT"}), "result.duration"),
    "duration huge hours": (changed(result={"duration": "PT99999999999999999H"}), "result.duration"),
    "duration huge days": (changed(result={"duration": "P1000000000D"}), "result.duration"),
    "score 4000 digits": (changed(result={"score": {"raw": int("9" * 4000)}}), "result.score.raw"),
    "nan": (changed(result={"score": {"raw": float("nan")}}), "result.score.raw"),
    "NUL in a string": (at("actor.name", "a\x00b"), "actor.name"),
    "homePage a number": (changed(actor={"account": {"homePage": 5, "name": "x"}}), "actor.account.homePage"),
    "group member is a group": (
        changed(actor={"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@example.org"}]}),
        "actor.member[0].objectType",
    ),
    "anonymous group without members": (changed(actor={"objectType": "Group"}), "actor.member"),
    "voiding not a statement ref": (changed(verb={"id": "http://adlnet.gov/expapi/verbs/voided"}), "object.objectType"),
    "substatement in substatement": (
        changed(
            object={
                "objectType": "SubStatement",
                "actor": BASE["actor"],
                "verb": BASE["verb"],
                "object": {"objectType": "SubStatement", **BASE},
            }
        ),
        "object.object.objectType",
    ),
    "substatement with id": (
        changed(object={"objectType": "SubStatement", "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0", **BASE}),
        "object.id",
    ),
    "revision when object is an agent": (
        changed(object={"mbox": "mailto:o@example.org", "objectType": "Agent"}, context={"revision": "1"}),
        "context.revision",
    ),
    "context activity not an activity": (
        changed(context={"contextActivities": {"parent": [{"id": "no iri"}]}}),
        "context.contextActivities.parent[0].id",
    ),
    "unknown context activity kind": (
        changed(context={"contextActivities": {"sibling": [{"id": "http://example.org/a"}]}}),
        "context.contextActivities.sibling",
    ),
    "bad interaction type": (
        at("object.definition", {"interactionType": "essay"}),
        "object.definition.interactionType",
    ),
    "attachment without sha2": (
        changed(
            attachments=[
                {"usageType": "http://example.org/u", "display": {"en": "x"}, "contentType": "a/b", "length": 1}
            ]
        ),
        "attachments[0].sha2",
    ),
    "bad context language": (changed(context={"language": "english!"}), "context.language"),
    "not an object": ([BASE], "statement"),
}


@pytest.mark.parametrize("statement", VALID.values(), ids=VALID.keys())
def test_valid_statements_are_accepted(statement):
    validate_statement(copy.deepcopy(statement))


@pytest.mark.parametrize(("statement", "field"), INVALID.values(), ids=INVALID.keys())
def test_invalid_statements_are_refused_naming_the_property(statement, field):
    with pytest.raises(InvalidStatement) as refused:
        validate_statement(statement)
    assert refused.value.status == 400
    assert refused.value.field == field
    assert field in refused.value.message


def test_a_single_context_activity_is_stored_as_an_array():
    statement = changed(context={"contextActivities": {"parent": {"id": "http://example.org/course"}}})
    validated = validate_statement(statement)
    assert validated["context"]["contextActivities"]["parent"] == [{"id": "http://example.org/course"}]


def test_ids_are_stored_in_lower_case():
    validated = validate_statement(changed(id="FD41C918-B88B-4B20-A0A5-A4C32391AAA0"))
    assert validated["id"] == "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
