"""Serving stored H5P files to the player, with headers that keep uploaded files from acting as pages.

Every file is served with ``X-Content-Type-Options: nosniff``, a content type taken from its
(allow-listed) extension and never ``text/html``, and a content security policy whose ``sandbox``
directive gives a file opened on its own an opaque origin with scripts off. So an SVG or a JSON file
that a browser is tricked into rendering as a document cannot run script on the site's origin.
Scripts and style sheets of libraries still run when the player loads them into the lesson: that
is what H5P is, and why only trusted editors may upload packages (see docs/h5p.md).
"""

import mimetypes
import re
from pathlib import PurePosixPath
from uuid import UUID

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from pyh5p._util import is_safe_relative_path

from .models import H5PActivity, H5PLibrary
from .player_css import player_css
from .validation import CONTENT_EXTENSIONS, LIBRARY_EXTENSIONS, LIBRARY_FOLDER

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; sandbox"
)
CONTENT_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "svg": "image/svg+xml",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8",
    "textile": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "diff": "text/plain; charset=utf-8",
    "patch": "text/plain; charset=utf-8",
    "xml": "application/xml",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
}
INLINE_KINDS = ("image/", "audio/", "video/", "font/", "text/css", "text/javascript", "application/json", "text/vtt")
LIBRARY_MAX_AGE = 60 * 60  # a newer patch replaces a library's files under the same URL
CONTENT_MAX_AGE = 60 * 60 * 24


def respond(
    name: str, *, extension: str, max_age: int, content_types: dict | None = None, inline_kinds: tuple = ()
) -> FileResponse:
    """A stored file with the locked-down headers (SCORM's views use it too, with SCOs' own types)."""
    if not default_storage.exists(name):
        raise Http404("no such file")
    content_types = content_types or CONTENT_TYPES
    content_type = content_types.get(extension) or mimetypes.types_map.get(f".{extension}", "application/octet-stream")
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = f"public, max-age={max_age}"
    if not content_type.startswith(INLINE_KINDS + inline_kinds):
        response["Content-Disposition"] = f'attachment; filename="{PurePosixPath(name).name}"'
    return response


def _extension(path: str, allowed: frozenset[str] | set[str]) -> str:
    if not is_safe_relative_path(path):
        raise Http404("no such file")
    extension = PurePosixPath(path).suffix.lower().lstrip(".")
    if extension not in allowed:
        raise Http404("no such file")
    return extension


@require_safe
def library_file(request: HttpRequest, folder: str, path: str) -> FileResponse:
    """A file of the installed library ``machineName-major.minor`` (at its newest stored patch)."""
    match = LIBRARY_FOLDER.match(folder)
    if match is None:
        raise Http404("no such library")
    extension = _extension(path, LIBRARY_EXTENSIONS)
    stored = (
        H5PLibrary.objects.filter(
            machine_name=match["machine_name"], major_version=int(match["major"]), minor_version=int(match["minor"])
        )
        .values_list("folder", flat=True)
        .first()
    )
    if stored is None:
        raise Http404("no such library")
    return respond(f"{stored}/{path}", extension=extension, max_age=LIBRARY_MAX_AGE)


@require_safe
def content_file(request: HttpRequest, uuid: UUID, path: str) -> FileResponse:
    """A file of one activity: its ``h5p.json`` or anything under ``content/``."""
    if path != "h5p.json" and not path.startswith("content/"):
        raise Http404("no such file")
    extension = _extension(path, CONTENT_EXTENSIONS)
    if not re.fullmatch(r"[0-9a-f-]{36}", str(uuid)) or not H5PActivity.objects.filter(uuid=uuid).exists():
        raise Http404("no such activity")
    return respond(f"h5p/content/{uuid}/{path}", extension=extension, max_age=CONTENT_MAX_AGE)


@require_safe
def player_stylesheet(request: HttpRequest) -> HttpResponse:
    """The player's core style sheet without its text fonts (``courses.h5p.player_css``)."""
    css, version = player_css()
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    if request.GET.get("v") == version:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response
