"""The xAPI 1.0.3 protocol around the statements resource: the version header, the query parameters the
resource understands, the signed ``more`` link of the next page and the ``ids`` statement format.

Storage and the rules about what a learner may record or read stay in ``lms``; this is only how the
API speaks xAPI over HTTP.
"""

import re
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from .conf import api_settings

#: The version this resource follows, sent on every response (the latest 1.0 patch, as the spec asks).
XAPI_VERSION = "1.0.3"
VERSION_HEADER = "X-Experience-API-Version"
#: "1.0" and any "1.0.<patch>" are accepted; 0.9, 0.95, 1.1.0, 2.0.0 and anything else are refused.
ACCEPTED_VERSION = re.compile(r"1\.0(\.[0-9]+)?")

#: Query parameters of GET statements, as the spec names them (case matters: ``StatementId`` is refused).
GET_PARAMETERS = {
    "statementId",
    "voidedStatementId",
    "verb",
    "activity",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "more",
    "agent",
    "registration",
    "related_activities",
    "related_agents",
}
UNSUPPORTED_PARAMETERS: dict[str, str] = {}
#: With statementId or voidedStatementId, only these may come along (xAPI 1.0.3, 2.1.3).
SINGLE_STATEMENT_COMPANIONS = {"format", "attachments"}

MORE_LINK_SALT = "api.xapi.statements.more"


class XapiContentNegotiation(DefaultContentNegotiation):
    """``format`` is xAPI's own query parameter (``exact`` or ``ids``), not DRF's renderer override."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return super().select_renderer(_WithoutFormat(request), renderers, format_suffix)


class _WithoutFormat:
    """The request as content negotiation sees it: headers, without the ``format`` query parameter."""

    def __init__(self, request):
        self._request = request
        self.query_params = {}

    def __getattr__(self, name):
        return getattr(self._request, name)


def refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ErrorDetail(message, code=code)]})


def check_version(request) -> None:
    """Every request to an xAPI resource carries the version it speaks; only 1.0.x is understood."""
    version = request.headers.get(VERSION_HEADER)
    if version is None:
        raise refuse(VERSION_HEADER, f"Send the {VERSION_HEADER} header (1.0.3).", "xapi_version_missing")
    if not ACCEPTED_VERSION.fullmatch(version.strip()):
        raise refuse(
            VERSION_HEADER,
            f"xAPI version {version[:20]!r} is not supported: send 1.0.3 (any 1.0.x is accepted).",
            "xapi_version_unsupported",
        )


def check_parameters(params, allowed: set[str]) -> None:
    """The spec's rule: a parameter the resource does not recognise (or spelt in another case) is a 400."""
    for name in params:
        if name in UNSUPPORTED_PARAMETERS and name not in allowed:
            raise refuse(name, UNSUPPORTED_PARAMETERS[name], "unsupported_parameter")
        if name not in allowed:
            raise refuse(name, f"The parameter {name[:50]!r} is not recognised by this resource.", "unknown_parameter")


# --- the signed link to the next page ------------------------------------------------------------


def _salt(user: AbstractBaseUser) -> str:
    # The learner's id is part of the key: another learner's link fails the signature check.
    return f"{MORE_LINK_SALT}:{user.pk}"


def more_token(*, user: AbstractBaseUser, query: dict[str, Any], last: tuple[datetime, int]) -> str:
    """The query (its filters, order, size and pinned ``until``) and where the page ended, signed with the
    site's secret and a timestamp: the client can follow it, not alter it or hand it to someone else."""
    stored_at, pk = last
    return signing.dumps({"u": user.pk, "q": query, "a": [stored_at.isoformat(), pk]}, salt=_salt(user), compress=True)


def read_more_token(token: str, *, user: AbstractBaseUser) -> tuple[dict[str, Any], tuple[datetime, int]]:
    """The query and cursor of a ``more`` link issued to this learner. A link altered, forged or issued to
    someone else is a 404 (there is no such page for this learner); an expired one a 400."""
    max_age = api_settings.XAPI_MORE_LINK_SECONDS
    try:
        data = signing.loads(token, salt=_salt(user), max_age=max_age)
    except signing.SignatureExpired:
        raise refuse("more", "This page link has expired: run the query again.", "more_expired") from None
    except signing.BadSignature:
        raise NotFound("No such page of your statements.") from None
    if data.get("u") != user.pk:
        raise NotFound("No such page of your statements.")
    stored_at, pk = data["a"]
    return data["q"], (datetime.fromisoformat(stored_at), pk)


# --- format=ids ----------------------------------------------------------------------------------

AGENT_IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")


def _agent_ids(agent: Any) -> Any:
    """An Agent or identified Group by its inverse functional identifier; an anonymous Group by its members."""
    if not isinstance(agent, dict):
        return agent
    kept = {key: agent[key] for key in ("objectType", *AGENT_IDENTIFIERS) if key in agent}
    if agent.get("objectType") == "Group" and not any(key in agent for key in AGENT_IDENTIFIERS):
        kept["member"] = [_agent_ids(member) for member in agent.get("member", [])]
    return kept


def _object_ids(target: Any) -> Any:
    if not isinstance(target, dict):
        return target
    kind = target.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        return _agent_ids(target)
    if kind == "SubStatement":
        return _statement_ids(target)
    if kind == "StatementRef":
        return target
    return {key: target[key] for key in ("objectType", "id") if key in target}


def _statement_ids(statement: dict) -> dict:
    shaped = dict(statement)
    if "actor" in shaped:
        shaped["actor"] = _agent_ids(shaped["actor"])
    if isinstance(shaped.get("verb"), dict):
        shaped["verb"] = {key: shaped["verb"][key] for key in ("id",) if key in shaped["verb"]}
    if "object" in shaped:
        shaped["object"] = _object_ids(shaped["object"])
    if "authority" in shaped:
        shaped["authority"] = _agent_ids(shaped["authority"])
    context = shaped.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _agent_ids(context[key])
        activities = context.get("contextActivities")
        if isinstance(activities, dict):
            context["contextActivities"] = {
                kind: [_object_ids(item) for item in items] if isinstance(items, list) else _object_ids(items)
                for kind, items in activities.items()
            }
        shaped["context"] = context
    return shaped


def formatted(statement: dict, statement_format: str) -> dict:
    """``exact``: as received; ``ids``: agents, verbs and activities reduced to what identifies them."""
    return _statement_ids(statement) if statement_format == "ids" else statement
