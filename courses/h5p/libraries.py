"""The rules for an H5P package's libraries: each ``library.json``, folder names, dependencies.

Split out of ``validation.py``, which applies them; each problem names the file and the rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from pyh5p._util import is_safe_relative_path

from ..archives import IGNORED_NAMES, Problem

if TYPE_CHECKING:
    from .validation import H5PLimits, InstalledLookup

LIBRARY_FOLDER = re.compile(r"^(?P<machine_name>[\w.-]+)-(?P<major>\d{1,5})\.(?P<minor>\d{1,5})$")
MACHINE_NAME = re.compile(r"^[\w.-]{1,255}$")
LANGUAGE_FILE = re.compile(r"^(-?[a-z]+){1,7}\.json$", re.IGNORECASE)
VERSION_NUMBER = re.compile(r"^\d{1,5}$")


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


def check_dependency_list(file: str, key: str, value: Any) -> list[Problem]:
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


def check_library(folder: str, files: Mapping[str, bytes], *, limits: H5PLimits):
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
            problems += check_dependency_list(file, key, metadata[key])
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
        expected = library_version(metadata).folder
        if folder != expected:
            problems.append(
                Problem(
                    folder,
                    _("the folder name does not match its library.json (expected %(expected)r)")
                    % {"expected": expected},
                )
            )
    return metadata, problems


def library_version(metadata: Mapping[str, Any]) -> LibraryVersion:
    return LibraryVersion(
        machine_name=metadata["machineName"],
        major=int(metadata["majorVersion"]),
        minor=int(metadata["minorVersion"]),
        patch=int(metadata["patchVersion"]),
    )


def dependencies(metadata: Mapping[str, Any]) -> Iterable[tuple[str, int, int]]:
    for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
        for item in metadata.get(key) or []:
            yield item["machineName"], int(item["majorVersion"]), int(item["minorVersion"])


def check_dependencies(
    metadata: Mapping[str, Any],
    libraries: list[tuple[str, dict[str, Any]]],
    *,
    available: set[tuple[str, int, int]],
    is_installed: InstalledLookup,
) -> list[Problem]:
    problems = []
    wanted = [("h5p.json", dependency) for dependency in dependencies(metadata)]
    wanted += [
        (f"{folder}/library.json", dependency) for folder, meta in libraries for dependency in dependencies(meta)
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
        for name, _major, _minor in dependencies({"preloadedDependencies": metadata["preloadedDependencies"]})
    ):
        problems.append(
            Problem("h5p.json", _("the main library %(main)r is not among preloadedDependencies") % {"main": main})
        )
    return problems
