"""Every check an uploaded ``.h5p`` package passes before anything is stored.

``pyh5p`` reads the archive (refusing unsafe paths, symlinks, disallowed extensions, oversized and
over-compressed members, broken JSON) and extracts it safely. It does not check what H5P's own
validator checks about libraries, so this module adds: the archive rules with the project's limits
and H5P's extension allow list (scripts and styles only inside library folders), every library's
``library.json``, folder names matching ``machineName-major.minor``, preloaded files, language
files, dependencies (in the package or already installed), the core API version, media paths in
``content.json`` (an external ``http(s)`` URL is a legitimate media source) and SVG files with
active content. Each problem names the file and the rule.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.etree import ElementTree

import pyh5p
from django.conf import settings
from django.utils.translation import gettext as _
from pyh5p._util import is_safe_relative_path

# H5P core's allow list (H5PCore::$defaultContentWhitelist); libraries may also hold js and css.
H5P_ALLOW_LIST = (
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc "
    "docx xls xlsx ppt pptx odt ods odp xml csv diff patch swf md textile vtt webvtt gltf glb"
)
CONTENT_EXTENSIONS = frozenset(H5P_ALLOW_LIST.split())
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}
LIBRARY_FOLDER = re.compile(r"^(?P<machine_name>[\w.-]+)-(?P<major>\d{1,5})\.(?P<minor>\d{1,5})$")
MACHINE_NAME = re.compile(r"^[\w.-]{1,255}$")
LANGUAGE_FILE = re.compile(r"^(-?[a-z]+){1,7}\.json$", re.IGNORECASE)
VERSION_NUMBER = re.compile(r"^\d{1,5}$")
EMBED_TYPES = {"div", "iframe"}
IGNORED_NAMES = re.compile(r"(^|/)(\.[^/]*|__MACOSX)(/|$)")
SVG_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
SYMLINK_MODE = 0o120000


@dataclass(frozen=True)
class H5PLimits:
    """What an upload may cost; every figure comes from settings (see ``limits_from_settings``)."""

    max_package_bytes: int = 100 * 1024 * 1024
    max_expanded_bytes: int = 250 * 1024 * 1024
    max_file_bytes: int = 50 * 1024 * 1024
    max_members: int = 5_000
    max_compression_ratio: float = 100.0
    core_api: tuple[int, int] = (1, 27)


def limits_from_settings() -> H5PLimits:
    defaults = H5PLimits()
    core_api = str(getattr(settings, "H5P_CORE_API", "1.27")).split(".")
    return H5PLimits(
        max_package_bytes=int(getattr(settings, "H5P_MAX_PACKAGE_BYTES", defaults.max_package_bytes)),
        max_expanded_bytes=int(getattr(settings, "H5P_MAX_EXPANDED_BYTES", defaults.max_expanded_bytes)),
        max_file_bytes=int(getattr(settings, "H5P_MAX_FILE_BYTES", defaults.max_file_bytes)),
        max_members=int(getattr(settings, "H5P_MAX_MEMBERS", defaults.max_members)),
        max_compression_ratio=float(getattr(settings, "H5P_MAX_COMPRESSION_RATIO", defaults.max_compression_ratio)),
        core_api=(int(core_api[0]), int(core_api[1]) if len(core_api) > 1 else 0),
    )


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``file`` is the archive member (or the package) that breaks ``rule``."""

    file: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}: {self.rule}"


