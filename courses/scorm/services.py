"""Actions on SCORM packages: importing one into storage, and deleting a package no lesson uses.

A package is validated completely in memory (``manifest.py``); only then are its files written to
storage, under ``scorm/<uuid>/``, inside the transaction that creates the row. If anything fails the
files written so far are deleted and the transaction rolls back: a refused or failed import leaves
no row and no file behind.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from ..archives import Source
from ..h5p.services import delete_folder, remove_empty_parents
from .manifest import ValidatedScorm, validate_package
from .models import ScormPackage

logger = logging.getLogger(__name__)


class PackageInUse(Exception):
    def __init__(self, package: ScormPackage, lessons: list):
        self.lessons = lessons
        titles = ", ".join(f"{lesson.title} ({lesson.locale.language_code})" for lesson in lessons)
        super().__init__(
            _("%(title)s is used in %(count)d lesson(s) and cannot be deleted: %(lessons)s")
            % {"title": package.title, "count": len(lessons), "lessons": titles}
        )


def check_package(source: Source, *, name: str) -> ValidatedScorm:
    """Validate without storing anything (``import_scorm --dry-run``)."""
    return validate_package(source, name=name)


def import_package(
    source: Source, *, name: str, uploaded_by=None, title: str | None = None, identity: uuid.UUID | None = None
) -> ScormPackage:
    """Validate a package and store it; raises ``PackageRefused`` with every problem found. ``identity``
    keeps the uuid the package has on another site (a course pack's import)."""
    validated = check_package(source, name=name)
    package = ScormPackage(
        title=(title or validated.title)[:255],
        version=validated.version,
        edition=validated.edition,
        identifier=validated.identifier,
        scos=validated.scos,
        original_filename=Path(name).name[:255],
        expanded_bytes=validated.expanded_bytes,
        uploaded_by=uploaded_by,
        uuid=identity or uuid.uuid4(),
    )
    written: list[str] = []
    try:
        with transaction.atomic():
            for member, data in sorted(validated.files.items()):
                target = f"{package.folder}/{member}"
                stored = default_storage.save(target, ContentFile(data))
                written.append(stored)
                if stored != target:
                    raise RuntimeError(f"storage renamed {target!r} to {stored!r}")
            package.save()
    except BaseException:
        for stored in written:
            try:
                default_storage.delete(stored)
            except OSError:
                logger.exception("could not delete %s after a failed SCORM import", stored)
        remove_empty_parents(written)
        raise
    return package


def lessons_using(package: ScormPackage) -> list:
    """Every lesson (draft or published, in any locale) whose body or latest draft places the package."""
    from ..h5p.services import lessons_placing

    return lessons_placing(block_type="scorm", field="package", pk=package.pk)


def delete_package(*, package: ScormPackage) -> None:
    lessons = lessons_using(package)
    if lessons:
        raise PackageInUse(package, lessons)
    folder = package.folder
    with transaction.atomic():
        package.delete()
        transaction.on_commit(lambda: delete_folder(folder))
