"""One way the site reads JSON from the outside: bounded in size, depth and numbers, and free of NUL.

Every endpoint that reads a JSON body (the API through ``JsonParser``, the plain Django views
through ``json_body`` or ``loads``) goes through ``loads``, so malformed or hostile input is refused
here with a 400 (or a 413 for a body over the limit) instead of reaching a database or a recursive
algorithm downstream:

- size: ``LEARNING_JSON_MAX_BYTES`` (default: Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, 2.5 MB);
- depth: ``LEARNING_JSON_MAX_DEPTH`` nested arrays/objects (default 32; an xAPI statement needs ~8);
- numbers: no NaN or Infinity, at most ``MAX_NUMBER_DIGITS`` digits, finite floats only;
- strings and keys: no NUL character (PostgreSQL cannot store it in text or jsonb), valid UTF-8.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from foundation.conf import foundation_settings

MAX_NUMBER_DIGITS = 40
DEFAULT_MAX_DEPTH = foundation_settings.defaults["LEARNING_JSON_MAX_DEPTH"]


class JsonInputError(ValueError):
    """Refused JSON: ``status`` is 400 or 413, ``code`` a stable name, ``str(self)`` the sentence."""

    def __init__(self, message: str, *, code: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "field": None}


class BodyTooLarge(APIException):
    status_code = 413
    default_code = "body_too_large"


def max_bytes() -> int:
    return int(foundation_settings.LEARNING_JSON_MAX_BYTES or settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def max_depth() -> int:
    return int(foundation_settings.LEARNING_JSON_MAX_DEPTH)


def _too_large() -> JsonInputError:
    return JsonInputError(
        _("The body is larger than %(kb)d KB.") % {"kb": max_bytes() // 1024}, code="body_too_large", status=413
    )


def _refuse_constant(name: str):
    raise JsonInputError(_("%(value)s is not a JSON number.") % {"value": name}, code="invalid_number")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JsonInputError(
            _("Numbers may have at most %(digits)d digits.") % {"digits": MAX_NUMBER_DIGITS}, code="invalid_number"
        )
    return int(text)


def _bounded_float(text: str) -> float:
    mantissa = text.lstrip("-").lower().partition("e")[0]
    value = float(text) if len(mantissa) <= MAX_NUMBER_DIGITS + 1 else math.inf
    if not math.isfinite(value):
        raise JsonInputError(
            _("Numbers may have at most %(digits)d digits and must be finite.") % {"digits": MAX_NUMBER_DIGITS},
            code="invalid_number",
        )
    return value


def _check_tree(value: Any) -> None:
    """Depth and NUL characters, walked without recursion so no input can exhaust the stack."""
    limit = max_depth()
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise JsonInputError(_("Text may not contain the NUL character (\\u0000)."), code="nul_character")
        elif isinstance(item, dict | list):
            if depth >= limit:
                raise JsonInputError(
                    _("The JSON is nested more than %(depth)d levels deep.") % {"depth": limit}, code="too_deep"
                )
            children = item.items() if isinstance(item, dict) else ((None, child) for child in item)
            for key, child in children:
                if key is not None and "\x00" in key:
                    raise JsonInputError(_("Text may not contain the NUL character (\\u0000)."), code="nul_character")
                stack.append((child, depth + 1))


def loads(data: bytes | str) -> Any:
    """Parse JSON text under the site's limits; JsonInputError says why it was refused."""
    if len(data) > max_bytes():
        raise _too_large()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise JsonInputError(_("The body is not UTF-8."), code="invalid_json") from None
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_int=_bounded_int, parse_float=_bounded_float)
    except RecursionError:
        raise JsonInputError(
            _("The JSON is nested more than %(depth)d levels deep.") % {"depth": max_depth()}, code="too_deep"
        ) from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(
            _("The body is not valid JSON: %(error)s") % {"error": exc.msg}, code="invalid_json"
        ) from None
    _check_tree(value)
    return value


def declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        raise JsonInputError(_("The Content-Length header is not a number."), code="invalid_length") from None


def read_body(request: HttpRequest, *, limit: int | None = None) -> bytes:
    """The raw body, refused with 413 before it is read when it declares (or turns out) too large."""
    limit = limit or max_bytes()
    if declared_length(request) > limit:
        raise _too_large()
    try:
        body = request.body
    except RequestDataTooBig:
        raise _too_large() from None
    if len(body) > limit:
        raise _too_large()
    return body


def json_body(request: HttpRequest, *, empty: Any = None) -> Any:
    """A plain Django view's JSON body under the limits (``empty`` when there is none)."""
    body = read_body(request)
    if not body.strip():
        return empty
    return loads(body)


def error_response(exc: JsonInputError, **extra: Any) -> JsonResponse:
    """The standard error body (``code``, ``message``, ``field``) for a plain view."""
    return JsonResponse({**extra, **exc.as_dict()}, status=exc.status)


class JsonParser(JSONParser):
    """DRF's JSON parser with the site's limits: refused bodies are the API's 400 or 413."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = max_bytes()
        if request is not None:
            try:
                length = declared_length(request)
            except JsonInputError as exc:
                raise ParseError(str(exc), code=exc.code) from None
            if length > limit:
                raise BodyTooLarge(str(_too_large()))
        data = stream.read(limit + 1) if stream is not None else b""
        try:
            return loads(data) if data.strip() else None
        except JsonInputError as exc:
            if exc.status == 413:
                raise BodyTooLarge(str(exc)) from None
            raise ParseError(str(exc), code=exc.code) from None
