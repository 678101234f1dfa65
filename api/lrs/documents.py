"""The document resources (xAPI 1.0.3, Communication 2.3, 2.5, 2.6): State, Activity Profile and
Agent Profile. GET one (with its ETag) or the ids (``since``), PUT, POST (JSON merge), DELETE, with
If-Match / If-None-Match. A learner keeps state and agent profiles about themselves."""

import json

from django.http import HttpResponse
from django.utils.http import http_date
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.serializers import DateTimeField

from lms.statements.actors import actor_matches
from lms.statements.documents import DocumentKey, delete_documents, document_ids, get_document, write_document
from lms.statements.models import DocumentKind
from lms.statements.validation import check_uuid

from .. import xapi
from .authentication import lrs_client
from .protocol import XapiResource, agent_parameter


class RawBody(BaseParser):
    """Documents are any bytes of any type: the view reads the body itself."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class DocumentResource(XapiResource):
    parser_classes = [RawBody]
    kind: str = ""
    id_parameter = "profileId"
    uses_activity = False
    uses_agent = False
    learner_may_write = True

    def _key(self, request, *, need_id: bool) -> DocumentKey:
        params = request.query_params
        allowed = {self.id_parameter, "since"}
        if self.uses_activity:
            allowed.add("activityId")
        if self.uses_agent:
            allowed.add("agent")
        if self.kind == DocumentKind.STATE:
            allowed.add("registration")
        xapi.check_parameters(params, allowed)
        activity_id = ""
        if self.uses_activity:
            activity_id = params.get("activityId") or ""
            if not activity_id:
                raise xapi.refuse("activityId", "The activityId parameter is required.", "missing_parameter")
        agent_key = ""
        if self.uses_agent:
            agent, agent_key = agent_parameter(params)
            if lrs_client(request) is None and not actor_matches(actor=agent, user=request.user):
                raise PermissionDenied("A learner keeps documents about themselves only.")
        registration = ""
        if params.get("registration") is not None:
            try:
                registration = check_uuid(params["registration"], "registration")
            except Exception as exc:
                raise xapi.refuse("registration", "registration must be a UUID.", "invalid_uuid") from exc
        document_id = params.get(self.id_parameter, "")
        if need_id and not document_id:
            raise xapi.refuse(self.id_parameter, f"The {self.id_parameter} parameter is required.", "missing_parameter")
        return DocumentKey(
            kind=self.kind,
            document_id=document_id[:500],
            activity_id=activity_id[:500],
            agent_key=agent_key,
            registration=registration,
        )

    def _may_write(self, request) -> None:
        if lrs_client(request) is None and not self.learner_may_write:
            raise PermissionDenied("Learners may read activity profiles, not write them.")

    def get(self, request):
        key = self._key(request, need_id=False)
        if not key.document_id:
            since = request.query_params.get("since")
            parsed = DateTimeField().to_internal_value(since) if since else None
            return Response(document_ids(key, since=parsed))
        document = get_document(key)
        if document is None:
            raise NotFound("No such document.")
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["ETag"] = f'"{document.etag}"'
        response["Last-Modified"] = http_date(document.updated_at.timestamp())
        return response

    def _write(self, request, *, merge: bool):
        self._may_write(request)
        key = self._key(request, need_id=True)
        content_type = request.content_type or "application/octet-stream"
        content = request.data if isinstance(request.data, bytes) else b""
        if "json" in content_type.lower() and content:
            try:
                json.loads(content)
            except (UnicodeDecodeError, ValueError):
                raise xapi.refuse("body", "The body says it is JSON but is not.", "invalid_json") from None
        document = write_document(
            key,
            content=content,
            content_type=content_type,
            merge=merge,
            if_match=request.headers.get("If-Match"),
            if_none_match=request.headers.get("If-None-Match"),
        )
        response = Response(status=204)
        response["ETag"] = f'"{document.etag}"'
        return response

    def put(self, request):
        return self._write(request, merge=False)

    def post(self, request):
        return self._write(request, merge=True)

    def delete(self, request):
        self._may_write(request)
        every = self.kind == DocumentKind.STATE and not request.query_params.get(self.id_parameter)
        key = self._key(request, need_id=not every)
        delete_documents(key, if_match=request.headers.get("If-Match"), every=every)
        return Response(status=204)


class StateResource(DocumentResource):
    kind = DocumentKind.STATE
    id_parameter = "stateId"
    uses_activity = uses_agent = True
    read_scopes = write_scopes = ("state",)


class ActivityProfileResource(DocumentResource):
    kind = DocumentKind.ACTIVITY_PROFILE
    uses_activity = True
    learner_may_write = False
    read_scopes = write_scopes = ("profile",)


class AgentProfileResource(DocumentResource):
    kind = DocumentKind.AGENT_PROFILE
    uses_agent = True
    read_scopes = write_scopes = ("profile",)
