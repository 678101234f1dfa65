"""The archive rules every uploaded package (H5P, SCORM) passes before anything is read or stored.

From the zip's central directory alone, nothing decompressed yet: the package's size, the number of
members, unsafe member names (absolute, backslash, drive letter, ``..``), duplicates, symbolic links,
extensions off the package type's allow list, members too large once extracted, members compressed
suspiciously well (a zip bomb) and the expanded total. Each problem names the member and the rule,
and the package types add their own rules on top (``courses/h5p/validation.py``,
``courses/scorm/manifest.py``). ``svg_problems`` says why an SVG could run script if opened on the
site; ``scan_upload`` hands the package to ClamAV when a scanner is configured (docs/scorm.md).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree import ElementTree

from django.utils.translation import gettext as _

IGNORED_NAMES = re.compile(r"(^|/)(\.[^/]*|__MACOSX)(/|$)")
SVG_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
SYMLINK_MODE = 0o120000
Source = str | Path | IO[bytes]


@dataclass(frozen=True)
class ArchiveLimits:
    """What an upload may cost; each package type reads its figures from settings."""

    max_package_bytes: int = 100 * 1024 * 1024
    max_expanded_bytes: int = 250 * 1024 * 1024
    max_file_bytes: int = 50 * 1024 * 1024
    max_members: int = 5_000
    max_compression_ratio: float = 100.0


def limits_from_settings(prefix: str) -> dict:
    """The five limits of the package type whose settings start with ``prefix`` (``H5P``, ``SCORM``)."""
    from .conf import courses_settings

    return {
        "max_package_bytes": int(getattr(courses_settings, f"{prefix}_MAX_PACKAGE_BYTES")),
        "max_expanded_bytes": int(getattr(courses_settings, f"{prefix}_MAX_EXPANDED_BYTES")),
        "max_file_bytes": int(getattr(courses_settings, f"{prefix}_MAX_FILE_BYTES")),
        "max_members": int(getattr(courses_settings, f"{prefix}_MAX_MEMBERS")),
        "max_compression_ratio": float(getattr(courses_settings, f"{prefix}_MAX_COMPRESSION_RATIO")),
    }


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


def refuse(file: str, rule: str) -> PackageRefused:
    return PackageRefused([Problem(file, rule)])


# Which extensions a member may have: (allowed set, the list's name in a refusal, "H5P's allow list for ...").
AllowedFor = Callable[[str], tuple[frozenset[str] | set[str], str]]


def size_of(source: Source) -> int:
    if isinstance(source, (str, Path)):
        return Path(source).stat().st_size
    position = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(position)
    return size


def open_zip(source: Source, *, name: str, kind: str) -> zipfile.ZipFile:
    """The archive, or a refusal saying that ``name`` is not a zip (``kind``: "an .h5p file", ...)."""
    if not isinstance(source, (str, Path)):
        source.seek(0)
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse(name, _("not a zip archive (%(kind)s is a zip archive)") % {"kind": kind}) from exc


def is_safe_relative_path(path: str) -> bool:
    """A relative POSIX path that stays inside its folder (no empty, ``.`` or ``..`` parts)."""
    if not path or path.startswith("/") or "\x00" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def is_safe_member_name(member: str) -> bool:
    if "\\" in member or member.startswith("/") or re.match(r"^[A-Za-z]:", member):
        return False
    return is_safe_relative_path(member.rstrip("/"))


def extension_of(member: str) -> str:
    return PurePosixPath(member).suffix.lower().lstrip(".")


def check_archive(source: Source, *, name: str, limits: ArchiveLimits, allowed_for: AllowedFor, kind: str) -> None:
    """Archive-level rules, from the central directory alone; raises PackageRefused naming each problem."""
    if size_of(source) > limits.max_package_bytes:
        raise refuse(name, _("the package is larger than %(limit)d bytes") % {"limit": limits.max_package_bytes})
    with open_zip(source, name=name, kind=kind) as archive:
        infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise refuse(
            name,
            _("the archive holds %(count)d members, more than the limit of %(limit)d")
            % {"count": len(infos), "limit": limits.max_members},
        )
    problems: list[Problem] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        member = info.filename
        if not is_safe_member_name(member):
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
        extension = extension_of(member)
        allowed, where = allowed_for(member)
        if extension not in allowed:
            problems.append(
                Problem(
                    member,
                    _("the extension %(ext)r is not on %(where)s") % {"ext": extension or "(none)", "where": where},
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


def read_members(source: Source, *, name: str, kind: str, limits: ArchiveLimits) -> dict[str, bytes]:
    """Every file member's bytes (after ``check_archive``), reading no member past its declared size."""
    files: dict[str, bytes] = {}
    with open_zip(source, name=name, kind=kind) as archive:
        for info in archive.infolist():
            if info.is_dir() or IGNORED_NAMES.search(info.filename):
                continue
            with archive.open(info) as handle:
                data = handle.read(min(info.file_size, limits.max_file_bytes) + 1)
            if len(data) != info.file_size:
                raise refuse(info.filename, _("its size does not match the archive's directory"))
            files[info.filename] = data
    return files


def scan_upload(source: Source, *, name: str) -> None:
    """Hand the package to ClamAV when a scanner is configured; a finding or an unreachable scanner refuses it."""
    from foundation.clamav import ScannerUnavailable, VirusFound, scan, scanner_configured

    if not scanner_configured():
        return
    if isinstance(source, (str, Path)):
        with Path(source).open("rb") as handle:
            data = handle.read()
    else:
        source.seek(0)
        data = source.read()
        source.seek(0)
    try:
        scan(data)
    except VirusFound as found:
        raise refuse(name, _("the virus scanner found %(signature)s") % {"signature": found.signature}) from None
    except ScannerUnavailable as exc:
        raise refuse(
            name,
            _("the virus scanner is configured but could not be reached (%(error)s); try again later") % {"error": exc},
        ) from None


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
