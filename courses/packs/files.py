"""The files of a pack on the importing site: images and documents found by checksum or stored, H5P
activities and SCORM packages found by uuid or imported through their own validation.

Everything written to storage is remembered, so that a refusal after some files were stored (the
transaction rolls back) deletes them again: a refused pack leaves no stray file.
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from willow.image import Image as WillowImage

from ..archives import PackageRefused, refuse, svg_problems
from ..h5p import services as h5p_services
from ..models import H5PActivity, H5PLibrary, ScormPackage
from ..scorm import services as scorm_services
from .reading import OpenedPack

logger = logging.getLogger(__name__)


def check_files(pack: OpenedPack) -> None:
    """Every image readable (an SVG without script), every H5P and SCORM package valid, before any write."""
    for kind in ("images", "documents", "h5p", "scorm"):
        for record in pack.content.get(kind, []):
            if record.get("file") not in pack.files:
                raise refuse(str(record.get("file")), _("named in content.json but not in the pack"))
    for record in pack.content.get("images", []):
        data = pack.files[record["file"]]
        if record["file"].lower().endswith(".svg"):
            problems = svg_problems(data)
            if problems:
                raise refuse(record["file"], "; ".join(problems))
            continue
        try:
            with PILImage.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
            raise refuse(record["file"], _("not a readable image")) from None
    for record in pack.content.get("h5p", []):
        if not H5PActivity.objects.filter(uuid=record["uuid"]).exists():
            h5p_services.check_package(io.BytesIO(pack.files[record["file"]]), name=record["file"])
    for record in pack.content.get("scorm", []):
        if not ScormPackage.objects.filter(uuid=record["uuid"]).exists():
            scorm_services.check_package(io.BytesIO(pack.files[record["file"]]), name=record["file"])


def existing_image(record: dict):
    return get_image_model().objects.filter(file_hash=record["sha1"]).order_by("pk").first()


def existing_document(record: dict):
    return get_document_model().objects.filter(file_hash=record["sha1"]).order_by("pk").first()


@dataclass
class StoredFiles:
    """What the import wrote, and the pack's references resolved to this site's primary keys."""

    written: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    images: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    h5p: dict[str, int] = field(default_factory=dict)
    scorm: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)

    def undo(self) -> None:
        for name in self.written:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("could not delete %s after a refused course pack", name)
        h5p_services.remove_empty_parents(self.written)
        for folder in self.folders:
            h5p_services.delete_folder(folder)


def store_files(pack: OpenedPack, *, stored: StoredFiles, user=None) -> None:
    """Find or store each file of the pack (inside the import's transaction)."""
    Image = get_image_model()
    Document = get_document_model()
    for record in pack.content.get("images", []):
        found = existing_image(record)
        if found is None:
            data = pack.files[record["file"]]
            found = Image(title=record["title"][:255], uploaded_by_user=user, file_size=len(data))
            found.file_hash = record["sha1"]
            if record.get("focal_point"):
                x, y, width, height = record["focal_point"]
                found.focal_point_x, found.focal_point_y = x, y
                found.focal_point_width, found.focal_point_height = width, height
            found.file.save(_name(record), ContentFile(data), save=False)
            stored.written.append(found.file.name)
            found.width, found.height = WillowImage.open(io.BytesIO(data)).get_size()
            found.save()
            stored.created.append(f"image {record['title']}")
        stored.images[record["sha256"]] = found.pk
    for record in pack.content.get("documents", []):
        found = existing_document(record)
        if found is None:
            data = pack.files[record["file"]]
            found = Document(title=record["title"][:255], uploaded_by_user=user, file_size=len(data))
            found.file_hash = record["sha1"]
            found.file.save(_name(record), ContentFile(data), save=False)
            stored.written.append(found.file.name)
            found.save()
            stored.created.append(f"document {record['title']}")
        stored.documents[record["sha256"]] = found.pk
    for record in pack.content.get("h5p", []):
        stored.h5p[record["uuid"]] = _activity(pack, record, stored=stored, user=user).pk
    for record in pack.content.get("scorm", []):
        stored.scorm[record["uuid"]] = _scorm(pack, record, stored=stored, user=user).pk


def _name(record: dict) -> str:
    name = PurePosixPath(str(record.get("name") or "")).name
    return name or PurePosixPath(record["file"]).name


def _activity(pack: OpenedPack, record: dict, *, stored: StoredFiles, user) -> H5PActivity:
    found = H5PActivity.objects.filter(uuid=record["uuid"]).first()
    if found is not None:
        return found
    folders_before = set(H5PLibrary.objects.values_list("folder", flat=True))
    activity = h5p_services.import_package(
        io.BytesIO(pack.files[record["file"]]),
        name=record.get("name") or record["file"],
        uploaded_by=user,
        title=record["title"],
        identity=uuid.UUID(record["uuid"]),
    )
    stored.folders.append(activity.folder)
    stored.folders += [lib.folder for lib in activity.libraries.all() if lib.folder not in folders_before]
    stored.created.append(f"H5P {activity.title}")
    return activity


def _scorm(pack: OpenedPack, record: dict, *, stored: StoredFiles, user) -> ScormPackage:
    found = ScormPackage.objects.filter(uuid=record["uuid"]).first()
    if found is not None:
        return found
    package = scorm_services.import_package(
        io.BytesIO(pack.files[record["file"]]),
        name=record.get("name") or record["file"],
        uploaded_by=user,
        title=record["title"],
        identity=uuid.UUID(record["uuid"]),
    )
    stored.folders.append(package.folder)
    stored.created.append(f"SCORM {package.title}")
    return package


__all__ = ["PackageRefused", "StoredFiles", "check_files", "store_files"]
