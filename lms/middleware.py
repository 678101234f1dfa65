"""Language selection for the site's pages, without touching the routes that have no language."""

from django.middleware.locale import LocaleMiddleware

UNLOCALISED_PREFIXES = (
    "/api/",
    "/learning/statements/",
    "/learning/h5p-state/",
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/.well-known/",
    "/static/",
    "/media/",
    "/certificates/",
    "/issuers/",
)


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware redirects a 404 to the same path under ``/en/``; Wagtail's catch-all
    route makes every such path look valid, so an API 404 would become a redirect to a page. Paths
    outside the localised site keep their own responses."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNLOCALISED_PREFIXES):
            return response
        return super().process_response(request, response)
