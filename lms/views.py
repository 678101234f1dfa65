"""Thin HTTP views over the services: the statement endpoint the site's pages post learning records to."""

import json

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .services import LearningError, record_statement

MAX_STATEMENTS_PER_POST = 100


def _error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": field}, status=status)


@require_POST
def statements(request: HttpRequest) -> JsonResponse:
    """Store one xAPI statement or a list of them, all or none; the actor must be the signed-in learner."""
    if not request.user.is_authenticated:
        return _error(403, "not_signed_in", _("Sign in to record your learning."))
    try:
        body = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "invalid_json", _("The body must be JSON: one statement or a list of statements."))
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
        if exc.status == 404:
            # LocaleMiddleware answers a 404 outside the language-prefixed URLs with a redirect to
            # /<lang>/..., which Wagtail's catch-all always "finds". Judged against this module's own
            # URLconf (no language prefixes), the 404 reaches the client as the JSON it is.
            request.urlconf = "lms.record_urls"
        return JsonResponse(exc.as_dict(), status=exc.status)
    created = any(is_new for _statement, is_new in stored)
    ids = [str(statement.statement_id) for statement, _is_new in stored]
    payload = {"ids": ids, "created": created} if many else {"id": ids[0], "created": created}
    return JsonResponse(payload, status=201 if created else 200)
