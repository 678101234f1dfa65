"""What "Save for offline" stores for a module or a course: every file its lessons need, each once.

The list is built on the server because only the server knows an H5P activity's files (its content
and the files of every library it depends on) and each file's size, which the learner sees before
saving. The page's script adds anything else a saved lesson's HTML names (an image in rich text) and
fetches each address once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse

from ..h5p.models import H5PActivity, H5PLibrary
from ..h5p.player_css import player_css
from ..h5p.validation import CONTENT_EXTENSIONS, LIBRARY_EXTENSIONS
from ..models import CoursePage, LessonPage, ModulePage
from ..publication import published_for_learners
from ..selectors import course_outline, module_lessons

#: What every saved lesson needs, whatever it holds: the site's style sheet, icon and scripts.
KIT = ("courses/site.css", "courses/favicon.svg", "courses/offline/offline.js", "courses/icons/icon-192.png")
#: The player's own files, for lessons with an H5P activity.
H5P_KIT = (
    "courses/h5p-lesson.js",
    "courses/h5p-bengali.css",
    "h5p-standalone/main.bundle.js",
    "h5p-standalone/frame.bundle.js",
)
#: The site's text fonts a page in each language draws with (courses/site.css).
FONTS = {
    "bn": (
        "courses/fonts/noto-sans-bengali-bengali-400-normal.woff2",
        "courses/fonts/noto-sans-bengali-bengali-700-normal.woff2",
    ),
    "dz": (
        "courses/fonts/noto-serif-tibetan-tibetan-400-normal.woff2",
        "courses/fonts/noto-serif-tibetan-tibetan-700-normal.woff2",
    ),
}
LANGUAGE_NAMES_FONT = "courses/fonts/noto-serif-tibetan-language-names.woff2"
#: A lesson page's HTML is rendered for the learner when it is saved; this is what one weighs, about.
LESSON_PAGE_BYTES = 16 * 1024
IMAGE_RENDITION = "max-800x600|format-webp"  # courses/blocks/image.html
STATIC_URL_IN_CSS = re.compile(r"url\('([^')?#]+)")


@dataclass
class OfflineFiles:
    """The pages and files of one module or course, with the bytes each weighs (pages: about)."""

    title: str
    language: str
    pages: list[str] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)

    def add(self, url: str, size: int) -> None:
        self.files.setdefault(url, size)

    @property
    def bytes(self) -> int:
        return len(self.pages) * LESSON_PAGE_BYTES + sum(self.files.values())

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "language": self.language,
            "pages": self.pages,
            "files": [{"url": url, "bytes": size} for url, size in self.files.items()],
            "bytes": self.bytes,
        }


def _static_size(name: str) -> int:
    path = finders.find(name)
    if path:
        with open(path, "rb") as file:
            file.seek(0, 2)
            return file.tell()
    return 0


def _add_static(files: OfflineFiles, names: Iterable[str]) -> None:
    for name in names:
        files.add(static(name), _static_size(name))


def _storage_files(folder: str, extensions: frozenset[str] | set[str]) -> Iterable[tuple[str, int]]:
    """(relative path, size) of each file under a storage folder whose extension the player may load."""
    pending = [""]
    while pending:
        relative = pending.pop()
        directories, names = default_storage.listdir(f"{folder}/{relative}".rstrip("/"))
        pending.extend(f"{relative}{name}/" for name in directories)
        for name in names:
            if name.rsplit(".", 1)[-1].lower() in extensions:
                yield f"{relative}{name}", default_storage.size(f"{folder}/{relative}{name}")


def _add_h5p(files: OfflineFiles, activities: list[H5PActivity]) -> None:
    _add_static(files, H5P_KIT)
    css, version = player_css()
    files.add(f"{reverse('h5p:player-css')}?v={version}", len(css.encode()))
    _add_static(files, (url.removeprefix(static("")) for url in STATIC_URL_IN_CSS.findall(css)))
    libraries: dict[int, H5PLibrary] = {}
    for activity in activities:
        base = f"/h5p/content/{activity.uuid}/"
        files.add(f"{base}h5p.json", default_storage.size(f"{activity.folder}/h5p.json"))
        for path, size in _storage_files(f"{activity.folder}/content", CONTENT_EXTENSIONS):
            files.add(f"{base}content/{path}", size)
        for library in activity.libraries.all():
            libraries[library.pk] = library
    for library in libraries.values():
        base = f"/h5p/libraries/{library.folder_name}/"
        for path, size in _storage_files(library.folder, LIBRARY_EXTENSIONS):
            files.add(f"{base}{path}", size)


def _add_lesson_files(files: OfflineFiles, lessons: list[LessonPage]) -> None:
    """Images (as the lesson shows them), documents, videos and captions, and H5P activities."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    image_ids, document_ids, activity_ids = set(), set(), set()
    for lesson in lessons:
        for block in lesson.body.raw_data:
            value = block.get("value") or {}
            if block.get("type") == "image" and value.get("image"):
                image_ids.add(value["image"])
            elif block.get("type") == "document" and value.get("document"):
                document_ids.add(value["document"])
            elif block.get("type") == "video":
                document_ids.update(value[name] for name in ("video_file", "captions") if value.get(name))
            elif block.get("type") == "h5p" and value.get("activity"):
                activity_ids.add(value["activity"])
    for image in get_image_model().objects.filter(pk__in=image_ids):
        rendition = image.get_rendition(IMAGE_RENDITION)
        files.add(rendition.url, rendition.file.size if rendition.file else 0)
    for document in get_document_model().objects.filter(pk__in=document_ids):
        files.add(document.url, document.file_size or 0)
    if activity_ids:
        _add_h5p(files, list(H5PActivity.objects.filter(pk__in=activity_ids).prefetch_related("libraries")))


def offline_files(*, page: ModulePage | CoursePage, user, session=None) -> OfflineFiles:
    """The pages and files to save for ``page`` (a module or a course), as ``user`` may read them."""
    if isinstance(page, CoursePage):
        course = page
        modules = course_outline(course=course, user=user)
        lessons = [lesson for module in modules for lesson in module.lessons]
        pages = [course, *modules]
    else:
        course = page.get_parent().specific
        lessons = list(module_lessons(module=page, user=user))
        pages = [course, page]
    lessons = list(LessonPage.objects.filter(pk__in=[lesson.pk for lesson in lessons]).order_by("path"))
    language = page.locale.language_code
    files = OfflineFiles(title=page.title, language=language)
    files.pages = [p.url for p in [*pages, *lessons] if p.url] + [reverse("offline:not_saved", args=[language])]
    _add_static(files, KIT)
    files.add(reverse("offline:manifest", args=[language]), 1024)  # the installed app opens offline too
    _add_static(files, (*FONTS.get(language, ()), LANGUAGE_NAMES_FONT))
    _add_lesson_files(files, lessons)
    return files


def saveable_page(*, page_id: int, user, session=None) -> ModulePage | CoursePage | None:
    """The module or course ``page_id`` if ``user`` may read it, else None."""
    for model in (ModulePage, CoursePage):
        found = published_for_learners(model.objects.filter(pk=page_id), user=user, session=session).first()
        if found is not None:
            return found
    return None