class PackageRefused(ValueError):
    """The package breaks at least one rule; nothing was stored."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True, order=True)
class LibraryVersion:
    machine_name: str
    major: int
    minor: int
    patch: int = 0

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}.{self.patch}"


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
        libraries.append(PackagedLibrary(version=_library_version(metadata), metadata=metadata, files=files))
    content_files = {
        member: data
        for member, data in package.files.items()
        if (member == "h5p.json" or member.startswith("content/")) and not IGNORED_NAMES.search(member)
    }
    return ValidatedPackage(metadata=package.metadata, content_files=content_files, libraries=libraries)


def _refuse(file: str, rule: str) -> PackageRefused:
    return PackageRefused([Problem(file, rule)])


def _size(source: str | Path | IO[bytes]) -> int:
    if isinstance(source, (str, Path)):
        return Path(source).stat().st_size
    position = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(position)
    return size


def _open_zip(source: str | Path | IO[bytes], *, name: str) -> zipfile.ZipFile:
    if not isinstance(source, (str, Path)):
        source.seek(0)
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _refuse(name, _("not a zip archive (an .h5p file is a zip archive)")) from exc


def _check_archive(source: str | Path | IO[bytes], *, name: str, limits: H5PLimits) -> None:
    """Archive-level rules, from the central directory alone: nothing is decompressed yet."""
    if _size(source) > limits.max_package_bytes:
        raise _refuse(name, _("the package is larger than %(limit)d bytes") % {"limit": limits.max_package_bytes})
    with _open_zip(source, name=name) as archive:
        infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise _refuse(
            name,
            _("the archive holds %(count)d members, more than the limit of %(limit)d")
            % {"count": len(infos), "limit": limits.max_members},
        )
    problems: list[Problem] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        member = info.filename
        if not _is_safe_member_name(member):
            problems.append(Problem(member, _("unsafe path (absolute, backslash, drive letter or '..')")))
            continue
        if member in seen:
            problems.append(Problem(member, _("appears twice in the archive")))
        seen.add(member)
        if (info.external_attr >> 16) & 0o170000 == SYMLINK_MODE:
            problems.append(Problem(member, _("symbolic links are not allowed")))
            continue
        if info.is_dir() or IGNORED_NAMES.search(member):
            continue
        extension = PurePosixPath(member).suffix.lower().lstrip(".")
        in_library = not (member == "h5p.json" or member.startswith("content/"))
        allowed = LIBRARY_EXTENSIONS if in_library else CONTENT_EXTENSIONS
        if extension not in allowed:
            where = _("library files") if in_library else _("content files")
            problems.append(
                Problem(
                    member,
                    _("the extension %(ext)r is not on H5P's allow list for %(where)s")
                    % {
                        "ext": extension or "(none)",
                        "where": where,
                    },
                )
            )
            continue
        if info.file_size > limits.max_file_bytes:
            problems.append(
                Problem(member, _("larger than %(limit)d bytes once extracted") % {"limit": limits.max_file_bytes})
            )
        if info.file_size > 1024 and info.file_size / max(info.compress_size, 1) > limits.max_compression_ratio:
            problems.append(
                Problem(
                    member,
                    _("compressed more than %(ratio)d to 1 (a zip bomb?)") % {"ratio": limits.max_compression_ratio},
                )
            )
        total += info.file_size
    if total > limits.max_expanded_bytes:
        problems.append(Problem(name, _("expands to more than %(limit)d bytes") % {"limit": limits.max_expanded_bytes}))
    if problems:
        raise PackageRefused(problems)


def _is_safe_member_name(member: str) -> bool:
    if "\\" in member or member.startswith("/") or re.match(r"^[A-Za-z]:", member):
        return False
    return is_safe_relative_path(member.rstrip("/"))


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
        raise _refuse(file, detail) from exc
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
            if member != "h5p.json":
                problems.append(Problem(member, _("files belong in content/ or in a library folder")))
        elif top != "content":
            folders.setdefault(top, {})[rest] = data
    available: set[tuple[str, int, int]] = set()
    libraries: list[tuple[str, dict[str, Any]]] = []
    for folder, files in sorted(folders.items()):
        metadata, folder_problems = _check_library(folder, files, limits=limits)
        problems += folder_problems
        if metadata is not None and not folder_problems:
            version = _library_version(metadata)
            available.add((version.machine_name, version.major, version.minor))
            libraries.append((folder, metadata))
    for member, data in package.files.items():
        if member.lower().endswith(".svg"):
            problems += [Problem(member, rule) for rule in svg_problems(data)]
    if problems:
        return problems
    problems += _check_dependencies(package.metadata, libraries, available=available, is_installed=is_installed)
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
            problems += _check_dependency_list("h5p.json", key, metadata[key])
    return problems


def _check_dependency_list(file: str, key: str, value: Any) -> list[Problem]:
    if not isinstance(value, list):
        return [Problem(file, _("%(key)r must be a list") % {"key": key})]
    problems = []
    for index, item in enumerate(value):
        if not (
            isinstance(item, Mapping)
            and isinstance(item.get("machineName"), str)
            and MACHINE_NAME.match(item["machineName"])
            and VERSION_NUMBER.match(str(item.get("majorVersion", "")))
            and VERSION_NUMBER.match(str(item.get("minorVersion", "")))
        ):
            problems.append(
                Problem(
                    file,
                    _("%(key)s[%(index)d] must name machineName, majorVersion and minorVersion")
                    % {"key": key, "index": index},
                )
            )
    return problems


def _check_library(folder: str, files: Mapping[str, bytes], *, limits: H5PLimits):
    """The rules for one library folder; returns its library.json (or None) and the problems found."""
    file = f"{folder}/library.json"
    if not LIBRARY_FOLDER.match(folder):
        return None, [Problem(folder, _("a library folder's name must be machineName-major.minor"))]
    if "library.json" not in files:
        return None, [Problem(file, _("is missing: every library folder needs one"))]
    try:
        metadata = json.loads(files["library.json"].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [Problem(file, _("is not valid JSON (%(error)s)") % {"error": exc})]
    if not isinstance(metadata, dict):
        return None, [Problem(file, _("must contain a JSON object"))]
    problems = []
    title = metadata.get("title")
    if not (isinstance(title, str) and 0 < len(title) <= 255):
        problems.append(Problem(file, _("'title' is required (1 to 255 characters)")))
    machine_name = metadata.get("machineName")
    if not (isinstance(machine_name, str) and MACHINE_NAME.match(machine_name)):
        problems.append(Problem(file, _("'machineName' is required (letters, digits, '.', '-', '_')")))
    for key in ("majorVersion", "minorVersion", "patchVersion"):
        value = metadata.get(key)
        if isinstance(value, bool) or not VERSION_NUMBER.match(str(value if value is not None else "")):
            problems.append(Problem(file, _("%(key)r is required (a whole number)") % {"key": key}))
    if metadata.get("runnable") not in (0, 1, True, False):
        problems.append(Problem(file, _("'runnable' is required (0 or 1)")))
    for key in ("preloadedJs", "preloadedCss"):
        entries = metadata.get(key, [])
        if not isinstance(entries, list) or not all(
            isinstance(entry, Mapping) and isinstance(entry.get("path"), str) for entry in entries
        ):
            problems.append(Problem(file, _('%(key)r must be a list of {"path": ...}') % {"key": key}))
            continue
        for entry in entries:
            path = entry["path"]
            if not is_safe_relative_path(path) or path not in files:
                problems.append(
                    Problem(f"{folder}/{path}", _("is listed in %(key)s but is not in the package") % {"key": key})
                )
    for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
        if key in metadata:
            problems += _check_dependency_list(file, key, metadata[key])
    if "coreApi" in metadata:
        core = metadata["coreApi"]
        try:
            wanted = (int(core["majorVersion"]), int(core.get("minorVersion", 0)))
        except (TypeError, KeyError, ValueError):
            problems.append(Problem(file, _("'coreApi' must give majorVersion and minorVersion")))
        else:
            if wanted > limits.core_api:
                problems.append(
                    Problem(
                        file,
                        _("needs H5P core API %(wanted)s; this site supports up to %(supported)s")
                        % {"wanted": "{}.{}".format(*wanted), "supported": "{}.{}".format(*limits.core_api)},
                    )
                )
    for name, data in files.items():
        if name.startswith("language/") and name.count("/") == 1 and not IGNORED_NAMES.search(name):
            language = name.split("/", 1)[1]
            if not LANGUAGE_FILE.match(language):
                problems.append(Problem(f"{folder}/{name}", _("a language file must be named like 'bn.json'")))
                continue
            try:
                json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                problems.append(Problem(f"{folder}/{name}", _("is not valid JSON")))
    if not problems:
        expected = _library_version(metadata).folder
        if folder != expected:
            problems.append(
                Problem(
                    folder,
                    _("the folder name does not match its library.json (expected %(expected)r)")
                    % {"expected": expected},
                )
            )
    return metadata, problems


def _library_version(metadata: Mapping[str, Any]) -> LibraryVersion:
    return LibraryVersion(
        machine_name=metadata["machineName"],
        major=int(metadata["majorVersion"]),
        minor=int(metadata["minorVersion"]),
        patch=int(metadata["patchVersion"]),
    )


def _dependencies(metadata: Mapping[str, Any]) -> Iterable[tuple[str, int, int]]:
    for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
        for item in metadata.get(key) or []:
            yield item["machineName"], int(item["majorVersion"]), int(item["minorVersion"])


def _check_dependencies(
    metadata: Mapping[str, Any],
    libraries: list[tuple[str, dict[str, Any]]],
    *,
    available: set[tuple[str, int, int]],
    is_installed: InstalledLookup,
) -> list[Problem]:
    problems = []
    wanted = [("h5p.json", dependency) for dependency in _dependencies(metadata)]
    wanted += [
        (f"{folder}/library.json", dependency) for folder, meta in libraries for dependency in _dependencies(meta)
    ]
    for file, (machine_name, major, minor) in wanted:
        if (machine_name, major, minor) not in available and not is_installed(machine_name, major, minor):
            problems.append(
                Problem(
                    file,
                    _("needs the library %(library)s, which is neither in the package nor installed")
                    % {"library": f"{machine_name}-{major}.{minor}"},
                )
            )
    main = metadata["mainLibrary"]
    if not any(
        name == main
        for name, _major, _minor in _dependencies({"preloadedDependencies": metadata["preloadedDependencies"]})
    ):
        problems.append(
            Problem("h5p.json", _("the main library %(main)r is not among preloadedDependencies") % {"main": main})
        )
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


def svg_problems(data: bytes) -> list[str]:
    """Why an SVG could run script if opened on the site (empty when it is plain drawing)."""
    if re.search(rb"<!doctype[^>\[]*\[", data[:8192], re.IGNORECASE) or re.search(rb"<!entity", data, re.IGNORECASE):
        return [_("SVG with an internal DTD or entities is refused")]
    try:
        # Safe here: documents with a DTD internal subset or entities were refused above.
        events = ElementTree.iterparse(io.BytesIO(data), events=("start",))  # noqa: S314
        problems: list[str] = []
        for _event, element in events:
            tag = element.tag.rsplit("}", 1)[-1].lower()
            if tag in SVG_FORBIDDEN_ELEMENTS:
                problems.append(_("SVG with a <%(tag)s> element is refused") % {"tag": tag})
            for attribute, value in element.attrib.items():
                local = attribute.rsplit("}", 1)[-1].lower()
                text = re.sub(r"\s", "", value).lower()
                if local.startswith("on"):
                    problems.append(_("SVG with an event handler attribute (%(attr)s) is refused") % {"attr": local})
                elif local == "href" and not (text.startswith("#") or text.startswith("data:image/")):
                    problems.append(_("SVG that links to %(href)r is refused") % {"href": value[:80]})
                elif "javascript:" in text:
                    problems.append(_("SVG with a javascript: URL is refused"))
            if (
                tag == "style"
                and element.text
                and ("javascript:" in element.text.lower() or "@import" in element.text.lower())
            ):
                problems.append(_("SVG with a style sheet that imports or runs code is refused"))
        return sorted(set(problems))
    except ElementTree.ParseError as exc:
        return [_("not a well-formed SVG (%(error)s)") % {"error": exc}]
