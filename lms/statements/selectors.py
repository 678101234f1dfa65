"""Reading xAPI statements (a learner's own, or the LRS's queries), filtered and paged by keyset."""

import json

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from ..models import (
    Statement,
)


def learner_statements(
    *,
    user: AbstractBaseUser,
    statement_id=None,
    verb: str | None = None,
    activity: str | None = None,
    since=None,
    until=None,
    ascending: bool = False,
    after: tuple | None = None,
) -> QuerySet[Statement]:
    """A learner's own xAPI statements, newest stored first (oldest first when ``ascending``), filtered
    as the xAPI query parameters say (``since`` exclusive, ``until`` inclusive, both on the time the
    statement was stored).

    ``after`` is a keyset cursor, the ``(stored_at, pk)`` of the last statement of the previous page:
    the next page starts strictly beyond it in the same order, so statements stored meanwhile neither
    shift nor repeat what a client is paging through (as an OFFSET would)."""
    direction = "" if ascending else "-"
    statements = Statement.objects.filter(user=user).order_by(f"{direction}stored_at", f"{direction}id")
    if statement_id is not None:
        statements = statements.filter(statement_id=statement_id)
    if verb:
        statements = statements.filter(verb=verb)
    if activity:
        statements = statements.filter(object_id=activity)
    if since is not None:
        statements = statements.filter(stored_at__gt=since)
    if until is not None:
        statements = statements.filter(stored_at__lte=until)
    if after is not None:
        stored_at, pk = after
        if ascending:
            beyond = Q(stored_at__gt=stored_at) | Q(stored_at=stored_at, id__gt=pk)
        else:
            beyond = Q(stored_at__lt=stored_at) | Q(stored_at=stored_at, id__lt=pk)
        statements = statements.filter(beyond)
    return statements


def lrs_statements(
    *,
    learner: AbstractBaseUser | None = None,
    authority_key: str | None = None,
    statement_id=None,
    voided: bool | None = False,
    verb: str | None = None,
    activity: str | None = None,
    agent_key: str | None = None,
    agent_text: str | None = None,
    registration=None,
    related_activities: bool = False,
    related_agents: bool = False,
    since=None,
    until=None,
    ascending: bool = False,
    after: tuple | None = None,
) -> QuerySet[Statement]:
    """The statements an LRS query asks for, among those the reader may see (``learner``: theirs;
    ``authority_key``: those a client sent; neither: all). Voided statements are left out of lists
    (``voided=False``) and asked for by ``voidedStatementId`` only (``voided=True``); ``related_*``
    widen the agent and activity filters to any place in the statement (its JSON text).

    Paged by keyset as ``learner_statements`` is (``after`` is the last page's ``(stored_at, pk)``)."""
    direction = "" if ascending else "-"
    statements = Statement.objects.order_by(f"{direction}stored_at", f"{direction}id")
    if learner is not None:
        statements = statements.filter(user=learner)
    if authority_key is not None:
        statements = statements.filter(authority_key=authority_key)
    if voided is not None:
        statements = statements.filter(voided=voided)
    if statement_id is not None:
        statements = statements.filter(statement_id=statement_id)
    if verb:
        statements = statements.filter(verb=verb)
    if registration is not None:
        statements = statements.filter(registration=registration)
    if activity:
        if related_activities:
            text = Cast("payload", TextField())
            statements = statements.annotate(_text=text).filter(
                Q(object_id=activity) | Q(_text__contains=json.dumps(activity)[1:-1])
            )
        else:
            statements = statements.filter(object_id=activity)
    if agent_key:
        if related_agents and agent_text:
            statements = statements.annotate(_agents=Cast("payload", TextField())).filter(
                Q(actor_key=agent_key) | Q(_agents__contains=agent_text)
            )
        else:
            statements = statements.filter(actor_key=agent_key)
    if since is not None:
        statements = statements.filter(stored_at__gt=since)
    if until is not None:
        statements = statements.filter(stored_at__lte=until)
    if after is not None:
        stored_at, pk = after
        if ascending:
            beyond = Q(stored_at__gt=stored_at) | Q(stored_at=stored_at, id__gt=pk)
        else:
            beyond = Q(stored_at__lt=stored_at) | Q(stored_at=stored_at, id__lt=pk)
        statements = statements.filter(beyond)
    return statements


def activity_definition(activity_id: str) -> dict:
    """The Activity object as the store knows it: the definition of the latest statement about it
    that carried one (xAPI 1.0.3 lets the LRS keep the canonical definition it chooses)."""
    rows = (
        Statement.objects.filter(object_id=activity_id).order_by("-stored_at", "-id").values_list("payload", flat=True)
    )
    for payload in rows[:50]:
        target = payload.get("object") or {}
        if target.get("definition"):
            return {"objectType": "Activity", "id": activity_id, "definition": target["definition"]}
    return {"objectType": "Activity", "id": activity_id}
