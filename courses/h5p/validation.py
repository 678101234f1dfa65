"""Every check an uploaded ``.h5p`` package passes before anything is stored.

``pyh5p`` reads the archive (refusing unsafe paths, symlinks, disallowed extensions, oversized and
over-compressed members, broken JSON) and extracts it safely. It does not check what H5P's own
validator checks about libraries, so this module adds: the archive rules with the project's limits
and H5P's extension allow list (scripts and styles only inside library folders), every library's
``library.json``, folder names matching ``machineName-major.minor``, preloaded files, language
files, dependencies (in the package or already installed), the core API version, media paths in
``content.json`` (an external ``http(s)`` URL is a legitimate media source) and SVG files with
active content. Each problem names the file and the rule. The archive rules shared with SCORM are in
``courses/archives.py``, the library rules in ``libraries.py``; files with an allowed extension beside
``h5p.json`` (a readme) are accepted, as H5P core accepts them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyh5p
from django.utils.translation import gettext as _
from pyh5p._util import is_safe_relative_path

from ..archives import (
    IGNORED_NAMES,
    ArchiveLimits,
    PackageRefused,
    Problem,
    check_archive,
    refuse,
    scan_upload,
    svg_problems,
)
from ..archives import (
    limits_from_settings as archive_limits_from_settings,
)
from ..conf import courses_settings
from .libraries import (
    LIBRARY_FOLDER,
    MACHINE_NAME,
    LibraryVersion,
    check_dependencies,
    check_dependency_list,
    check_library,
    library_version,
)

__all__ = [
    "LIBRARY_FOLDER",
    "H5PLimits",
    "PackageRefused",
    "Problem",
    "ValidatedPackage",
    "svg_problems",
    "validate_package",
]

# H5P core's allow list (H5PCore::$defaultContentWhitelist); libraries may also hold js and css.
H5P_ALLOW_LIST = (
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc "
    "docx xls xlsx ppt pptx odt ods odp xml csv diff patch swf md textile vtt webvtt gltf glb"
)
CONTENT_EXTENSIONS = frozenset(H5P_ALLOW_LIST.split())
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}
EMBED_TYPES = {"div", "iframe"}


@dataclass(frozen=True)
class H5PLimits(ArchiveLimits):
    """What an upload may cost; every figure comes from settings (see ``limits_from_settings``)."""

    core_api: tuple[int, int] = (1, 27)


def limits_from_settings() -> H5PLimits:
    core_api = str(courses_settings.H5P_CORE_API).split(".")
    return H5PLimits(
        **archive_limits_from_settings("H5P"),
        core_api=(int(core_api[0]), int(core_api[1]) if len(core_api) > 1 else 0),
    )


@dataclass
class PackagedLibrary:
    version: LibraryVersion
    metadata: dict[str, Any]
    files: dict[str, bytes]  # relative to the library folder

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))


@dataclass
class ValidatedPackage:
    """A package that passed every rule, held in memory until it is stored."""

    metadata: dict[str, Any]
    content_files: dict[str, bytes]  # h5p.json and content/..., relative to the content folder
    libraries: list[PackagedLibrary] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.metadata["title"]).strip()

    @property
    def main_library(self) -> str:
        return str(self.metadata["mainLibrary"])

    @property
    def expanded_bytes(self) -> int:
        return sum(map(len, self.content_files.values())) + sum(
            len(data) for library in self.libraries for data in library.files.values()
        )


InstalledLookup = Callable[[str, int, int], bool]


def validate_package(
    source: str | Path | IO[bytes],
    *,
    name: str,
    limits: H5PLimits | None = None,
    is_installed: InstalledLookup | None = None,
) -> ValidatedPackage:
    """Check a package against every rule and return it, or raise ``PackageRefused`` naming each problem.

    ``name`` is the uploaded file's name, used in messages about the archive as a whole;
    ``is_installed(machine_name, major, minor)`` says whether a library is already stored here.
    """
    limits = limits or limits_from_settings()
    is_installed = is_installed or (lambda *_args: False)
    _check_archive(source, name=name, limits=limits)
    scan_upload(source, name=name)
    package = _read(source, name=name, limits=limits)
    problems = _check_package(package, limits=limits, is_installed=is_installed)
    if problems:
        raise PackageRefused(problems)
    libraries = []
    by_folder: dict[str, dict[str, bytes]] = {}
    for member, data in package.files.items():
        if IGNORED_NAMES.search(member):
            continue
        top, _sep, rest = member.partition("/")
        if top != "content" and rest:
            by_folder.setdefault(top, {})[rest] = data
    for _folder, files in sorted(by_folder.items()):
        metadata = json.loads(files["library.json"])
        libraries.append(PackagedLibrary(version=library_version(metadata), metadata=metadata, files=files))
    content_files = {
        member: data
        for member, data in package.files.items()
        if (member == "h5p.json" or member.startswith("content/")) and not IGNORED_NAMES.search(member)
    }
    return ValidatedPackage(metadata=package.metadata, content_files=content_files, libraries=libraries)


def _allowed_for(member: str) -> tuple[frozenset[str], str]:
    """Content files (h5p.json, content/..., and files such as a readme beside h5p.json) and library files."""
    if "/" not in member or member.startswith("content/"):
        return CONTENT_EXTENSIONS, _("H5P's allow list for content files")
    return LIBRARY_EXTENSIONS, _("H5P's allow list for library files")


def _check_archive(source: str | Path | IO[bytes], *, name: str, limits: H5PLimits) -> None:
    check_archive(source, name=name, limits=limits, allowed_for=_allowed_for, kind=_("an .h5p file"))


def _read(source: str | Path | IO[bytes], *, name: str, limits: H5PLimits) -> pyh5p.H5PPackage:
    """Read with pyh5p under the same limits; its refusals (mostly broken JSON) keep their wording."""
    policy = pyh5p.PackageLimits(
        max_files=limits.max_members,
        max_file_size=limits.max_file_bytes,
        max_total_size=limits.max_expanded_bytes,
        max_compression_ratio=max(limits.max_compression_ratio, 1024.0),  # small files: checked above
        allowed_extensions=frozenset(LIBRARY_EXTENSIONS),
    )
    if not isinstance(source, (str, Path)):
        source.seek(0)
        source = source.read()
    try:
        package = pyh5p.read_package(source, limits=policy)
    except pyh5p.PackageError as exc:
        detail = f"{exc}: {exc.__cause__}" if exc.__cause__ else str(exc)
        file = _file_named_in(str(exc)) or name
        raise refuse(file, detail) from exc
    return package


def _file_named_in(message: str) -> str | None:
    for file in ("content/content.json", "h5p.json"):
        if message.startswith(file):
            return file
    match = re.search(r"library definition in (\S+)", message)
    return f"{match[1]}/library.json" if match else None


def _check_package(package: pyh5p.H5PPackage, *, limits: H5PLimits, is_installed: InstalledLookup) -> list[Problem]:
    problems = _check_h5p_json(package.metadata)
    if package.content is None:
        problems.append(Problem("content/content.json", _("is missing")))
    else:
        problems += _check_media_paths(package.content, package.files)
    folders: dict[str, dict[str, bytes]] = {}
    for member, data in package.files.items():
        if IGNORED_NAMES.search(member):
            continue
        top, _sep, rest = member.partition("/")
        if not rest:
            continue  # h5p.json, or a file such as a readme beside it (its extension was checked above)
        if top != "content":
            folders.setdefault(top, {})[rest] = data
    available: set[tuple[str, int, int]] = set()
    libraries: list[tuple[str, dict[str, Any]]] = []
    for folder, files in sorted(folders.items()):
        metadata, folder_problems = check_library(folder, files, limits=limits)
        problems += folder_problems
        if metadata is not None and not folder_problems:
            version = library_version(metadata)
            available.add((version.machine_name, version.major, version.minor))
            libraries.append((folder, metadata))
    for member, data in package.files.items():
        if member.lower().endswith(".svg"):
            problems += [Problem(member, rule) for rule in svg_problems(data)]
    if problems:
        return problems
    problems += check_dependencies(package.metadata, libraries, available=available, is_installed=is_installed)
    return problems


def _check_h5p_json(metadata: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for key in ("title", "mainLibrary", "language", "preloadedDependencies", "embedTypes"):
        if key not in metadata:
            problems.append(Problem("h5p.json", _("the required property %(key)r is missing") % {"key": key}))
    for key in ("title", "language"):
        if key in metadata and (not isinstance(metadata[key], str) or not metadata[key].strip()):
            problems.append(Problem("h5p.json", _("%(key)r must be a non-empty string") % {"key": key}))
    main = metadata.get("mainLibrary")
    if "mainLibrary" in metadata and not (isinstance(main, str) and MACHINE_NAME.match(main)):
        problems.append(Problem("h5p.json", _("'mainLibrary' must be a library machine name")))
    embed_types = metadata.get("embedTypes")
    if "embedTypes" in metadata and not (
        isinstance(embed_types, list) and embed_types and set(embed_types) <= EMBED_TYPES
    ):
        problems.append(Problem("h5p.json", _("'embedTypes' must list 'div' and/or 'iframe'")))
    for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
        if key in metadata:
            problems += check_dependency_list("h5p.json", key, metadata[key])
    return problems


def _check_media_paths(content: Any, files: Mapping[str, bytes], where: str = "content/content.json") -> list[Problem]:
    """Every ``path`` in content.json is a packaged file under content/ or an external http(s) URL."""
    problems = []
    for path in _media_paths(content):
        if re.match(r"^https?://", path, re.IGNORECASE):
            continue
        relative = path.split("#", 1)[0]
        if not is_safe_relative_path(relative):
            problems.append(Problem(where, _("the media path %(path)r is unsafe") % {"path": path}))
        elif f"content/{relative}" not in files:
            problems.append(Problem(where, _("the media file %(path)r is not in the package") % {"path": path}))
    return problems


def _media_paths(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "path" and isinstance(item, str):
                yield item
            elif key != "path":
                yield from _media_paths(item)
    elif isinstance(value, list):
        for item in value:
            yield from _media_paths(item)
