"""Actions on H5P activities: importing a package into storage, and deleting an activity no lesson uses.

Storage goes through Django's storage API (local files by default, any backend in production).
A package is validated completely in memory and extracted by pyh5p into a temporary folder first;
only then are its files copied into storage, inside the transaction that creates the rows. If
anything fails, the files written so far are deleted and the transaction rolls back, so a refused
or failed import leaves no row and no file behind.
"""

from __future__ import annotations

import json
import logging
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import pyh5p
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from ..conf import courses_settings
from .models import STORAGE_ROOT, H5PActivity, H5PLibrary, H5PUpload
from .validation import (
    CONTENT_EXTENSIONS,
    LIBRARY_EXTENSIONS,
    H5PLimits,
    PackagedLibrary,
    PackageRefused,
    ValidatedPackage,
    limits_from_settings,
    validate_package,
)

logger = logging.getLogger(__name__)
Progress = Callable[[int], None]


class ActivityInUse(Exception):
    """The activity is placed in lessons; ``lessons`` lists them."""

    def __init__(self, activity: H5PActivity, lessons: list):
        self.activity = activity
        self.lessons = lessons
        titles = ", ".join(f"{lesson.title} ({lesson.locale.language_code})" for lesson in lessons)
        super().__init__(
            _("%(title)s is used in %(count)d lesson(s) and cannot be deleted: %(lessons)s")
            % {"title": activity.title, "count": len(lessons), "lessons": titles}
        )


def library_is_installed(machine_name: str, major: int, minor: int) -> bool:
    return H5PLibrary.objects.filter(machine_name=machine_name, major_version=major, minor_version=minor).exists()


def check_package(source: str | Path | IO[bytes], *, name: str, limits: H5PLimits | None = None) -> ValidatedPackage:
    """Validate without storing anything (``import_h5p --dry-run`` and the admin's first step)."""
    return validate_package(source, name=name, limits=limits, is_installed=library_is_installed)


@dataclass
class _Writer:
    """Copies files into storage and remembers them, to delete them if the import fails."""

    written: list[str]

    def save(self, name: str, path: Path) -> None:
        with path.open("rb") as handle:
            stored = default_storage.save(name, File(handle))
        self.written.append(stored)
        if stored != name:  # the folder is new, so the storage has no reason to rename
            raise RuntimeError(f"storage renamed {name!r} to {stored!r}")

    def undo(self) -> None:
        for name in self.written:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("could not delete %s after a failed H5P import", name)
        remove_empty_parents(self.written)


def remove_empty_parents(names: list[str]) -> None:
    """Storages with real folders (the local one) keep empty folders; remove those the import made."""
    parents = {str(parent) for name in names for parent in PurePosixPath(name).parents if str(parent) != "."}
    for folder in sorted(parents, key=lambda item: item.count("/"), reverse=True):
        try:
            if default_storage.exists(folder) and default_storage.listdir(folder) == ([], []):
                default_storage.delete(folder)
        except (OSError, NotImplementedError):
            continue


def import_package(
    source: str | Path | IO[bytes],
    *,
    name: str,
    uploaded_by=None,
    title: str | None = None,
    limits: H5PLimits | None = None,
    progress: Progress | None = None,
    identity: uuid.UUID | None = None,
) -> H5PActivity:
    """Validate a package and store it: its content once, each library once per major.minor version.

    A library already stored at the same or a newer patch is reused; an older patch is replaced by
    this package's newer one (written to a new folder, switched in the same transaction, the old
    folder deleted after commit). Raises ``PackageRefused`` with every problem found. ``identity`` keeps
    the uuid the activity has on another site (a course pack's import, ``courses/packs/``).
    """
    limits = limits or limits_from_settings()
    report = progress or (lambda _percent: None)
    package = check_package(source, name=name, limits=limits)
    report(20)
    writer = _Writer(written=[])
    with tempfile.TemporaryDirectory(prefix="h5p-") as temporary:
        root = Path(temporary)
        _extract(package, root, limits=limits)
        report(40)
        try:
            with transaction.atomic():
                activity = _store(
                    package,
                    root,
                    writer=writer,
                    name=name,
                    uploaded_by=uploaded_by,
                    title=title,
                    report=report,
                    identity=identity,
                )
        except BaseException:
            writer.undo()
            raise
    report(100)
    return activity


