"""Activities and their definitions (xAPI 1.0.3, 2.4.4.1), interaction components included."""

from typing import Any

from .values import (
    check_extensions,
    check_iri,
    check_language_map,
    check_string,
    invalid,
    only_properties,
    require,
    require_object,
)

DEFINITION_PROPERTIES = {
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
}
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
#: Which component lists each interaction type may carry (xAPI 1.0.3, table in 2.4.4.1).
COMPONENTS_BY_TYPE = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}
COMPONENT_LISTS = {"choices", "scale", "source", "target", "steps"}


def check_activity(value: Any, path: str) -> dict:
    activity = require_object(value, path)
    if activity.get("objectType", "Activity") != "Activity":
        raise invalid(f"{path}.objectType", "must be Activity.", "invalid_object_type")
    only_properties(activity, path, {"objectType", "id", "definition"})
    check_iri(require(activity, path, "id"), f"{path}.id")
    if "definition" in activity:
        _check_definition(activity["definition"], f"{path}.definition")
    return activity


def _check_definition(value: Any, path: str) -> None:
    definition = require_object(value, path)
    only_properties(definition, path, DEFINITION_PROPERTIES)
    for name in ("name", "description"):
        if name in definition:
            check_language_map(definition[name], f"{path}.{name}")
    for name in ("type", "moreInfo"):
        if name in definition:
            check_iri(definition[name], f"{path}.{name}")
    if "extensions" in definition:
        check_extensions(definition["extensions"], f"{path}.extensions")
    kind = definition.get("interactionType")
    lists = COMPONENT_LISTS & set(definition)
    if kind is None:
        if lists or "correctResponsesPattern" in definition:
            raise invalid(f"{path}.interactionType", "is required with interaction components.", "missing_property")
        return
    if kind not in INTERACTION_TYPES:
        raise invalid(f"{path}.interactionType", f"must be one of {', '.join(sorted(INTERACTION_TYPES))}.")
    for name in lists - COMPONENTS_BY_TYPE.get(kind, set()):
        raise invalid(f"{path}.{name}", f"is not used by the {kind} interaction type.", "unknown_property")
    if "correctResponsesPattern" in definition:
        pattern = definition["correctResponsesPattern"]
        if not isinstance(pattern, list):
            raise invalid(f"{path}.correctResponsesPattern", "must be an array of strings.")
        for index, item in enumerate(pattern):
            check_string(item, f"{path}.correctResponsesPattern[{index}]")
    for name in lists:
        components = definition[name]
        if not isinstance(components, list):
            raise invalid(f"{path}.{name}", "must be an array of interaction components.")
        seen = set()
        for index, component in enumerate(components):
            where = f"{path}.{name}[{index}]"
            require_object(component, where)
            only_properties(component, where, {"id", "description"})
            identifier = check_string(require(component, where, "id"), f"{where}.id")
            if identifier in seen:
                raise invalid(f"{where}.id", "repeats another component's id.")
            seen.add(identifier)
            if "description" in component:
                check_language_map(component["description"], f"{where}.description")
