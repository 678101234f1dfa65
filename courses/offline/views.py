"""The offline app's addresses: the service worker at the site's root, the web app manifest, the list
of files "Save for offline" stores, the "not saved" page, and who is signed in (for the outbox)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .files import offline_files, saveable_page
from .learners import learner_key

#: Written by ``make frontend`` (courses/offline/service-worker.mjs bundled with Workbox's modules).
SERVICE_WORKER = "courses/offline/sw.js"


def _language(code: str) -> str:
    if code not in dict(settings.LANGUAGES):
        raise Http404("no such language")
    return code


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that its scope is the whole site (every ``/<lang>/`` page).
    Browsers check it for updates on each navigation; ``no-cache`` makes them ask the server."""
    path = finders.find(SERVICE_WORKER)
    if not path:
        raise Http404("the service worker is not built (make frontend)")
    with open(path, "rb") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def manifest(request: HttpRequest, language: str) -> JsonResponse:
    """The installable app's manifest, in the page's language."""
    with translation.override(_language(language)):
        name = _("Digital skills for government")
        body = {
            "name": name,
            "short_name": _("Digital skills"),
            "description": _("Open-source learning for civil servants and citizens."),
            "lang": language,
            "dir": "ltr",
            "id": "/",
            "start_url": f"/{language}/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#005a3c",
            "icons": [
                {"src": static("courses/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("courses/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("courses/icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json; charset=utf-8"
    return response


@require_safe
def files(request: HttpRequest, page_id: int) -> JsonResponse:
    """What saving the module or course ``page_id`` stores, with the size of each file."""
    page = saveable_page(page_id=page_id, user=request.user, session=request.session)
    if page is None:
        return JsonResponse({"code": "not_found", "message": _("There is no such module or course.")}, status=404)
    response = JsonResponse(offline_files(page=page, user=request.user, session=request.session).as_dict())
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def not_saved(request: HttpRequest, language: str) -> HttpResponse:
    """What the service worker shows, without a connection, for a page that was not saved."""
    with translation.override(_language(language)):
        return render(request, "courses/offline_not_saved.html", {"language": language})


@never_cache
@require_safe
def session(request: HttpRequest) -> JsonResponse:
    """Who is signed in now (their learner key, "" for nobody) and a CSRF token valid for this session:
    the outbox sends a queued answer only for the learner who made it, with this token."""
    return JsonResponse({"learner": learner_key(request.user), "csrfToken": get_token(request)})
