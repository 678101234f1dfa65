"""Opening a pack: the archive rules shared with H5P and SCORM, then the manifest, its signature and
every member's checksum. Nothing is stored here; a pack that breaks a rule is refused by name.

A pack is a zip archive::

    manifest.json   format, version, signer, and the SHA-256 of every other member
    manifest.sig    the signer's Ed25519 signature of manifest.json's bytes (base64)
    content.json    the pages, snippets and files the course uses (see docs/packs.md)
    images/<sha256>.<ext>, documents/<sha256>.<ext>, h5p/<uuid>.h5p, scorm/<uuid>.zip
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.images.utils import get_allowed_image_extensions

from ..archives import (
    ArchiveLimits,
    PackageRefused,
    Problem,
    Source,
    check_archive,
    open_zip,
    read_members,
    refuse,
    size_of,
)
from ..conf import courses_settings
from .signing import decode_public_key, is_trusted, verifies

FORMAT = "learning-suite/course-pack"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CONTENT = "content.json"
KIND = "a course pack"
DEFAULT_DOCUMENT_EXTENSIONS = ["csv", "docx", "mp4", "odt", "ogv", "pdf", "pptx", "txt", "vtt", "webm", "xlsx"]


class UntrustedSigner(PackageRefused):
    """A sound pack whose signer this site does not trust; an admin may confirm it."""


@dataclass(frozen=True)
class OpenedPack:
    """A pack whose archive, signature and checksums are sound."""

    manifest: dict[str, Any]
    content: dict[str, Any]
    files: dict[str, bytes]
    signer_name: str
    signer_key: str
    trusted: bool


def limits() -> ArchiveLimits:
    return ArchiveLimits(
        max_package_bytes=int(courses_settings.COURSES_PACK_MAX_BYTES),
        max_expanded_bytes=int(courses_settings.COURSES_PACK_MAX_EXPANDED_BYTES),
        max_file_bytes=int(courses_settings.COURSES_PACK_MAX_FILE_BYTES),
        max_members=int(courses_settings.COURSES_PACK_MAX_MEMBERS),
    )


def document_extensions() -> set[str]:
    configured = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or DEFAULT_DOCUMENT_EXTENSIONS
    return {str(extension).lower() for extension in configured}


def allowed_for(member: str) -> tuple[set[str], str]:
    folder = member.split("/", 1)[0] if "/" in member else ""
    if folder == "images":
        return {extension.lower() for extension in get_allowed_image_extensions()}, _("the pack's images")
    if folder == "documents":
        return document_extensions(), _("the pack's documents (WAGTAILDOCS_EXTENSIONS)")
    if folder == "h5p":
        return {"h5p"}, _("the pack's H5P packages")
    if folder == "scorm":
        return {"zip"}, _("the pack's SCORM packages")
    if folder == "" and member in (MANIFEST, SIGNATURE, CONTENT):
        return {"json", "sig"}, _("the pack's top level")
    return set(), _("the pack's layout (manifest.json, manifest.sig, content.json and four folders)")


def _looks_truncated(source: Source) -> bool:
    """A zip's start without its end: the central directory, written last, is missing."""
    if isinstance(source, (str, Path)):
        with Path(source).open("rb") as handle:
            head = handle.read(4)
    else:
        source.seek(0)
        head = source.read(4)
        source.seek(0)
    return head == b"PK\x03\x04"


def open_pack(source: Source, *, name: str, trust: bool = False) -> OpenedPack:
    """The pack's manifest, content and files, or ``PackageRefused`` naming what is wrong.

    ``UntrustedSigner`` (a refusal too) when the signature is sound but the signer is not trusted
    here and ``trust`` (an admin's confirmation) is not given."""
    pack_limits = limits()
    if size_of(source) <= pack_limits.max_package_bytes:
        try:
            open_zip(source, name=name, kind=KIND).close()
        except PackageRefused:
            if _looks_truncated(source):
                raise refuse(name, _("the pack is truncated (its archive ends before its directory)")) from None
            raise
    check_archive(source, name=name, limits=pack_limits, allowed_for=allowed_for, kind=KIND)
    files = read_members(source, name=name, kind=KIND, limits=pack_limits)
    manifest = _manifest(files, name=name)
    signer = manifest["signer"]
    signature = _signature(files, name=name)
    if not verifies(signer["key"], files[MANIFEST], signature):
        raise refuse(SIGNATURE, _("the signature does not match the manifest: the pack was altered after signing"))
    _check_members(manifest, files)
    content = _json(files, CONTENT)
    if not isinstance(content, dict) or not isinstance(content.get("pages"), list) or not content["pages"]:
        raise refuse(CONTENT, _("content.json lists no pages"))
    trusted = is_trusted(signer["key"])
    if not trusted and not trust:
        raise UntrustedSigner(
            [
                Problem(
                    name,
                    _("signed by %(signer)s (key %(key)s), a signer this site does not trust")
                    % {"signer": signer["name"], "key": signer["key"]},
                )
            ]
        )
    return OpenedPack(
        manifest=manifest,
        content=content,
        files=files,
        signer_name=str(signer["name"]),
        signer_key=str(signer["key"]),
        trusted=trusted,
    )


def _json(files: dict[str, bytes], member: str) -> Any:
    if member not in files:
        raise refuse(member, _("missing from the pack (the pack is truncated or not a course pack)"))
    try:
        return json.loads(files[member].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise refuse(member, _("not valid JSON (%(error)s)") % {"error": exc}) from None


def _manifest(files: dict[str, bytes], *, name: str) -> dict[str, Any]:
    manifest = _json(files, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse(MANIFEST, _("not a course pack's manifest (format %(format)r)") % {"format": FORMAT})
    version = manifest.get("version")
    if version != VERSION:
        raise refuse(
            MANIFEST,
            _("pack format version %(found)r, which this site cannot read (it reads version %(version)d)")
            % {"found": version, "version": VERSION},
        )
    signer = manifest.get("signer")
    members = manifest.get("members")
    if not isinstance(signer, dict) or not isinstance(members, dict):
        raise refuse(MANIFEST, _("the manifest names no signer or no members"))
    try:
        decode_public_key(signer.get("key"))
    except ValueError:
        raise refuse(MANIFEST, _("the signer's key is not an Ed25519 public key")) from None
    signer.setdefault("name", "")
    return manifest


def _signature(files: dict[str, bytes], *, name: str) -> bytes:
    if SIGNATURE not in files:
        raise refuse(SIGNATURE, _("missing from the pack: the pack is not signed"))
    try:
        return base64.b64decode(files[SIGNATURE].strip(), validate=True)
    except (binascii.Error, ValueError):
        raise refuse(SIGNATURE, _("not a base64 signature")) from None


def _check_members(manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    """Every member the signed manifest lists is there with its checksum, and nothing else is."""
    problems = []
    listed = manifest["members"]
    for member, digest in sorted(listed.items()):
        if member not in files:
            problems.append(Problem(member, _("listed in the manifest but missing: the pack is truncated")))
        elif hashlib.sha256(files[member]).hexdigest() != digest:
            problems.append(Problem(member, _("its checksum does not match the manifest: altered after signing")))
    for member in sorted(set(files) - set(listed) - {MANIFEST, SIGNATURE}):
        problems.append(Problem(member, _("not listed in the signed manifest")))
    if problems:
        raise PackageRefused(problems)
