"""Finding the page a request names in two queries, whatever its depth.

Wagtail finds a page by walking the tree one slug at a time from the site's root, two queries per
level (the child, then its specific row), plus the site and the active locale: a lesson four levels
down costs ten queries before anything is rendered. ``PageRoutingMiddleware`` gives Wagtail's
``serve`` view the same answer in two: the site, its root page and the root's translations come from
the cache (forgotten whenever a page is published, unpublished, moved, deleted or a site changes);
the deepest page whose ``url_path`` the request's path starts with is one query, its specific row a
second, and that page's own ``route`` handles what remains of the path (a lesson's sub-routes such
as ``check/<block>/``). The result is handed to Wagtail through the attributes its own lookups cache
on the request (``_wagtail_site``, ``_wagtail_route_for_request``), so Wagtail's serve view, hooks,
restrictions and 404s work unchanged. Anything unusual (no site, an alias among the candidates) is
left to Wagtail.
"""

import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

VERSION_KEY = "courses:routing-version"
TIMEOUT = 60 * 60


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def routing_version(request: HttpRequest | None = None) -> str:
    """The token that changes whenever a page is published, unpublished, moved or deleted, or a site
    changes: part of the key of anything cached about where pages are. Read once per request (kept on
    ``request``), so a publication is seen from the next request on."""
    version = getattr(request, "_courses_routing_version", None)
    if version is None:
        version = _version()
        if request is not None:
            request._courses_routing_version = version
    return version


def forget_routes(**kwargs) -> None:
    """Connected to page publication, moves, deletions and live aliases, and to site changes."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


@dataclass(frozen=True)
class SiteRoots:
    """A site and its root page in each language it is published in: what routing needs, cached."""

    site: Site
    roots: dict[str, tuple[str, str]]  # language code -> (root page's tree path, url_path)
    default: tuple[str, str]


def _site_roots(request: HttpRequest) -> SiteRoots | None:
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = f"courses:site-roots:{routing_version(request)}:{hostname}:{port}"
    found = cache.get(key)
    if found is None:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None
        root = site.root_page
        translations = Page.objects.filter(translation_key=root.translation_key, live=True).values_list(
            "path", "url_path", "locale__language_code", "alias_of_id"
        )
        roots = {}
        for tree_path, url_path, code, alias_of in translations:
            if alias_of is None:
                roots[code] = (tree_path, url_path)
        found = SiteRoots(site=site, roots=roots, default=(root.path, root.url_path))
        cache.set(key, found, TIMEOUT)
    return found


def route(request: HttpRequest, path: str):
    """Wagtail's ``RouteResult`` for ``path`` under the request's site, as Wagtail would find it; None
    to let Wagtail find it itself."""
    roots = _site_roots(request)
    if roots is None:
        return None
    language = translation.get_language() or ""
    tree_path, root_path = roots.roots.get(language) or roots.default
    components = [component for component in path.split("/") if component]
    candidates = [root_path + "".join(f"{c}/" for c in components[:n]) for n in range(len(components) + 1)]
    found = (
        Page.objects.filter(url_path__in=candidates, path__startswith=tree_path)
        .order_by("-depth")
        .values("pk", "url_path", "content_type_id", "alias_of_id")
        .first()
    )
    if found is None or found["alias_of_id"] is not None:
        return None
    remaining = components[found["url_path"].count("/") - root_path.count("/") :]
    page = _specific(found)
    request._wagtail_site = roots.site
    try:
        result = page.route(request, remaining)
    except Http404:
        return Http404
    result[0]._serving_routed = True  # its view restrictions may come from the cache
    return result


def _specific(found: dict) -> Page:
    model = ContentType.objects.get_for_id(found["content_type_id"]).model_class()
    return model.objects.get(pk=found["pk"])


class PageRoutingMiddleware:
    """Routes requests for Wagtail pages in two queries (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or request.method not in {"GET", "HEAD", "POST"}:
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        result = route(request, path or "")
        if result is Http404:
            request._wagtail_route_for_request = None
        elif result is not None:
            request._wagtail_route_for_request = result
        return None
