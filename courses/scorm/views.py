"""Serving a SCORM package's files from its own path, with the headers H5P content gets, tuned for SCOs.

A SCO is a web page that must find the runtime (``window.API`` / ``API_1484_11``) in the lesson page
that frames it, so it is served from the site's origin with scripts on; that is why only trusted
editors may upload packages (docs/scorm.md). Every file gets ``X-Content-Type-Options: nosniff``, a
content type from its allow-listed extension, ``Cross-Origin-Resource-Policy: same-origin``, and a
content security policy that loads nothing from elsewhere, sends nothing anywhere (``connect-src
'none'``, ``form-action 'none'``) and lets only the site's own pages frame it. Files that are not
pages, scripts, styles or media are downloads, never rendered; the package's manifest and schemas are
not served at all.
"""

import re
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from ..archives import extension_of, is_safe_relative_path
from ..h5p.views import CONTENT_TYPES, respond
from .manifest import MANIFEST, SCORM_EXTENSIONS
from .models import ScormPackage

SCO_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; media-src 'self'; font-src 'self' data:; connect-src 'none'; object-src 'none'; "
    "form-action 'none'; base-uri 'self'; frame-ancestors 'self'"
)
SCO_CONTENT_TYPES = {
    **CONTENT_TYPES,
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "xhtml": "application/xhtml+xml",
    "mjs": "text/javascript; charset=utf-8",
}
NOT_SERVED = {"xsd", "dtd"}
MAX_AGE = 60 * 60


@require_safe
def package_file(request: HttpRequest, uuid: UUID, path: str) -> FileResponse:
    """A file of one package, by the package's uuid and the file's path inside the package."""
    extension = extension_of(path)
    if not is_safe_relative_path(path) or extension not in SCORM_EXTENSIONS or extension in NOT_SERVED:
        raise Http404("no such file")
    if path == MANIFEST or not re.fullmatch(r"[0-9a-f-]{36}", str(uuid)):
        raise Http404("no such file")
    if not ScormPackage.objects.filter(uuid=uuid).exists():
        raise Http404("no such package")
    response = respond(
        f"scorm/{uuid}/{path}",
        extension=extension,
        max_age=MAX_AGE,
        content_types=SCO_CONTENT_TYPES,
        inline_kinds=("text/html", "application/xhtml+xml"),
    )
    response["Content-Security-Policy"] = SCO_CONTENT_SECURITY_POLICY
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = f"private, max-age={MAX_AGE}"
    return response
