"""Pages of a session that an LTI launch started may be shown in that platform's frame (and only
there): ``Content-Security-Policy: frame-ancestors <platform>`` instead of ``X-Frame-Options``.

Listed after ``XFrameOptionsMiddleware`` so that it sees the response first. The site's policy
(``foundation.security_headers``) adds the platform to its ``frame-ancestors`` from the response's
``frame_ancestors``; a response without that policy (the LTI library's own pages) gets the directive
here. Only a request that carries a session cookie is looked at, so public responses (the DID
document, status lists, the xAPI About resource) do not vary on cookies."""

from django.conf import settings

from foundation.security_headers import UNPOLICED_PREFIXES

FRAME_ORIGIN_SESSION_KEY = "lti_frame_origin"


class LtiFrameMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        origin = session.get(FRAME_ORIGIN_SESSION_KEY)
        if origin:
            response.xframe_options_exempt = True
            response.frame_ancestors = (origin,)
            if request.path_info.startswith(UNPOLICED_PREFIXES) and "Content-Security-Policy" not in response:
                response["Content-Security-Policy"] = f"frame-ancestors 'self' {origin}"
        return response
