"""The SCORM runtime's endpoints: launching a SCO (the attempt and its data) and committing its CMI data.

Both answer JSON as scorm-again reads it: ``{"result": true, "errorCode": 0}``, or ``result: false``
with SCORM's error code and the project's ``code``/``message``/``field``.

The commit URL carries a token signed for the learner and the attempt, in place of the CSRF header:
the last commit is sent when the page is left (``sendBeacon`` or ``fetch`` with ``keepalive``), which
cannot always carry headers, and a page on another site cannot know the token.
"""

import json
from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..errors import LearningError
from . import services

MAX_BODY = 2 * 1024 * 1024
COMMIT_SALT = "lms.scorm-commit"


def commit_url(*, user, attempt_id: int) -> str:
    token = signing.Signer(salt=COMMIT_SALT).sign(f"{user.pk}:{attempt_id}")
    path = reverse("lms:scorm_commit", kwargs={"attempt_id": attempt_id})
    return f"{path}?{urlencode({'token': token})}"


def _refused(status: int, code: str, message: str, scorm_code: int = 101) -> JsonResponse:
    body = {"result": False, "errorCode": scorm_code, "code": code, "message": message, "field": None}
    return JsonResponse(body, status=status)


def _payload(request: HttpRequest):
    if len(request.body) > MAX_BODY:
        raise ValueError("too large")
    return json.loads(request.body.decode("utf-8") or "{}")


@require_POST
def launch(request: HttpRequest, lesson_id: int, block_id: str) -> JsonResponse:
    if not request.user.is_authenticated:
        return _refused(403, "not_signed_in", _("Sign in to keep your place and results."))
    try:
        sco = str(_payload(request).get("sco", ""))
        started = services.launch(user=request.user, lesson_id=lesson_id, block_id=block_id, sco=sco)
    except (ValueError, AttributeError):
        return _refused(400, "invalid_json", _("Send a JSON object naming the SCO."), 201)
    except LearningError as exc:
        return JsonResponse({"result": False, "errorCode": 101, **exc.as_dict()}, status=exc.status)
    return JsonResponse(
        {
            "result": True,
            "errorCode": 0,
            "attempt": started.attempt.number,
            "commitUrl": commit_url(user=request.user, attempt_id=started.attempt.pk),
            "version": started.version,
            "data": started.data,
        }
    )


@csrf_exempt  # the signed token in the URL stands in for the CSRF header (see the module's docstring)
@require_POST
def commit(request: HttpRequest, attempt_id: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return _refused(403, "not_signed_in", _("Sign in to keep your place and results."))
    try:
        signed_for = signing.Signer(salt=COMMIT_SALT).unsign(request.GET.get("token", ""))
    except signing.BadSignature:
        return _refused(403, "invalid_token", _("This commit address is not valid. Reload the page."))
    if signed_for != f"{request.user.pk}:{attempt_id}":
        return _refused(404, "unknown_attempt", _("There is no such attempt of yours."))
    try:
        payload = _payload(request)
        ending = request.GET.get("end") == "1"  # the learner left the SCO: its session ends
        services.commit(user=request.user, attempt_id=attempt_id, payload=payload, ending=ending)
    except ValueError:
        return _refused(400, "invalid_json", _("A commit is a JSON object."), 201)
    except LearningError as exc:
        body = exc.as_dict()
        return JsonResponse({"result": False, "errorCode": body.pop("errorCode", 101), **body}, status=exc.status)
    return JsonResponse({"result": True, "errorCode": 0})
