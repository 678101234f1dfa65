"""Agents and Groups (xAPI 1.0.3, 2.4.2): exactly one inverse functional identifier for an Agent or an
identified Group, none for an anonymous Group, whose members are Agents."""

import re
from typing import Any

from .values import check_iri, check_string, invalid, only_properties, require, require_object

IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_PROPERTIES = {"objectType", "name", *IDENTIFIERS}
GROUP_PROPERTIES = {*AGENT_PROPERTIES, "member"}
MAILTO = re.compile(r"mailto:[^@\s]+@[^@\s]+")
SHA1 = re.compile(r"[0-9a-fA-F]{40}")


def _check_identifier(agent: dict, path: str) -> str | None:
    """The one identifier the agent carries, checked; None when it has none."""
    present = [name for name in IDENTIFIERS if name in agent]
    if len(present) > 1:
        raise invalid(path, f"has {' and '.join(present)}: an agent has exactly one identifier.", "invalid_agent")
    if not present:
        return None
    name = present[0]
    value = agent[name]
    where = f"{path}.{name}"
    if name == "mbox":
        if not isinstance(value, str) or not MAILTO.fullmatch(value):
            raise invalid(where, "must be a mailto: IRI such as mailto:learner@example.org.", "invalid_mbox")
    elif name == "mbox_sha1sum":
        if not isinstance(value, str) or not SHA1.fullmatch(value):
            raise invalid(where, "must be the hexadecimal SHA-1 of a mailto: IRI.", "invalid_mbox_sha1sum")
    elif name == "openid":
        check_iri(value, where)
    else:
        account = require_object(value, where)
        only_properties(account, where, {"homePage", "name"})
        check_iri(require(account, where, "homePage"), f"{where}.homePage")
        check_string(require(account, where, "name"), f"{where}.name")
    return name


def check_agent(value: Any, path: str, *, group_allowed: bool = True) -> dict:
    """An Agent, or (when ``group_allowed``) a Group."""
    agent = require_object(value, path)
    kind = agent.get("objectType", "Agent")
    if kind == "Group" and group_allowed:
        return check_group(agent, path)
    if kind != "Agent":
        expected = "Agent or Group" if group_allowed else "Agent"
        raise invalid(f"{path}.objectType", f"must be {expected}.", "invalid_object_type")
    only_properties(agent, path, AGENT_PROPERTIES)
    if "name" in agent:
        check_string(agent["name"], f"{path}.name")
    if _check_identifier(agent, path) is None:
        raise invalid(path, "needs one identifier: mbox, mbox_sha1sum, openid or account.", "invalid_agent")
    return agent


def check_group(value: Any, path: str) -> dict:
    group = require_object(value, path)
    if group.get("objectType") != "Group":
        raise invalid(f"{path}.objectType", "must be Group.", "invalid_object_type")
    only_properties(group, path, GROUP_PROPERTIES)
    if "name" in group:
        check_string(group["name"], f"{path}.name")
    identified = _check_identifier(group, path) is not None
    if "member" not in group and not identified:
        raise invalid(f"{path}.member", "is required for an anonymous group.", "missing_property")
    members = group.get("member", [])
    if not isinstance(members, list):
        raise invalid(f"{path}.member", "must be an array of agents.")
    if not identified and not members:
        raise invalid(f"{path}.member", "must list at least one agent for an anonymous group.")
    for index, member in enumerate(members):
        check_agent(member, f"{path}.member[{index}]", group_allowed=False)
    return group


def identifier_key(agent: dict) -> str:
    """One string for the agent's identifier, to find its statements and documents by (``agent=``)."""
    for name in IDENTIFIERS:
        if name in agent:
            value = agent[name]
            if name == "account":
                return f"account:{value.get('homePage', '').rstrip('/')}|{value.get('name', '')}"
            return f"{name}:{value.lower() if name == 'mbox' else value}"
    return ""
