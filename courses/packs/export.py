"""Writing a pack: a course in every language it exists in, its modules and lessons, and every image,
document, H5P activity and SCORM package they use, with the accreditation data, signed by the site.

A page travels as it is published (what learners see and reviewers approved); a page that was never
published travels as its latest draft, and is marked so.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone
from pyh5p.package import write_zip
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from ..blocks import LessonBodyBlock
from ..models import CoursePage, H5PActivity, LessonPage, ModulePage, ScormPackage
from . import reading
from .references import rewrite_rich_text, walk
from .signing import PackSigner, site_signer

KINDS = {CoursePage: "course", ModulePage: "module", LessonPage: "lesson"}
COMMON_FIELDS = ["title", "slug", "seo_title", "search_description"]
PAGE_FIELDS = {
    "course": [
        "audience",
        "summary",
        "description",
        "level",
        "language",
        "estimated_hours",
        "credit_hours",
        "curriculum_code",
        "passing_score",
        "score_policy",
        "certificate_valid_months",
        "certificates_need_release",
    ],
    "module": ["summary"],
    "lesson": ["summary", "required", "estimated_minutes", "body"],
}
RICH_TEXT_FIELDS = {"course": ["description"]}


class CourseNotFound(LookupError):
    pass


def find_course(reference: str) -> CoursePage:
    """A course by its id, or by its slug in any language (a slug two courses share is ambiguous)."""
    reference = str(reference).strip()
    if reference.isdigit():
        course = CoursePage.objects.filter(pk=int(reference)).first()
        if course is not None:
            return course
    matches: dict = {}
    for course in CoursePage.objects.filter(slug=reference).order_by("pk"):
        matches.setdefault(course.translation_key, course)
    if len(matches) > 1:
        raise CourseNotFound(f"{reference!r} is the slug of {len(matches)} different courses: give its id")
    if not matches:
        raise CourseNotFound(f"no course has the id or slug {reference!r}")
    return next(iter(matches.values()))


def storage_files(folder: str, prefix: str = "") -> dict[str, bytes]:
    """Every file under a storage folder, by its path below it."""
    found: dict[str, bytes] = {}
    if not default_storage.exists(folder):
        return found
    directories, files = default_storage.listdir(folder)
    for name in files:
        with default_storage.open(f"{folder}/{name}", "rb") as handle:
            found[f"{prefix}{name}"] = handle.read()
    for directory in directories:
        found.update(storage_files(f"{folder}/{directory}", f"{prefix}{directory}/"))
    return found


def h5p_package(activity: H5PActivity) -> bytes:
    """The activity as an .h5p again: its folder (h5p.json and content/) and its libraries' files."""
    files = {
        name: data
        for name, data in storage_files(activity.folder).items()
        if name == "h5p.json" or name.startswith("content/")
    }
    files.setdefault("h5p.json", json.dumps(activity.metadata, ensure_ascii=False).encode("utf-8"))
    for library in activity.libraries.all():
        files.update(storage_files(library.folder, f"{library.folder_name}/"))
    return write_zip(files)


def scorm_package(package: ScormPackage) -> bytes:
    return write_zip(storage_files(package.folder))


@dataclass
class _Collector:
    """The files the pages use, gathered once each, and the members they become."""

    members: dict[str, bytes] = field(default_factory=dict)
    images: dict[str, dict] = field(default_factory=dict)
    documents: dict[str, dict] = field(default_factory=dict)
    h5p: dict[str, dict] = field(default_factory=dict)
    scorm: dict[str, dict] = field(default_factory=dict)

    def _file(self, folder: str, stored, record: dict, into: dict) -> str:
        with stored.open("rb") as handle:
            data = handle.read()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in into:
            extension = PurePosixPath(stored.name).suffix.lower()
            member = f"{folder}/{digest}{extension}"
            self.members[member] = data
            into[digest] = {**record, "sha256": digest, "sha1": hashlib.sha1(data).hexdigest(), "file": member}  # noqa: S324 - Wagtail's file_hash
        return digest

    def image(self, pk) -> str | None:
        image = get_image_model().objects.filter(pk=pk).first()
        if image is None:
            return None
        image.get_file_hash()  # Wagtail sets it on uploads through its forms only; imports find images by it
        record = {"title": image.title, "name": PurePosixPath(image.file.name).name}
        if image.focal_point_width:
            record["focal_point"] = [
                image.focal_point_x,
                image.focal_point_y,
                image.focal_point_width,
                image.focal_point_height,
            ]
        return self._file("images", image.file, record, self.images)

    def document(self, pk) -> str | None:
        document = get_document_model().objects.filter(pk=pk).first()
        if document is None:
            return None
        document.get_file_hash()
        record = {"title": document.title, "name": PurePosixPath(document.file.name).name}
        return self._file("documents", document.file, record, self.documents)

    def activity(self, pk) -> str | None:
        activity = H5PActivity.objects.filter(pk=pk).first()
        if activity is None:
            return None
        key = str(activity.uuid)
        if key not in self.h5p:
            member = f"h5p/{key}.h5p"
            self.members[member] = h5p_package(activity)
            self.h5p[key] = {"uuid": key, "title": activity.title, "name": activity.original_filename, "file": member}
        return key

    def scorm_package(self, pk) -> str | None:
        package = ScormPackage.objects.filter(pk=pk).first()
        if package is None:
            return None
        key = str(package.uuid)
        if key not in self.scorm:
            member = f"scorm/{key}.zip"
            self.members[member] = scorm_package(package)
            self.scorm[key] = {"uuid": key, "title": package.title, "name": package.original_filename, "file": member}
        return key


