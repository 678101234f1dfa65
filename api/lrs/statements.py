"""The Statements resource (xAPI 1.0.3, Communication 2.1): POST one or many, PUT one by id, GET one
(``statementId`` / ``voidedStatementId``) or a StatementResult paged by ``more``, attachments as
multipart/mixed both ways. Learners see and send their own statements; LRS clients by scope."""

import json
from datetime import datetime
from email.message import EmailMessage
from email.policy import HTTP
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.response import Response

from lms.selectors import lrs_statements
from lms.services import Sender, store_statements
from lms.statements.actors import client_agent
from lms.statements.attachments import attachment_contents, check_attachment_parts, store_attachment_parts
from lms.statements.validation import identifier_key

from .. import xapi
from ..serializers import StatementPutQuerySerializer, StatementQuerySerializer
from .authentication import lrs_client
from .protocol import PARSERS, MixedBody, XapiResource, agent_parameter

MAX_STATEMENTS_PER_REQUEST = 100
MAX_STATEMENTS_PER_PAGE = 100


def _visible(request) -> dict:
    """A learner reads their own statements; a client with statements/read (or all/read) everything,
    with statements/read/mine only what it sent."""
    client = lrs_client(request)
    if client is None:
        return {"learner": request.user}
    if client.scope_set & {"all", "all/read", "statements/read"}:
        return {}
    return {"authority_key": identifier_key(client_agent(client))[:500]}


def _body(request) -> tuple[list, dict]:
    data = request.data
    if isinstance(data, MixedBody):
        return (data.statements if isinstance(data.statements, list) else [data.statements]), data.parts
    return (data if isinstance(data, list) else [data]), {}


def record(request, items: list, parts: dict) -> list[str]:
    """All or none: one refused statement stores none of them (the service says which and why)."""
    if not items or len(items) > MAX_STATEMENTS_PER_REQUEST:
        raise ValidationError(
            ErrorDetail(f"Send between 1 and {MAX_STATEMENTS_PER_REQUEST} statements at once.", code="invalid_batch")
        )
    check_attachment_parts(items, parts)
    stored = store_statements(sender=Sender(user=request.user, client=lrs_client(request)), statements=items)
    if parts:
        store_attachment_parts(parts)
    return [str(row.statement_id) for row, _new in stored]


