"""Headers every HTML page gets (docs/security.md, "Content-Security-Policy" and "Personal pages").

A Content-Security-Policy that allows the site's own origin only. Learner pages run no inline
script except one carrying the request's nonce (``{{ request.csp_nonce }}``); the Wagtail admin and
the API's Swagger page are third-party templates with inline scripts, so they also allow inline
script, still from nowhere but the site. A response that already has a policy keeps it: H5P content
files are served with their own ``sandbox`` policy (``courses.h5p.views``).

Personal pages (``LEARNING_PERSONAL_PAGES``, URL names) are ``Cache-Control: private, no-store`` so
a shared computer's browser or a proxy keeps no copy of someone's learning, data or certificates.

``TRACE`` (and ``CONNECT``) are answered 405 before any view, authentication or throttle: no page
or API operation offers them (Wagtail's page serving would otherwise answer a TRACE like a GET). The
``Allow`` header names the methods the resolved view has.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from foundation.conf import foundation_settings

#: The one inline script the H5P core writes into its player frame (h5p-standalone's frame.bundle.js,
#: ``H5P.getHeadTags``); the frame inherits the page's policy, so the script is allowed by its hash.
H5P_FRAME_SCRIPT = "H5PIntegration = window.parent.H5PIntegration; var H5P = H5P || {}; H5P.externalEmbed = false;"
H5P_FRAME_SCRIPT_HASH = "sha256-8CniZYrnO46q7MvZ3m08Wom1HH/ZhyXmm29kBKTV1rk="

REFUSED_METHODS = {"TRACE", "CONNECT"}
RELAXED_PREFIXES = ("/admin/", "/django-admin/", "/api/v1/docs/")
# The LTI 1.3 launch pages: a registered platform frames them and the LTI library's pages script
# inline; ``lms.lti.middleware.LtiFrameMiddleware`` sets their frame-ancestors to that platform.
# Other pages of such a session keep the whole policy, with that platform added to frame-ancestors
# (a response's ``frame_ancestors`` attribute).
UNPOLICED_PREFIXES = ("/lti/",)

DEFAULT_PERSONAL_PAGES = foundation_settings.defaults["LEARNING_PERSONAL_PAGES"]


def form_targets() -> str:
    """Origins besides the site's own that its forms lead to: the OpenID Connect provider, where
    signing in and signing out continue (Chromium applies form-action to a form's redirects)."""
    issuer = str(foundation_settings.OIDC_ISSUER or "")
    parts = urlsplit(issuer)
    return f" {parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def content_security_policy(*, nonce: str, relaxed: bool, frame_ancestors: tuple[str, ...] = ()) -> str:
    # 'unsafe-eval': real H5P content types (Course Presentation, Interactive Video, Question Set,
    # Multiple Choice) evaluate strings as script inside the player's same-origin frame; scripts still
    # load from the site's own origin only, and inline ones need the nonce or the core's hash.
    script = (
        "'self' 'unsafe-inline' 'unsafe-eval'"
        if relaxed
        else f"'self' 'nonce-{nonce}' '{H5P_FRAME_SCRIPT_HASH}' 'unsafe-eval'"
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "frame-src 'self'",
            "worker-src 'self'",  # the offline lessons' service worker, from the site only
            "manifest-src 'self'",
            " ".join(["frame-ancestors 'self'", *frame_ancestors]),
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action 'self'{form_targets()}",
        ]
    )


def allowed_methods(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return "GET, HEAD, OPTIONS"
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if view is None:
        return "GET, HEAD, OPTIONS, POST"
    methods = [name for name in view.http_method_names if name not in ("trace", "connect") and hasattr(view, name)]
    if "get" in methods and "head" not in methods:
        methods.insert(methods.index("get") + 1, "head")  # Django answers HEAD with the GET handler
    return ", ".join(name.upper() for name in methods)


def personal_pages() -> set[str]:
    return set(foundation_settings.LEARNING_PERSONAL_PAGES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        if request.method in REFUSED_METHODS:
            response = JsonResponse(
                {"code": "method_not_allowed", "message": f"{request.method} is not offered.", "field": None},
                status=405,
            )
            response["Allow"] = allowed_methods(request.path_info)
            return response
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in personal_pages():
            patch_cache_control(response, private=True, no_store=True)
        content_type = response.get("Content-Type", "")
        policed = not request.path_info.startswith(UNPOLICED_PREFIXES)
        if policed and content_type.startswith("text/html") and "Content-Security-Policy" not in response:
            relaxed = request.path_info.startswith(RELAXED_PREFIXES)
            response["Content-Security-Policy"] = content_security_policy(
                nonce=request.csp_nonce, relaxed=relaxed, frame_ancestors=getattr(response, "frame_ancestors", ())
            )
        return response
