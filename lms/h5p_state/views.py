"""The H5P core's "content user data" endpoint."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..h5p_state.selectors import h5p_state_data
from ..services import (
    H5PStateKey,
    LearningError,
    save_h5p_state,
)


@require_http_methods(["GET", "POST"])
def h5p_state(
    request: HttpRequest, lesson_id: int, block_id: str, content_id: str, data_type: str, sub_content_id: str
) -> JsonResponse:
    """The H5P core's "content user data" endpoint for the signed-in learner's own saved state.

    GET answers ``{"success": true, "data": <JSON text or false>}``; POST takes the core's form fields
    ``data`` (a JSON text, or "0" to delete), ``preload`` and ``invalidate``. Refusals carry
    ``success: false`` for the core and the project's ``code``/``message``/``field``."""
    if not request.user.is_authenticated:
        return _state_error(403, "not_signed_in", _("Sign in to keep your place in activities."))
    key = H5PStateKey(
        lesson_id=lesson_id,
        block_id=block_id,
        content_id=content_id,
        data_type=data_type,
        sub_content_id=sub_content_id,
    )
    try:
        if request.method == "GET":
            data = h5p_state_data(user=request.user, key=key)
            return JsonResponse({"success": True, "data": data if data is not None else False})
        if "data" not in request.POST:
            return _state_error(400, "missing_data", _("Send the state as the form field “data”."), "data")
        save_h5p_state(
            user=request.user,
            key=key,
            data=request.POST["data"],
            preload=request.POST.get("preload", "1") == "1",
            invalidate=request.POST.get("invalidate", "1") == "1",
        )
    except LearningError as exc:
        return JsonResponse({"success": False, **exc.as_dict()}, status=exc.status)
    return JsonResponse({"success": True})


def _state_error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"success": False, "code": code, "message": message, "field": field}, status=status)