class StatementsResource(XapiResource):
    parser_classes = PARSERS
    read_scopes = ("statements/read", "statements/read/mine")
    write_scopes = ("statements/write",)
    parameters_by_method = {"GET": xapi.GET_PARAMETERS, "PUT": {"statementId"}, "POST": set()}
    #: the name of the URL of this resource, for the ``more`` link of the next page
    url_name = "lrs:statements"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS":
            xapi.check_parameters(request.query_params, self.parameters_by_method.get(request.method, set()))

    def get(self, request):
        query = StatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        with_attachments = data["attachments"] == "true"
        if "statementId" in data or "voidedStatementId" in data:
            voided = "voidedStatementId" in data
            statement_id = data["voidedStatementId"] if voided else data["statementId"]
            return self._single(request, statement_id, voided, data["format"], with_attachments)
        if "more" in data:
            page_query, after = xapi.read_more_token(data["more"], user=request.user)
        else:
            agent, agent_key = agent_parameter(request.query_params, required=False)
            now = timezone.now()
            page_query = {
                "verb": data.get("verb"),
                "activity": data.get("activity"),
                "agent_key": agent_key,
                "agent_text": json.dumps(next(iter(v for k, v in agent.items() if k != "objectType" and k != "name")))
                if agent
                else None,
                "registration": str(data["registration"]) if "registration" in data else None,
                "related_activities": data["related_activities"] == "true",
                "related_agents": data["related_agents"] == "true",
                "since": data["since"].isoformat() if "since" in data else None,
                # Pinned to now: later statements stay out of this query's pages, whatever the order.
                "until": min(data.get("until", now), now).isoformat(),
                "ascending": data["ascending"] == "true",
                "format": data["format"],
                "limit": min(data["limit"] or MAX_STATEMENTS_PER_PAGE, MAX_STATEMENTS_PER_PAGE),
                "attachments": with_attachments,
            }
            after = None
        result = self._page(request, page_query, after)
        if page_query.get("attachments"):
            return _with_attachments(result, result["statements"])
        return Response(result)

    def _page(self, request, page_query: dict, after) -> dict:
        limit = page_query["limit"]
        statements = lrs_statements(
            **_visible(request),
            verb=page_query["verb"],
            activity=page_query["activity"],
            agent_key=page_query.get("agent_key") or None,
            agent_text=page_query.get("agent_text"),
            registration=page_query.get("registration"),
            related_activities=page_query.get("related_activities", False),
            related_agents=page_query.get("related_agents", False),
            since=datetime.fromisoformat(page_query["since"]) if page_query["since"] else None,
            until=datetime.fromisoformat(page_query["until"]),
            ascending=page_query["ascending"],
            after=after,
        )
        rows = list(statements.values_list("stored_at", "pk", "payload")[: limit + 1])
        more = ""
        if len(rows) > limit:
            rows = rows[:limit]
            token = xapi.more_token(user=request.user, query=page_query, last=rows[-1][:2])
            more = f"{request.path}?{urlencode({'more': token})}"
        return {"statements": [xapi.formatted(payload, page_query["format"]) for *_key, payload in rows], "more": more}

    def _single(self, request, statement_id, voided: bool, statement_format: str, with_attachments: bool):
        found = lrs_statements(**_visible(request), statement_id=statement_id, voided=voided)
        row = found.values_list("stored_at", "payload").first()
        if row is None:
            raise NotFound("No voided statement has this id." if voided else "No statement has this id.")
        stored_at, payload = row
        statement = xapi.formatted(payload, statement_format)
        response = _with_attachments(statement, [statement]) if with_attachments else Response(statement)
        response["Last-Modified"] = http_date(stored_at.timestamp())
        return response

    def post(self, request):
        items, parts = _body(request)
        return Response(record(request, items, parts))

    def put(self, request):
        query = StatementPutQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        items, parts = _body(request)
        statement = items[0] if len(items) == 1 else None
        if not isinstance(statement, dict):
            raise ValidationError(ErrorDetail("A statement must be a JSON object.", code="invalid_statement"))
        statement_id = str(query.validated_data["statementId"])
        if "id" in statement and str(statement["id"]).lower() != statement_id:
            raise ValidationError({"id": [ErrorDetail("The id differs from statementId.", code="id_mismatch")]})
        record(request, [{**statement, "id": statement_id}], parts)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _with_attachments(document, statements: list) -> HttpResponse:
    """multipart/mixed: the JSON first, then each attachment's bytes with its SHA-2."""
    wanted = {
        str(item.get("sha2", "")).lower()
        for statement in statements
        for item in (statement.get("attachments") or [])
        if isinstance(item, dict) and "fileUrl" not in item
    }
    message = EmailMessage(policy=HTTP)
    message.make_mixed()
    first = EmailMessage(policy=HTTP)
    first.set_content(json.dumps(document).encode(), maintype="application", subtype="json", cte="binary")
    del first["MIME-Version"]
    message.attach(first)
    for sha2, (content_type, content) in attachment_contents(wanted).items():
        part = EmailMessage(policy=HTTP)
        maintype, _slash, subtype = content_type.partition("/")
        part.set_content(content, maintype=maintype or "application", subtype=subtype or "octet-stream", cte="binary")
        part["X-Experience-API-Hash"] = sha2
        del part["MIME-Version"]
        message.attach(part)
    body = message.as_bytes().split(b"\r\n\r\n", 1)[1]
    boundary = message.get_boundary()
    return HttpResponse(body, content_type=f'multipart/mixed; boundary="{boundary}"')