def _rich_text(html: str, collector: _Collector) -> str:
    def page(pk: str) -> str | None:
        key = Page.objects.filter(pk=pk).values_list("translation_key", flat=True).first() if pk.isdigit() else None
        return f"key:{key}" if key else None

    def document(pk: str) -> str | None:
        digest = collector.document(pk) if pk.isdigit() else None
        return f"sha256:{digest}" if digest else None

    return rewrite_rich_text(html, page=page, document=document)


def _body(raw, collector: _Collector) -> list:
    def visit(kind: str, value):
        if kind == "richtext":
            return _rich_text(value, collector)
        found = {
            "image": collector.image,
            "document": collector.document,
            "h5p": collector.activity,
            "scorm": collector.scorm_package,
        }[kind](value)
        return found

    return walk(LessonBodyBlock(), raw, visit)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _snippet(instance, fields: list[str]) -> dict:
    return {
        "translation_key": str(instance.translation_key),
        "locale": instance.locale.language_code,
        **{name: getattr(instance, name) for name in fields},
    }


def _page_record(page: Page, collector: _Collector, snippets: dict[str, dict]) -> dict:
    kind = KINDS[type(page)]
    content = page if page.live else page.get_latest_revision_as_object()
    fields: dict[str, Any] = {}
    for name in COMMON_FIELDS + PAGE_FIELDS[kind]:
        value = getattr(content, name)
        if name == "body":
            value = _body(list(value.raw_data), collector)
        elif name in RICH_TEXT_FIELDS.get(kind, []):
            value = _rich_text(value, collector)
        fields[name] = _plain(value)
    record = {
        "kind": kind,
        "translation_key": str(page.translation_key),
        "locale": page.locale.language_code,
        "parent": None if kind == "course" else str(page.get_parent().translation_key),
        "live": page.live,
        "fields": fields,
    }
    if page.alias_of_id:
        source = page.alias_of
        record["alias_of"] = [str(source.translation_key), source.locale.language_code]
    if kind == "course":
        body = content.accrediting_body
        record["accrediting_body"] = [str(body.translation_key), body.locale.language_code] if body else None
        if body is not None:
            snippets[f"body:{body.pk}"] = {
                "model": "accrediting_body",
                **_snippet(body, ["name", "short_name", "website"]),
            }
        topics = list(content.topics.all())
        record["topics"] = [[str(topic.translation_key), topic.locale.language_code] for topic in topics]
        for topic in topics:
            snippets[f"topic:{topic.pk}"] = {"model": "topic", **_snippet(topic, ["name", "slug"])}
        record["prerequisites"] = [str(course.translation_key) for course in content.prerequisites.all()]
    return record


def course_pages(course: CoursePage) -> list[Page]:
    """Every copy of the course and every page below each copy, parents before children and the
    source of an alias (a copy Wagtail keeps in step with its source) before the alias."""
    copies = CoursePage.objects.filter(translation_key=course.translation_key).select_related("locale")
    pages: list[Page] = []
    for copy in sorted(copies, key=lambda page: page.locale.language_code):
        pages.append(copy)
        pages.extend(copy.get_descendants().specific().select_related("locale").order_by("path"))
    return sorted(pages, key=lambda page: (page.depth, bool(page.alias_of_id)))


def build_pack(course: CoursePage, *, signer: PackSigner | None = None) -> bytes:
    """The pack's bytes: members, the manifest of their checksums, and the signer's signature of it."""
    signer = signer or site_signer()
    collector = _Collector()
    snippets: dict[str, dict] = {}
    pages = [_page_record(page, collector, snippets) for page in course_pages(course)]
    content = {
        "pages": pages,
        "snippets": sorted(
            snippets.values(), key=lambda item: (item["model"], item["translation_key"], item["locale"])
        ),
        "images": sorted(collector.images.values(), key=lambda item: item["sha256"]),
        "documents": sorted(collector.documents.values(), key=lambda item: item["sha256"]),
        "h5p": sorted(collector.h5p.values(), key=lambda item: item["uuid"]),
        "scorm": sorted(collector.scorm.values(), key=lambda item: item["uuid"]),
    }
    members = {reading.CONTENT: json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")}
    members.update(collector.members)
    titles = {record["locale"]: record["fields"]["title"] for record in pages if record["kind"] == "course"}
    manifest = {
        "format": reading.FORMAT,
        "version": reading.VERSION,
        "created": timezone.now().isoformat(timespec="seconds"),
        "signer": {"name": signer.name, "key": signer.public_key},
        "course": {"translation_key": str(course.translation_key), "titles": titles},
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    members[reading.MANIFEST] = manifest_bytes
    members[reading.SIGNATURE] = base64.b64encode(signer.sign(manifest_bytes)) + b"\n"
    return write_zip(members)
