"""LTI 1.3 endpoints: login initiation, launch, deep linking, keys, and the new-window hand-over.

Every refusal names its reason on a page the platform's frame shows, and changes nothing."""

import uuid
from urllib.parse import urlsplit

from django.contrib.auth import login
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from lti_tool.utils import get_launch_from_request, sync_data_from_launch
from lti_tool.views import OIDCLoginInitView, jwks  # noqa: F401 (served as they are)
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem

from courses.models import CoursePage

from ..errors import LearningError
from .launch import LaunchRefused, launch_resource_link
from .roster import roster_of

FRAME_ORIGIN_SESSION_KEY = "lti_frame_origin"
LAUNCH_SESSION_KEY = "lti_deep_link_launch"
HANDOVER_SALT = "lms.lti.handover"
NONCE_SECONDS = 24 * 60 * 60


def _refused(request: HttpRequest, code: str, reason: str, status: int = 403) -> HttpResponse:
    response = render(request, "lms/lti_refused.html", {"code": code, "reason": reason}, status=status)
    response.xframe_options_exempt = True
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_instructor(lti_launch) -> bool:
    return any(role.endswith("#Instructor") for role in lti_launch.roles_claim or [])


def _validated_launch(request: HttpRequest):
    """The launch, validated by PyLTI1p3 (signature on the platform's keyset, iss, aud, deployment,
    state) and by this tool: a nonce is accepted once, a deployment only once an admin activated it."""
    lti_launch = get_launch_from_request(request)  # raises LtiException
    data = lti_launch.get_launch_data()
    if not cache.add(f"lti-nonce:{data.get('iss')}:{data.get('nonce')}", True, NONCE_SECONDS):
        raise LaunchRefused("replayed_nonce", _("This launch was already used (its nonce was seen before)."))
    sync_data_from_launch(lti_launch, None)
    if not lti_launch.deployment.is_active:
        raise LaunchRefused("inactive_deployment", _("This deployment is not active yet; ask the site's admin."))
    return lti_launch, data


@method_decorator((csrf_exempt, xframe_options_exempt), name="dispatch")
class LaunchView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        request.session.flush()  # whoever used this browser before, the launch says who it is now
        try:
            lti_launch, data = _validated_launch(request)
            if lti_launch.is_deep_link_launch:
                return self.deep_linking(request, lti_launch)
            if not lti_launch.is_resource_launch:
                return _refused(request, "unsupported_message", _("This kind of LTI message is not supported."), 400)
            launched = launch_resource_link(data=data, deployment=lti_launch.deployment, session=request.session)
        except LtiException as exc:
            return _refused(request, "invalid_launch", _("The launch is not valid: %(error)s") % {"error": exc})
        except LaunchRefused as exc:
            return _refused(request, exc.code, exc.reason)
        except LearningError as exc:
            return _refused(request, getattr(exc, "code", "refused"), str(exc), 409)
        login(request, launched.user, backend="lms.accounts.lockout.LockoutBackend")
        request.session[FRAME_ORIGIN_SESSION_KEY] = _origin(lti_launch.registration.auth_url)
        course_url = launched.course.get_url(request)
        context = {
            "course": launched.course,
            "course_url": course_url,
            "handover_url": handover_url(request, launched.user.pk, course_url),
            "roster": roster_of(lti_launch) if _is_instructor(lti_launch) else None,
        }
        response = render(request, "lms/lti_opened.html", context)
        response.xframe_options_exempt = True
        return response

    def deep_linking(self, request: HttpRequest, lti_launch) -> HttpResponse:
        request.session[LAUNCH_SESSION_KEY] = lti_launch.get_launch_id()
        request.session[FRAME_ORIGIN_SESSION_KEY] = _origin(lti_launch.registration.auth_url)
        courses = CoursePage.objects.live().public().order_by("title")
        response = render(
            request,
            "lms/lti_deep_link.html",
            {"courses": courses, "launch_id": lti_launch.get_launch_id(), "action": reverse("lti:deep_link")},
        )
        response.xframe_options_exempt = True
        return response


@method_decorator((csrf_exempt, xframe_options_exempt), name="dispatch")
class DeepLinkReturnView(View):
    """The teacher picked a course: the platform gets a signed content item whose custom parameter
    names it, with a line item for its gradebook."""

    def post(self, request: HttpRequest) -> HttpResponse:
        launch_id = request.POST.get("launch_id", "")
        if not launch_id or request.session.get(LAUNCH_SESSION_KEY) != launch_id:
            return _refused(request, "unknown_launch", _("This course picker is not from your launch."), 400)
        course = CoursePage.objects.live().public().filter(pk=request.POST.get("course") or 0).first()
        if course is None:
            return _refused(request, "unknown_course", _("Pick one of the listed courses."), 400)
        try:
            lti_launch = get_launch_from_request(request, launch_id)
        except LtiException as exc:
            return _refused(request, "invalid_launch", _("The launch is not valid: %(error)s") % {"error": exc})
        resource = (
            DeepLinkResource()
            .set_url(request.build_absolute_uri(reverse("lti:launch")))
            .set_title(course.title)
            .set_custom_params({"course": str(course.pk)})
            .set_lineitem(LineItem().set_score_maximum(100).set_label(course.title).set_resource_id(str(course.pk)))
        )
        del request.session[LAUNCH_SESSION_KEY]
        return HttpResponse(lti_launch.get_message_launch().get_deep_link().output_response_form([resource]))


def handover_url(request: HttpRequest, user_id: int, next_url: str) -> str:
    token = signing.dumps({"u": user_id, "n": next_url, "j": uuid.uuid4().hex}, salt=HANDOVER_SALT)
    return request.build_absolute_uri(reverse("lti:handover", args=[token]))


@transaction.non_atomic_requests
def handover(request: HttpRequest, token: str) -> HttpResponse:
    """ "Open in a new window": a browser that refuses cookies in the platform's frame continues in a
    window of its own, signed in by a link that works once, for five minutes."""
    try:
        claims = signing.loads(token, salt=HANDOVER_SALT, max_age=300)
    except signing.BadSignature:
        return _refused(request, "expired_link", _("This link has expired; launch the course again."), 400)
    if not cache.add(f"lti-handover:{claims['j']}", True, 600):
        return _refused(request, "used_link", _("This link was already used; launch the course again."), 400)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=claims["u"], is_active=True).first()
    if user is None:
        return _refused(request, "expired_link", _("This link has expired; launch the course again."), 400)
    login(request, user, backend="lms.accounts.lockout.LockoutBackend")
    return HttpResponseRedirect(claims["n"])
