"""Every check an uploaded SCORM package passes before anything is stored.

The archive goes through the rules every package passes (``courses/archives.py``: traversal, links,
bombs, member counts, sizes) with this module's allow list of web-content extensions, then ClamAV when
configured. The manifest, ``imsmanifest.xml`` at the archive's root, is parsed by defusedxml (no
entity expansion, no external DTD or entity fetched, so nothing reaches the network). A package is
refused by name when its manifest is missing or not at the root, when it is an AICC course (``.crs``,
``.au``, ``.des``, ``.cst`` files) instead, when the manifest is empty or not well-formed, when its
SCORM version is not 1.2 or 2004, and when it has no launchable SCO or launches a missing file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from ..archives import (
    ArchiveLimits,
    PackageRefused,
    Problem,
    Source,
    check_archive,
    is_safe_relative_path,
    open_zip,
    read_members,
    refuse,
    scan_upload,
    svg_problems,
)
from ..archives import (
    limits_from_settings as archive_limits_from_settings,
)

MANIFEST = "imsmanifest.xml"
SCORM_ALLOW_LIST = (
    "html htm xhtml js mjs css json xml xsd dtd txt md csv png jpg jpeg gif bmp svg webp ico tif tiff "
    "mp3 m4a wav ogg oga mp4 m4v webm ogv vtt webvtt pdf woff woff2 ttf otf eot"
)
SCORM_EXTENSIONS = frozenset(SCORM_ALLOW_LIST.split())
AICC_EXTENSIONS = {".crs", ".au", ".des", ".cst", ".ort", ".pre", ".cmp"}
KIND = "a SCORM package"


def limits_from_settings() -> ArchiveLimits:
    return ArchiveLimits(**archive_limits_from_settings("SCORM"))


@dataclass
class ValidatedScorm:
    """A package that passed every rule, held in memory until it is stored."""

    title: str
    version: str  # "1.2" or "2004"
    edition: str
    identifier: str
    scos: list[dict[str, str]]
    files: dict[str, bytes] = field(repr=False)

    @property
    def expanded_bytes(self) -> int:
        return sum(map(len, self.files.values()))


def validate_package(source: Source, *, name: str, limits: ArchiveLimits | None = None) -> ValidatedScorm:
    """Check a package against every rule and return it, or raise ``PackageRefused`` naming each problem."""
    limits = limits or limits_from_settings()
    _check_structure(source, name=name)
    check_archive(
        source,
        name=name,
        limits=limits,
        allowed_for=lambda _m: (SCORM_EXTENSIONS, _("the SCORM allow list")),
        kind=KIND,
    )
    scan_upload(source, name=name)
    files = read_members(source, name=name, kind=KIND, limits=limits)
    root = _parse(files[MANIFEST])
    package = _read_manifest(root, files=files)
    problems = [
        Problem(member, rule)
        for member, data in files.items()
        if member.lower().endswith(".svg")
        for rule in svg_problems(data)
    ]
    if problems:
        raise PackageRefused(problems)
    return package


def _check_structure(source: Source, *, name: str) -> None:
    """The manifest at the root, or a refusal saying where it is, that it is absent, or that this is AICC."""
    with open_zip(source, name=name, kind=KIND) as archive:
        members = [info.filename for info in archive.infolist() if not info.is_dir()]
    if MANIFEST in members:
        return
    nested = sorted(member for member in members if PurePosixPath(member).name.lower() == MANIFEST)
    if nested:
        raise refuse(
            name,
            _(
                "imsmanifest.xml is at %(where)s, not at the root of the archive (zip the package's contents, "
                "not its folder)"
            )
            % {"where": nested[0]},
        )
    aicc = sorted(member for member in members if PurePosixPath(member).suffix.lower() in AICC_EXTENSIONS)
    if aicc:
        raise refuse(
            name,
            _("this is an AICC course (%(files)s), not a SCORM package: export it as SCORM 1.2 or 2004")
            % {"files": ", ".join(aicc[:4])},
        )
    raise refuse(name, _("there is no imsmanifest.xml at the root of the archive: this is not a SCORM package"))


def _parse(data: bytes) -> Element:
    text = re.sub(rb"^\s*(<\?xml[^>]*\?>)?\s*", b"", data, count=1)
    if not text.strip():
        raise refuse(MANIFEST, _("the manifest is empty: it has no organization and no launchable resource"))
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise refuse(MANIFEST, _("entities and external references are refused (%(error)s)") % {"error": exc}) from None
    except ParseError as exc:
        raise refuse(MANIFEST, _("is not well-formed XML (%(error)s)") % {"error": exc}) from None


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _attribute(element: Element, name: str) -> str:
    """An attribute by local name, whatever its namespace (``adlcp:scormtype`` or ``adlcp:scormType``)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _text(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _version(root: Element) -> tuple[str, str]:
    metadata = _child(root, "metadata")
    stated = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    namespaces = (
        " ".join(str(element.tag) for element in root.iter())
        + " "
        + " ".join(key for element in root.iter() for key in element.attrib)
    )
    if stated.startswith("2004") or stated == "CAM 1.3" or "adlcp_v1p3" in namespaces:
        return "2004", stated or "2004"
    if stated == "1.2" or "adlcp_rootv1p2" in namespaces or not stated:
        return "1.2", stated or "1.2"
    raise refuse(
        MANIFEST,
        _("SCORM version %(version)r is not supported (SCORM 1.2 and 2004 are)") % {"version": stated},
    )


def _tracking(item: Element, version: str) -> dict[str, Any]:
    """What the manifest says about tracking a SCO that does not report: SCORM 1.2's
    ``adlcp:masteryscore`` (0-100), SCORM 2004's ``imsss:deliveryControls`` set-by-content flags
    (default false: the LMS sets completion and satisfaction when the attempt ends unreported)."""
    if version == "1.2":
        try:
            mastery = float(_text(_child(item, "masteryscore")))
        except ValueError:
            return {}
        return {"mastery_score": mastery} if 0 <= mastery <= 100 else {}
    sequencing = _child(item, "sequencing")
    controls = _child(sequencing, "deliveryControls") if sequencing is not None else None
    if controls is None:
        return {"completion_set_by_content": False, "objective_set_by_content": False}
    return {
        "completion_set_by_content": _attribute(controls, "completionSetByContent").lower() == "true",
        "objective_set_by_content": _attribute(controls, "objectiveSetByContent").lower() == "true",
    }


def _read_manifest(root: Element, *, files: dict[str, bytes]) -> ValidatedScorm:
    if _local(root.tag) != "manifest":
        raise refuse(MANIFEST, _("the root element must be <manifest>, not <%(tag)s>") % {"tag": _local(root.tag)})
    version, edition = _version(root)
    resources_element = _child(root, "resources")
    resources = {
        _attribute(resource, "identifier"): resource
        for resource in (_children(resources_element, "resource") if resources_element is not None else [])
    }
    organizations = _child(root, "organizations")
    candidates = _children(organizations, "organization") if organizations is not None else []
    default = _attribute(organizations, "default") if organizations is not None else ""
    organization = next((org for org in candidates if _attribute(org, "identifier") == default), None)
    organization = organization if organization is not None else (candidates[0] if candidates else None)
    if organization is None:
        raise refuse(MANIFEST, _("the manifest has no organization: there is nothing to launch"))
    base = _attribute(resources_element, "base") if resources_element is not None else ""
    scos: list[dict[str, str]] = []
    problems: list[Problem] = []
    for item in organization.iter():
        if _local(item.tag) != "item" or not _attribute(item, "identifierref"):
            continue
        if _attribute(item, "isvisible").lower() == "false":
            continue
        resource = resources.get(_attribute(item, "identifierref"))
        if resource is None or _attribute(resource, "scormtype").lower() != "sco":
            continue
        href = _attribute(resource, "href")
        path = str(PurePosixPath(base or ".") / (_attribute(resource, "base") or ".") / href.split("?")[0])
        path = path.removeprefix("./")
        if not href or not is_safe_relative_path(path) or path not in files:
            problems.append(
                Problem(
                    MANIFEST,
                    _("the SCO %(sco)r launches %(href)r, which is not in the package")
                    % {"sco": _attribute(item, "identifier"), "href": href},
                )
            )
            continue
        query = "&".join(part for part in (href.partition("?")[2], _attribute(item, "parameters").lstrip("?&")) if part)
        scos.append(
            {
                "identifier": _attribute(item, "identifier")[:255],
                "title": (_text(_child(item, "title")) or _attribute(item, "identifier"))[:255],
                "href": f"{path}?{query}" if query else path,
                **_tracking(item, version),
            }
        )
    if problems:
        raise PackageRefused(problems)
    if not scos:
        raise refuse(
            MANIFEST, _("the manifest has no launchable SCO (no item refers to a resource of scormType 'sco')")
        )
    title = _text(_child(organization, "title")) or scos[0]["title"]
    return ValidatedScorm(
        title=title[:255],
        version=version,
        edition=edition[:60],
        identifier=_attribute(root, "identifier")[:255],
        scos=scos,
        files=files,
    )