def _extract(package: ValidatedPackage, root: Path, *, limits: H5PLimits) -> None:
    """pyh5p's safe extraction (path, extension and size checks again) into the temporary folder."""
    content = pyh5p.H5PPackage(metadata=package.metadata, content=None, libraries=(), files=package.content_files)
    policy = pyh5p.PackageLimits(max_file_size=limits.max_file_bytes, allowed_extensions=frozenset(CONTENT_EXTENSIONS))
    content.extract(root / "content", limits=policy)
    library_policy = pyh5p.PackageLimits(
        max_file_size=limits.max_file_bytes, allowed_extensions=frozenset(LIBRARY_EXTENSIONS)
    )
    for library in package.libraries:
        files = pyh5p.H5PPackage(metadata={}, content=None, libraries=(), files=library.files)
        files.extract(root / "libraries" / library.version.folder, limits=library_policy)


def _store(
    package: ValidatedPackage, root: Path, *, writer: _Writer, name: str, uploaded_by, title, report, identity=None
):
    libraries = []
    stale_folders = []
    count = max(len(package.libraries), 1)
    for index, library in enumerate(package.libraries):
        stored, stale = _store_library(library, root / "libraries" / library.version.folder, writer=writer)
        libraries.append(stored)
        if stale:
            stale_folders.append(stale)
        report(40 + 50 * (index + 1) // count)
    activity = H5PActivity(
        title=(title or package.title)[:255],
        main_library=package.main_library,
        metadata=package.metadata,
        original_filename=Path(name).name[:255],
        expanded_bytes=package.expanded_bytes,
        uploaded_by=uploaded_by,
        uuid=identity or uuid.uuid4(),
    )
    for relative, path in _walk(root / "content"):
        writer.save(f"{activity.folder}/{relative}", path)
    activity.save()
    activity.libraries.set(libraries + _installed_dependencies(package, exclude={lib.pk for lib in libraries}))
    for folder in stale_folders:
        transaction.on_commit(lambda folder=folder: delete_folder(folder))
    return activity


def _store_library(library: PackagedLibrary, source: Path, *, writer: _Writer) -> tuple[H5PLibrary, str | None]:
    version = library.version
    existing = (
        H5PLibrary.objects.select_for_update()
        .filter(machine_name=version.machine_name, major_version=version.major, minor_version=version.minor)
        .first()
    )
    if existing is not None and existing.patch_version >= version.patch:
        return existing, None
    folder = f"{STORAGE_ROOT}/libraries/{version.folder}.{version.patch}-{uuid.uuid4().hex[:8]}"
    for relative, path in _walk(source):
        writer.save(f"{folder}/{relative}", path)
    fields = {
        "patch_version": version.patch,
        "title": library.title[:255],
        "runnable": bool(library.metadata.get("runnable")),
        "metadata": library.metadata,
        "folder": folder,
    }
    if existing is None:
        stored = H5PLibrary.objects.create(
            machine_name=version.machine_name, major_version=version.major, minor_version=version.minor, **fields
        )
        return stored, None
    stale = existing.folder
    for key, value in fields.items():
        setattr(existing, key, value)
    existing.save()
    return existing, stale


def _installed_dependencies(package: ValidatedPackage, *, exclude: set[int]) -> list[H5PLibrary]:
    """Libraries the package needs but did not bring (already installed here)."""
    packaged = {(lib.version.machine_name, lib.version.major, lib.version.minor) for lib in package.libraries}
    wanted = set()
    for source in [package.metadata] + [lib.metadata for lib in package.libraries]:
        for key in ("preloadedDependencies", "dynamicDependencies"):
            for item in source.get(key) or []:
                key_tuple = (item["machineName"], int(item["majorVersion"]), int(item["minorVersion"]))
                if key_tuple not in packaged:
                    wanted.add(key_tuple)
    found = []
    for machine_name, major, minor in sorted(wanted):
        library = H5PLibrary.objects.filter(machine_name=machine_name, major_version=major, minor_version=minor).first()
        if library is not None and library.pk not in exclude:
            found.append(library)
    return found


def _walk(root: Path):
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix(), path


def delete_folder(folder: str) -> None:
    """Delete every file under a storage folder (storages have no recursive delete)."""
    directories, files = default_storage.listdir(folder) if default_storage.exists(folder) else ([], [])
    for file in files:
        default_storage.delete(f"{folder}/{file}")
    for directory in directories:
        delete_folder(f"{folder}/{directory}")
    remove_empty_parents([f"{folder}/-"])


def lessons_using(activity: H5PActivity) -> list:
    """Every lesson (draft or published, in any locale) whose latest body places the activity."""
    return lessons_placing(block_type="h5p", field="activity", pk=activity.pk)


def lessons_placing(*, block_type: str, field: str, pk: int) -> list:
    """Every lesson whose body or latest draft has a ``block_type`` block whose ``field`` is ``pk``."""
    from ..models import LessonPage

    marker = str(pk)

    def places(raw_blocks) -> bool:
        return any(
            isinstance(block, dict)
            and block.get("type") == block_type
            and str((block.get("value") or {}).get(field)) == marker
            for block in raw_blocks or []
        )

    lessons = []
    for lesson in LessonPage.objects.select_related("locale", "latest_revision").order_by("path"):
        draft = lesson.latest_revision.content.get("body") if lesson.latest_revision else None
        if isinstance(draft, str):
            try:
                draft = json.loads(draft)
            except ValueError:
                draft = None
        if places(lesson.body.raw_data) or places(draft):
            lessons.append(lesson)
    return lessons


def delete_activity(*, activity: H5PActivity) -> None:
    """Delete an activity and its content files; refused while a lesson uses it.

    Libraries stay: other activities share them, and they cost nothing to keep.
    """
    lessons = lessons_using(activity)
    if lessons:
        raise ActivityInUse(activity, lessons)
    folder = activity.folder
    with transaction.atomic():
        activity.delete()
        transaction.on_commit(lambda: delete_folder(folder))


def queue_upload(*, file, uploaded_by=None, title: str = "") -> H5PUpload:
    """Keep the uploaded file and queue its validation and extraction (at once under the embedded default)."""
    from .tasks import process_upload_task

    upload = H5PUpload.objects.create(
        file=file, original_filename=Path(file.name).name[:255], uploaded_by=uploaded_by, message=title[:255]
    )
    if courses_settings.CELERY_TASK_ALWAYS_EAGER:
        process_upload_task.apply(args=[upload.pk])  # the embedded default: at once, in this process
    else:
        # A worker must find the row: queue only once the transaction that created it has committed.
        transaction.on_commit(lambda: process_upload_task.delay(upload.pk))
    return upload


def process_upload(*, upload_id: int) -> H5PUpload:
    """Validate and store an upload, recording progress on the row so the admin can show it."""
    upload = H5PUpload.objects.get(pk=upload_id)
    if upload.status in {H5PUpload.Status.DONE, H5PUpload.Status.REFUSED}:
        return upload
    title = upload.message
    H5PUpload.objects.filter(pk=upload.pk).update(status=H5PUpload.Status.RUNNING, progress=5)

    def report(percent: int) -> None:
        H5PUpload.objects.filter(pk=upload.pk).update(progress=min(percent, 99))

    try:
        with upload.file.open("rb") as handle:
            activity = import_package(
                handle,
                name=upload.original_filename,
                uploaded_by=upload.uploaded_by,
                title=title or None,
                progress=report,
            )
    except PackageRefused as exc:
        upload.status, upload.message, upload.progress = H5PUpload.Status.REFUSED, str(exc), 100
        upload.activity = None
    else:
        upload.status, upload.message, upload.progress = H5PUpload.Status.DONE, "", 100
        upload.activity = activity
    upload.save(update_fields=["status", "message", "progress", "activity"])
    upload.file.delete(save=False)  # the package itself is not kept: its files are in storage now
    return upload
