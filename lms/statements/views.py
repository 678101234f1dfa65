"""The statement endpoint the site's own pages post to (xAPI statements of the signed-in learner)."""

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foundation.json_input import JsonInputError, error_response, json_body

from ..progress.selectors import activity_standing
from ..services import (
    LearningError,
    record_statement,
)

MAX_STATEMENTS_PER_POST = 100


def _error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": field}, status=status)


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


@require_POST
def statements(request: HttpRequest) -> JsonResponse:
    """Store one xAPI statement or a list of them, all or none; the actor must be the signed-in learner."""
    if not request.user.is_authenticated:
        return _error(403, "not_signed_in", _("Sign in to record your learning."))
    try:
        body = json_body(request)
    except JsonInputError as exc:
        return error_response(exc)
    many = isinstance(body, list)
    items = body if many else [body]
    if not items or len(items) > MAX_STATEMENTS_PER_POST:
        return _error(
            400,
            "invalid_batch",
            _("Send between 1 and %(count)d statements at once.") % {"count": MAX_STATEMENTS_PER_POST},
        )
    try:
        with transaction.atomic():
            stored = [record_statement(user=request.user, statement=item) for item in items]
    except LearningError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    created = any(is_new for _statement, is_new in stored)
    ids = [str(statement.statement_id) for statement, _is_new in stored]
    payload = {"ids": ids, "created": created} if many else {"id": ids[0], "created": created}
    if not many and stored[0][0].activity_result_id:
        # what the lesson page shows as "your result so far", so it need not be reloaded
        payload["activity"] = activity_standing(result_id=stored[0][0].activity_result_id)
    return JsonResponse(payload, status=201 if created else 200)
