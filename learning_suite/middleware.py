"""Language selection for the suite's pages, without touching the routes that have no language."""

from django.middleware.locale import LocaleMiddleware

UNLOCALISED_PREFIXES = (
    "/api/",
    "/xapi/",
    "/sso/",
    "/lti/",
    "/learning/statements/",
    "/learning/h5p-state/",
    "/learning/scorm/",  # the SCORM runtime (lms/scorm_runtime)
    "/scorm/",  # SCORM packages' files
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/.well-known/",
    "/static/",
    "/media/",
    "/certificates/",
    "/issuers/",
    "/offline/",  # offline lessons (courses/offline)
    "/sw.js",
    "/ims/",  # CASE endpoints of the competency frameworks (courses/competencies)
)


class SuiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware redirects a 404 to the same path under ``/en/``; Wagtail's catch-all
    route makes every such path look valid, so an API 404 would become a redirect to a page. Paths
    outside the localised site keep their own responses."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNLOCALISED_PREFIXES):
            return response
        return super().process_response(request, response)
