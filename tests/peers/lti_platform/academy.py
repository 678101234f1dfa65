"""The platform: an academy's LMS with one course page that frames the tool, on lti1p3platform."""

import html
import json
import os
import uuid
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from jwcrypto.jwk import JWK
from lti1p3platform.framework.django.request import DjangoRequest
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration

STATE = {"url": "", "scores": [], "deep_links": [], "launches": 0}
KEY = JWK.generate(kty="RSA", size=2048, kid=uuid.uuid4().hex)
PRIVATE_PEM = KEY.export_to_pem(private_key=True, password=None).decode()
PUBLIC_PEM = KEY.export_to_pem().decode()
CONTEXTS = {"class-a": {"title": "Digital governance, batch 12", "lineitems": ["1"]}, "class-b": {"lineitems": ["7"]}}
MEMBERS = {
    "learner-1": ("Nusrat Jahan", "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"),
    "teacher-1": ("Karim Ahmed", "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"),
}
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


class KeyedRegistration(Registration):
    """The library's registration, with the platform key's id in its JWKS and token headers."""

    @classmethod
    def get_jwk(cls, public_key):
        jwk = super().get_jwk(public_key)
        jwk["kid"] = KEY.key_id
        return jwk


class Platform(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs):
        tool = os.environ["TOOL_URL"]
        self._registration = (
            KeyedRegistration()
            .set_iss(STATE["url"])
            .set_client_id(os.environ["TOOL_CLIENT_ID"])
            .set_deployment_id(os.environ["TOOL_DEPLOYMENT_ID"])
            .set_launch_url(f"{tool}/lti/launch/")
            .set_deeplink_launch_url(f"{tool}/lti/launch/")
            .set_oidc_login_url(f"{tool}/lti/login/")
            .set_tool_key_set_url(f"{tool}/lti/jwks/")
            .set_platform_public_key(PUBLIC_PEM)
            .set_platform_private_key(PRIVATE_PEM)
        )

    def get_registration_by_params(self, **kwargs):
        return self._registration


class Launch(LTIAdvantageMessageLaunchAbstract):
    def prepare_launch(self, preflight_response):
        hint = json.loads(preflight_response["lti_message_hint"])
        user = preflight_response["login_hint"]
        name, role = MEMBERS[user]
        context = hint["context"]
        self.set_user_data(user, [role])
        self.set_extra_claims({"name": name, "given_name": name.split()[0], "family_name": name.split()[-1]})
        self.set_launch_context_claim(context, context_title=CONTEXTS.get(context, {}).get("title", context))
        self.set_launch_presentation_claim(document_target="iframe")
        self.set_nrps(f"{STATE['url']}/contexts/{context}/memberships")
        if hint.get("deep"):
            self.set_dl(f"{STATE['url']}/deep-link-return/", title="Pick a course")
            return
        self.set_resource_link_claim(hint.get("link", "link-1"), title="Course")
        self.set_custom_parameters_claim({"course": str(hint["course"])})
        item_context = hint.get("lineitem_context", context)
        item = CONTEXTS[item_context]["lineitems"][0]
        base = f"{STATE['url']}/contexts/{context}/lineitems"
        self.set_ags(lineitems_url=base, lineitem_url=f"{STATE['url']}/contexts/{item_context}/lineitems/{item}")
        if hint.get("deployment"):
            self.set_extra_claims({"https://purl.imsglobal.org/spec/lti/claim/deployment_id": hint["deployment"]})

    def get_launch_message(self, include_extra_claims=True):
        message = super().get_launch_message(include_extra_claims)
        hint = json.loads(self.get_preflight_response()["lti_message_hint"])
        if hint.get("audience"):
            message["aud"] = message["azp"] = hint["audience"]
        return message

    def render_launch_form(self, launch_data, **kwargs):
        fields = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(launch_data[name])}">'
            for name in ("id_token", "state")
        )
        STATE["launches"] += 1
        STATE["last_form"] = dict(launch_data)
        return HttpResponse(
            f'<!doctype html><form id="launch" method="post" action="{html.escape(launch_data["launch_url"])}">'
            f"{fields}</form><script>document.getElementById('launch').submit()</script>"
        )


