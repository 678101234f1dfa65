"""One shape for every error the API returns: ``{"code", "message", "field"}``, never a stack trace.

Validation errors name the first offending field in ``field`` and list every problem in ``errors``,
so a client can show one message or all of them.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from certification.services import CertificateStateError
from certification.verification import VerificationInputError
from foundation.json_input import BodyTooLarge, max_bytes
from lms.services import LearningError

logger = logging.getLogger(__name__)


def _flatten(detail, field: str | None = None):
    """Yield (field, code, message) for every error in a DRF detail structure."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else None
            yield from _flatten(value, f"{field}.{name}" if field and name else (name or field))
    elif isinstance(detail, list):
        for item in detail:
            yield from _flatten(item, field)
    else:
        yield field, getattr(detail, "code", "invalid"), str(detail)


class ServiceRefusal(exceptions.APIException):
    """A refusal from a service (lms or certification), with the status, code and field it chose."""

    def __init__(self, *, status_code: int, code: str, message: str, field: str | None = None):
        self.status_code = status_code
        super().__init__(detail={field: [exceptions.ErrorDetail(message, code)]} if field else message, code=code)


def api_exception_handler(exc, context):
    if isinstance(exc, LearningError):
        exc = ServiceRefusal(status_code=exc.status, code=exc.code, message=exc.message, field=exc.field)
    elif isinstance(exc, CertificateStateError):
        exc = ServiceRefusal(status_code=409, code="certificate_state", message=str(exc))
    elif isinstance(exc, VerificationInputError):
        exc = ServiceRefusal(status_code=exc.status, code="invalid_credential", message=str(exc), field="credential")
    elif isinstance(exc, RequestDataTooBig):  # DRF reads the body itself before any parser runs
        exc = BodyTooLarge(f"The body is larger than {max_bytes() // 1024} KB.")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response(
            {"code": "server_error", "message": "The server could not complete the request.", "field": None},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    errors = [{"field": field, "code": code, "message": message} for field, code, message in _flatten(exc.detail)]
    first = errors[0] if errors else {"field": None, "code": "error", "message": str(exc)}
    body = {"code": first["code"], "message": first["message"], "field": first["field"]}
    if len(errors) > 1:
        body["errors"] = errors
    response.data = body
    return response
