"""What every LRS resource does over HTTP: the version header asked and sent, Consistent-Through,
authentication and scopes, the ``agent`` parameter, and multipart/mixed bodies for attachments."""

import json
import re
from email.parser import BytesParser
from email.policy import HTTP

from django.utils import timezone
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.views import APIView

from lms.errors import InvalidStatement
from lms.statements.validation import check_agent, identifier_key

from .. import xapi
from ..conf import api_settings
from .authentication import LrsBasicAuthentication, LrsScopes


class XapiResource(APIView):
    """An xAPI resource: every request carries ``X-Experience-API-Version: 1.0.x`` (About excepted),
    every response carries 1.0.3 and ``X-Experience-API-Consistent-Through`` (statements are stored
    before the request that sends them is answered, so now)."""

    authentication_classes = [LrsBasicAuthentication, SessionAuthentication, TokenAuthentication]
    permission_classes = [LrsScopes]
    content_negotiation_class = xapi.XapiContentNegotiation
    read_scopes: tuple[str, ...] = ()
    write_scopes: tuple[str, ...] = ()
    needs_version = True

    def initial(self, request, *args, **kwargs):
        if self.needs_version and request.method != "OPTIONS":
            xapi.check_version(request)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response[xapi.VERSION_HEADER] = xapi.XAPI_VERSION
        response["X-Experience-API-Consistent-Through"] = timezone.now().isoformat()
        return response


def agent_parameter(params, name: str = "agent", *, required: bool = True) -> tuple[dict | None, str]:
    """The JSON Agent (or identified Group) of a query parameter, checked, and its identifier key."""
    text = params.get(name)
    if text is None:
        if required:
            raise xapi.refuse(name, f"The {name} parameter (a JSON agent) is required.", "missing_parameter")
        return None, ""
    try:
        agent = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise xapi.refuse(name, f"{name} must be a JSON agent.", "invalid_agent") from None
    try:
        check_agent(agent, name)
    except InvalidStatement as exc:
        raise xapi.refuse(exc.field or name, exc.message, exc.code) from None
    return agent, identifier_key(agent)[:500]


class MixedBody:
    """A multipart/mixed request: the statements (first part) and the attachments by SHA-2."""

    def __init__(self, statements, parts: dict[str, tuple[str, bytes]]):
        self.statements = statements
        self.parts = parts


class MultipartMixedParser(BaseParser):
    """xAPI 1.0.3 Communication 1.5.2: the first part is application/json statements; each other part
    has ``X-Experience-API-Hash`` (its SHA-2) and ``Content-Transfer-Encoding: binary``."""

    media_type = "multipart/mixed"

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        limit = api_settings.XAPI_MAX_ATTACHMENT_BYTES
        if len(body) > limit:
            raise ParseError(f"The request is over {limit} bytes.")
        header = f"Content-Type: {media_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(header + body)
        if not message.is_multipart():
            raise ParseError("multipart/mixed needs a boundary and parts.")
        parts = list(message.iter_parts())
        if not parts or parts[0].get_content_type() != "application/json":
            raise ParseError("The first part of a multipart/mixed request must be application/json statements.")
        try:
            statements = json.loads(parts[0].get_payload(decode=True) or b"null", parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise ParseError("The statements part is not JSON.") from None
        attachments = {}
        for part in parts[1:]:
            sha2 = (part.get("X-Experience-API-Hash") or "").strip().lower()
            if not re.fullmatch(r"[0-9a-f]{64,128}", sha2):
                raise ParseError("Every attachment part needs an X-Experience-API-Hash header (its SHA-2).")
            attachments[sha2] = (part.get_content_type(), part.get_payload(decode=True) or b"")
        return MixedBody(statements, attachments)


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class StatementJSONParser(JSONParser):
    """DRF's strict JSON (NaN and Infinity refused), with nesting too deep for the decoder a 400
    rather than a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("The JSON is nested too deeply.") from None


PARSERS = [StatementJSONParser, MultipartMixedParser]