def platform():
    conf = Platform()
    conf.init_platform_config()
    return conf


def course_page(request, context):
    """The academy's course page: the tool in a frame, as Moodle shows an LTI activity."""
    query = urlencode({**request.GET.dict(), "context": context})
    return HttpResponse(
        f"<!doctype html><title>{CONTEXTS[context].get('title', context)}</title><h1>Academy course</h1>"
        f'<iframe id="tool" name="tool" src="/start/?{query}" width="1000" height="700"></iframe>'
    )


def start(request):
    """OIDC third-party login initiation: the browser goes to the tool's login URL."""
    registration = platform().get_registration()
    hint = {k: v for k, v in request.GET.items() if k != "user"}
    hint["deep"] = hint.get("deep") == "1"
    params = {
        "iss": registration.get_iss(),
        "target_link_uri": registration.get_launch_url(),
        "login_hint": request.GET.get("user", "learner-1"),
        "lti_message_hint": json.dumps(hint),
        "client_id": registration.get_client_id(),
        "lti_deployment_id": request.GET.get("deployment") or registration.get_deployment_id(),
    }
    return HttpResponseRedirect(f"{registration.get_oidc_login_url()}?{urlencode(params)}")


@csrf_exempt
def authorize(request):
    """The tool's authentication request comes back here; the platform answers with a signed launch."""
    return Launch(DjangoRequest(request), platform()).lti_launch()


def jwks(request):
    return JsonResponse({"keys": platform().get_registration().get_jwks()})


@csrf_exempt
def token(request):
    conf = platform()
    try:
        return JsonResponse(conf.get_access_token(request.POST.dict()))
    except Exception as exc:  # the library raises its own and PyJWT's errors
        return JsonResponse({"error": "invalid_client", "error_description": str(exc)}, status=400)


def _authorised(request, scope):
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return False
    try:
        return platform().validate_token(auth.removeprefix("Bearer "), allowed_scopes=[scope])
    except Exception:
        return False


@csrf_exempt
def scores(request, context, item):
    if not _authorised(request, SCORE_SCOPE):
        return JsonResponse({"error": "unauthorised"}, status=401)
    if item not in CONTEXTS.get(context, {}).get("lineitems", []):
        return JsonResponse({"error": "no such line item in this context"}, status=404)
    STATE["scores"].append({"context": context, "lineitem": item, **json.loads(request.body)})
    return JsonResponse({}, status=200)


def memberships(request, context):
    if not _authorised(request, NRPS_SCOPE):
        return JsonResponse({"error": "unauthorised"}, status=401)
    members = [
        {"user_id": sub, "name": name, "roles": [role], "status": "Active"} for sub, (name, role) in MEMBERS.items()
    ]
    return JsonResponse(
        {"id": request.build_absolute_uri(), "context": {"id": context}, "members": members},
        content_type="application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
    )


@csrf_exempt
def deep_link_return(request):
    items = platform().validate_deeplinking_resp(request.POST.dict())
    STATE["deep_links"].extend(items)
    return HttpResponse(f'<!doctype html><p id="added">Added: {html.escape(items[0]["title"])}</p>')


def last_launch(request):
    return JsonResponse(STATE.get("last_form", {}))


def gradebook(request):
    return JsonResponse({k: v for k, v in STATE.items() if k != "last_form"})


urlpatterns = [
    path("course/<str:context>/", course_page),
    path("start/", start),
    path("authorize/", authorize),
    path("jwks/", jwks),
    path("token/", token),
    path("contexts/<str:context>/lineitems/<str:item>/scores", scores),
    path("contexts/<str:context>/memberships", memberships),
    path("deep-link-return/", deep_link_return),
    path("gradebook.json", gradebook),
    path("last-launch.json", last_launch),
]
