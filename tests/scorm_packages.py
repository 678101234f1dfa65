"""SCORM packages for tests: the real ones beside the checkout (never committed) and small ones built here.

The real packages are found through SCORM_SAMPLES_DIR (default ``<repo>/../shared/scorm``). Tests that
need them are skipped, saying so, when the folder is absent; ``.ci/run`` fails in that case instead.
"""

import os
import uuid
from pathlib import Path

import pytest

from tests.h5p_packages import build_zip

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("SCORM_SAMPLES_DIR", ROOT.parent / "shared" / "scorm"))
REAL = sorted((SAMPLES / "real").glob("*.zip")) if (SAMPLES / "real").is_dir() else []
INVALID = sorted((SAMPLES / "invalid").glob("*.zip")) if (SAMPLES / "invalid").is_dir() else []
SKIP_REASON = f"the real SCORM packages are not at {SAMPLES} (set SCORM_SAMPLES_DIR): real-package tests were skipped"


def require_samples() -> Path:
    if not REAL or not INVALID:
        pytest.skip(SKIP_REASON)
    return SAMPLES


def real_package(name: str) -> Path:
    require_samples()
    return SAMPLES / "real" / name


def manifest(*, version="1.2", scos=(("sco_1", "index.html"),), extra="") -> bytes:
    if version == "2004":
        head = (
            '<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
            'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"><metadata><schema>ADL SCORM</schema>'
            "<schemaversion>2004 4th Edition</schemaversion></metadata>"
        )
        kind = "scormType"
    else:
        head = (
            '<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
            'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><metadata><schema>ADL SCORM</schema>'
            "<schemaversion>1.2</schemaversion></metadata>"
        )
        kind = "scormtype"
    items = "".join(
        f'<item identifier="{ident}" identifierref="r_{ident}"><title>Part {ident}</title></item>' for ident, _ in scos
    )
    resources = "".join(
        f'<resource identifier="r_{ident}" type="webcontent" adlcp:{kind}="sco" href="{href}"/>' for ident, href in scos
    )
    return (
        f'<?xml version="1.0"?>{extra}{head}<organizations default="o"><organization identifier="o">'
        f"<title>A small module</title>{items}</organization></organizations>"
        f"<resources>{resources}</resources></manifest>"
    ).encode()


SCO_PAGE = b"""<!doctype html><html><head><title>SCO</title></head><body><p>A small SCO.</p></body></html>"""


def package_files(**kwargs) -> dict[str, bytes]:
    scos = kwargs.get("scos", (("sco_1", "index.html"),))
    files = {"imsmanifest.xml": manifest(**kwargs)}
    for _ident, href in scos:
        files[href.split("?")[0]] = SCO_PAGE
    return files


def write_package(folder: Path, files: dict[str, bytes], name: str | None = None, **kwargs) -> Path:
    path = folder / (name or f"{uuid.uuid4().hex[:8]}.zip")
    path.write_bytes(build_zip(files, **kwargs))
    return path


def database_listing() -> dict[str, list]:
    from courses.models import ScormPackage

    return {"packages": list(ScormPackage.objects.values_list("uuid", "title"))}


def scorm_block(package) -> dict:
    return {"type": "scorm", "id": str(uuid.uuid4()), "value": {"package": package.pk, "heading": ""}}
